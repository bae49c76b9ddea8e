import { type GeneratedEvent, rng } from '../db/demo.ts';
import { maskDeep } from '../server/auth/masking.ts';
import { can } from '../server/auth/permissions.ts';
import type { StoredEvent } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import { approvalProblems, type LicenseAction, transition } from '../server/licenses/lifecycle.ts';
import type {
  ApproveInput,
  LicenseRecord,
  LicenseTask,
  RejectInput,
  RevokeInput,
} from '../server/licenses/schemas.ts';
import { assembleTask, MAX_LICENSE_TASKS } from '../server/licenses/tasks.ts';
import { fnvHex, MockApiError, sensitiveNames, writeAudit } from './access.ts';
import type { MockDb } from './data.ts';

/**
 * The mock API's licence review, as server/licenses (SPEC.md §4.3): an application opened by each stored
 * license_apply event (linked to an earlier refused one), the server's own pure state machine and approval
 * rules (server/licenses/lifecycle.ts), the version read (stale: 409 naming who changed it), codes checked
 * against the active values of the enum tables (422), and one audit row per decision.
 */

/** a licence as stored: what the API answers, less the figures worked out at read time */
export type StoredLicense = Omit<LicenseRecord, 'age_hours' | 'sla_hours' | 'sla_breached'>;

const HOUR_MS = 3_600_000;

/** the SLA target for a pending application, in hours, as the server's DEFAULT_SLA: fast track sooner */
export const SLA_HOURS = { fast_track: 4, standard: 24 } as const;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A licence with its age and SLA at `now`. Pending: hours since it was applied for, breached once past the
 * target of its track. Decided: hours it waited for its decision, never breached (it left the queue).
 */
export function licenseView(license: StoredLicense, now: number): LicenseRecord {
  const sla_hours = license.is_fast_track ? SLA_HOURS.fast_track : SLA_HOURS.standard;
  const until = license.status === 'pending' ? now : Date.parse(license.decided_at ?? '') || now;
  const age_hours = Math.max(0, round2((until - Date.parse(license.applied_at)) / HOUR_MS));
  return {
    ...license,
    age_hours,
    sla_hours,
    sla_breached: license.status === 'pending' && age_hours > sla_hours,
  };
}

/** the licence as `user` may read it: the hashed account id masked for roles without sensitive:read */
export function licenseReader(user: SessionUser, db: MockDb) {
  const names = sensitiveNames(db.planEvents);
  const clear = can(user.roles, 'sensitive:read');
  return (license: LicenseRecord): LicenseRecord =>
    clear ? license : (maskDeep(license, names) as LicenseRecord);
}

/**
 * The review queue's order (sort `queue`): pending first, fast-track first among them, then the oldest
 * application first; decided ones after, also oldest first.
 */
export function queueOrder(a: StoredLicense, b: StoredLicense): number {
  const pending = Number(b.status === 'pending') - Number(a.status === 'pending');
  if (pending) return pending;
  if (a.status === 'pending') {
    const fast = Number(b.is_fast_track) - Number(a.is_fast_track);
    if (fast) return fast;
  }
  return a.applied_at.localeCompare(b.applied_at) || a.id - b.id;
}

// ---------------------------------------------------------------------------------------------- applications

/**
 * The newest earlier application of the same account and template that was rejected or revoked (as refused
 * by `asOf`, when given): what a new application links to as `previous_id`.
 */
function previousRefused(
  db: MockDb,
  application: Pick<StoredLicense, 'account_id' | 'template_id'> & { id?: number },
  asOf?: string,
): number | null {
  if (!application.account_id || !application.template_id) return null;
  const refused = db.licenses.filter(
    (l) =>
      l.id < (application.id ?? Number.POSITIVE_INFINITY) &&
      l.account_id === application.account_id &&
      l.template_id === application.template_id &&
      (l.status === 'rejected' || l.status === 'revoked') &&
      (asOf === undefined || ((l.status === 'revoked' ? l.revoked_at : l.decided_at) ?? '') < asOf),
  );
  return refused.at(-1)?.id ?? null;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * Opens a pending application for a newly stored license_apply event, as the server's openApplications does
 * (every stored one, its values as stored: a field that failed validation is kept only when it is text).
 */
export function openApplication(db: MockDb, event: StoredEvent): StoredLicense | undefined {
  if (event.event !== 'license_apply') return undefined;
  const p = event.properties;
  const id = (db.licenses.at(-1)?.id ?? 0) + 1;
  const license: StoredLicense = {
    id,
    license_id: `lic_${id}`,
    status: 'pending',
    version: 1,
    template_id: str(p.template_id),
    account_id: str(p.account_id),
    is_fast_track: p.is_fast_track === true,
    persona_tag: str(p.persona_tag),
    policy_tag: str(p.policy_tag),
    applied_at: event.occurred_at,
    day: event.day,
    source_event_id: event.event_id,
    source_event_pk: event.id,
    previous_id: null,
    decided_at: null,
    decided_by: null,
    effective_at: null,
    expiry_type: null,
    max_runs: null,
    expires_at: null,
    reason_code: null,
    decision_policy_tag: null,
    action_required: null,
    note: null,
    revoked_at: null,
    revoked_by: null,
  };
  license.previous_id = previousRefused(db, license);
  db.licenses.push(license);
  return license;
}

// ---------------------------------------------------------------------------------------------- decisions

export type DecisionInput =
  | { action: 'approve'; terms: ApproveInput }
  | { action: 'reject'; terms: RejectInput }
  | { action: 'revoke'; terms: RevokeInput };

/** a code valid now: an active value of its enum; 422 naming each field that is not */
function checkCodes(db: MockDb, codes: Record<string, [enumName: string, code: string]>) {
  const errors: Record<string, string> = {};
  for (const [field, [enumName, code]] of Object.entries(codes)) {
    const value = db.enums.find((e) => e.name === enumName)?.values.find((v) => v.code === code);
    if (value?.status !== 'active')
      errors[field] = value
        ? `${code} is deprecated in ${enumName}`
        : `${code} is not a value of ${enumName}`;
  }
  if (Object.keys(errors).length)
    throw new MockApiError(
      422,
      `unknown or deprecated codes: ${Object.entries(errors)
        .map(([field, why]) => `${field}: ${why}`)
        .join('; ')}`,
      errors,
    );
}

const PAST: Record<LicenseAction, string> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };

/**
 * Decides one application as server/licenses/decide.ts does, in its order: the approval's terms and the
 * codes (422), the version (400 when absent), the version read must be current and the state machine must
 * allow the action (409: two reviewers never both decide); then the new state and the audit row.
 */
export function decideLicense(
  db: MockDb,
  id: number,
  version: number | undefined,
  input: DecisionInput,
  user: SessionUser,
  at = new Date().toISOString(),
): StoredLicense {
  if (input.action === 'approve') {
    const problems = approvalProblems(input.terms);
    if (Object.keys(problems).length)
      throw new MockApiError(
        422,
        `the approval's terms do not hold: ${Object.entries(problems)
          .map(([field, why]) => `${field} ${why}`)
          .join('; ')}`,
        problems,
      );
    checkCodes(db, { expiry_type: ['expiry_type', input.terms.expiry_type] });
  } else {
    checkCodes(db, {
      reason_code: ['reason_code', input.terms.reason_code],
      policy_tag: ['policy_tag', input.terms.policy_tag],
      action_required: ['action_required', input.terms.action_required],
    });
  }
  if (version === undefined)
    throw new MockApiError(400, 'send the version you read (If-Match header or a version field)', {
      version: 'is required',
    });
  const license = db.licenses.find((l) => l.id === id);
  if (!license) throw new MockApiError(404, `no licence application ${id}`);
  const decidedBy = license.decided_by ? ` by ${license.decided_by}` : '';
  if (license.version !== version)
    throw new MockApiError(
      409,
      `${license.license_id} was changed${decidedBy} since you read it (it is ${license.status} now); reload it`,
      { version: `is ${license.version} now` },
    );
  const next = transition(license.status, input.action);
  if (!next)
    throw new MockApiError(
      409,
      `${license.license_id} is ${license.status}${decidedBy}; it cannot be ${PAST[input.action]}`,
    );

  const before = structuredClone(license);
  const t = input.terms;
  Object.assign(license, { status: next, version: license.version + 1, note: t.note ?? null });
  if (input.action === 'approve') {
    const a = input.terms;
    Object.assign(license, {
      decided_at: at,
      decided_by: user.username,
      effective_at: new Date(a.effective_at).toISOString(),
      expiry_type: a.expiry_type,
      max_runs: a.max_runs ?? null,
      expires_at: a.expires_at ? new Date(a.expires_at).toISOString() : null,
      reason_code: null,
      decision_policy_tag: null,
      action_required: null,
      revoked_at: null,
      revoked_by: null,
    } satisfies Partial<StoredLicense>);
  } else {
    const r = input.terms;
    const revoking = input.action === 'revoke';
    Object.assign(license, {
      ...(revoking ? {} : { decided_at: at, decided_by: user.username }),
      reason_code: r.reason_code,
      decision_policy_tag: r.policy_tag,
      action_required: r.action_required,
      revoked_at: revoking ? at : null,
      revoked_by: revoking ? user.username : null,
    } satisfies Partial<StoredLicense>);
  }
  const now = Date.parse(at);
  writeAudit(
    db,
    {
      actor: { id: user.id, username: user.username },
      action: `license.${input.action}`,
      resource: 'license',
      resource_id: id,
      before: licenseView(before, now),
      after: licenseView(license, now),
      reason:
        input.action === 'approve'
          ? (t.note ?? null)
          : [input.terms.reason_code, t.note].filter(Boolean).join(': '),
      outcome: 'success',
    },
    at,
  );
  return license;
}

/** the source the console's own events are stored under */
export const CONSOLE_SOURCE = 'console';

/**
 * The license_approved / license_rejected event a decision writes into the stream, as the server's
 * (approver_id: a pseudonym of the reviewer; the mock's unkeyed stand-in for the server's HMAC).
 */
export function decisionEvent(
  license: StoredLicense,
  action: LicenseAction,
  reviewer: string,
): GeneratedEvent {
  const base = {
    license_id: license.license_id,
    template_id: license.template_id,
    account_id: license.account_id,
  };
  return {
    source: CONSOLE_SOURCE,
    event: action === 'approve' ? 'license_approved' : 'license_rejected',
    event_id: `console:${license.license_id}:${action}:v${license.version}`,
    occurred_at: (action === 'revoke' ? license.revoked_at : license.decided_at) ?? new Date().toISOString(),
    properties:
      action === 'approve'
        ? {
            ...base,
            approver_id: fnvHex(`reviewer:${reviewer}`, 4),
            effective_at: license.effective_at,
            expiry_type: license.expiry_type,
            max_runs: license.max_runs,
            ...(license.expires_at ? { expires_at: license.expires_at } : {}),
          }
        : {
            ...base,
            reason_code: license.reason_code,
            policy_tag: license.decision_policy_tag,
            action_required: license.action_required,
            status: license.status,
          },
  };
}

// ---------------------------------------------------------------------------------------------- seed

const REVIEWERS = [
  { id: 1, username: 'reviewer' },
  { id: 2, username: 'reviewer2' },
] as const;
const REASONS = [
  'material_incomplete',
  'copyright_unverified',
  'content_violation',
  'persona_mismatch',
  'other',
];
const DAY_MS = 24 * HOUR_MS;

/**
 * Decisions on the applications the generated traffic opened. The last two days' are still pending, and
 * about half of the older ones; the rest were decided by the two mock reviewers
 * some hours after applying, a few approved ones revoked later. Decisions are made in time order through
 * decideLicense, so each has its audit row; they write no events (the generated traffic has its own).
 */
export function generateLicenses(db: MockDb, now: number, seed = 4_242): void {
  const r = rng(seed);
  const decisions: Array<{ id: number; at: string; user: SessionUser; input: DecisionInput }> = [];
  const tags = db.enums.find((e) => e.name === 'policy_tag')?.values ?? [];
  for (const license of db.licenses) {
    const applied = Date.parse(license.applied_at);
    if (now - applied < 2 * DAY_MS || r.chance(0.5)) continue;
    const decidedAt = Math.min(now - HOUR_MS, applied + r.int(1, 40) * HOUR_MS);
    const reviewer = r.pick(REVIEWERS);
    const user: SessionUser = {
      ...reviewer,
      display_name: reviewer.username,
      roles: ['compliance_reviewer'],
      team: null,
    };
    const tag = license.policy_tag ?? 'A1';
    const action = tags.find((t) => t.code === tag)?.default_action_required ?? 'resubmit_material';
    const at = new Date(decidedAt).toISOString();
    const roll = r.next();
    if (roll < 0.25) {
      const reason_code = r.pick(REASONS);
      decisions.push({
        id: license.id,
        at,
        user,
        input: { action: 'reject', terms: { reason_code, policy_tag: tag, action_required: action } },
      });
      continue;
    }
    const expiry_type = r.pick(['fixed_term', 'run_limited', 'permanent']);
    decisions.push({
      id: license.id,
      at,
      user,
      input: {
        action: 'approve',
        terms: {
          effective_at: at,
          expiry_type,
          ...(expiry_type === 'run_limited' ? { max_runs: r.int(5, 50) } : {}),
          ...(expiry_type === 'fixed_term'
            ? { expires_at: new Date(decidedAt + 90 * DAY_MS).toISOString() }
            : {}),
        },
      },
    });
    const revokedAt = decidedAt + r.int(2, 72) * HOUR_MS;
    if (roll > 0.95 && revokedAt < now)
      decisions.push({
        id: license.id,
        at: new Date(revokedAt).toISOString(),
        user,
        input: {
          action: 'revoke',
          terms: {
            reason_code: 'content_violation',
            policy_tag: 'D1',
            action_required: 'remove_asset',
            note: 'generated content broke the content policy after approval',
          },
        },
      });
  }
  decisions.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  for (const { id, at, user, input } of decisions) {
    const version = db.licenses.find((l) => l.id === id)?.version;
    decideLicense(db, id, version, input, user, at);
  }
  // the links to an earlier rejected or revoked application, as they stood when each was applied for
  for (const license of db.licenses) license.previous_id = previousRefused(db, license, license.applied_at);
}

/** the licence's tasks as GET /api/licenses/:id/tasks answers them (the server's assembly, over mock events) */
export function licenseTasks(events: StoredEvent[], license: StoredLicense): LicenseTask[] {
  if (!license.account_id || !license.template_id) return [];
  const byTime = (a: StoredEvent, b: StoredEvent) =>
    a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0;
  return events
    .filter(
      (e) =>
        e.event === 'task_start' &&
        e.properties.account_id === license.account_id &&
        e.properties.template_id === license.template_id,
    )
    .sort((a, b) => byTime(b, a))
    .slice(0, MAX_LICENSE_TASKS)
    .flatMap((start) => {
      const followUps = events
        .filter((e) => e.event !== 'task_start' && e.properties.task_id === start.properties.task_id)
        // as the server: by time, ties by event_id (the outcome that wins does not depend on arrival)
        .sort((a, b) => byTime(a, b) || (a.event_id < b.event_id ? -1 : 1));
      const task = assembleTask(start, followUps);
      return task ? [task] : [];
    });
}

import type { DB } from '../../db/open.ts';
import { type AuditEntry, writeAudit } from '../audit/log.ts';
import type { SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { EventStore } from '../ingest/store.ts';
import { checkActiveCodes } from '../plan/codes.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { approvalProblems, type LicenseAction, transition } from './lifecycle.ts';
import type { ApproveInput, LicenseRecord, RejectInput } from './schemas.ts';
import { getLicenseRow, type LicenseRow, licenseIdOf, type SlaPolicy, toLicense } from './store.ts';

export type DecisionInput =
  | { action: 'approve'; terms: ApproveInput }
  | { action: 'reject' | 'revoke'; terms: RejectInput };

/** where decisions come from: the reviewer, and the request for the audit row */
export interface DecisionContext {
  user: SessionUser;
  audit: Pick<AuditEntry, 'actor' | 'request_id' | 'ip'>;
}

const PAST: Record<LicenseAction, string> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };

/** the source the console's own events are stored under */
export const CONSOLE_SOURCE = 'console';

/**
 * Decides one application, all in one transaction: the version read must be current (else 409 and nothing
 * changes — two reviewers can never both decide), the state machine must allow the action (409), every code
 * must be an active value of its enum (422); then the new state, the matching license_approved /
 * license_rejected event into the stream (validated and counted like any other) and the audit row.
 */
export function createDecider(deps: {
  db: DB;
  clock: () => Date;
  plan: PlanCache;
  store: EventStore;
  sla: SlaPolicy;
  /** the reviewer's pseudonymous id, written as approver_id */
  reviewerId: (username: string) => string;
}) {
  const { db, clock, plan, store, sla } = deps;

  const checkCodes = (codes: Record<string, [enumName: string, code: string]>) =>
    checkActiveCodes(plan.current(), clock(), codes);

  const update = db.prepare(
    `UPDATE landing_phase1_licenses SET status = @status, version = version + 1, decided_at = coalesce(@decided_at, decided_at),
       decided_by = coalesce(@decided_by, decided_by), effective_at = coalesce(@effective_at, effective_at),
       expiry_type = coalesce(@expiry_type, expiry_type), max_runs = coalesce(@max_runs, max_runs),
       expires_at = coalesce(@expires_at, expires_at), reason_code = @reason_code,
       decision_policy_tag = @decision_policy_tag, action_required = @action_required, note = @note,
       revoked_at = @revoked_at, revoked_by = @revoked_by
     WHERE id = @id AND version = @version`,
  );

  function eventFor(l: LicenseRow, action: LicenseAction, reviewer: string) {
    const base = { license_id: licenseIdOf(l.id), template_id: l.template_id, account_id: l.account_id };
    return action === 'approve'
      ? {
          event: 'license_approved',
          properties: {
            ...base,
            approver_id: deps.reviewerId(reviewer),
            effective_at: l.effective_at,
            expiry_type: l.expiry_type,
            max_runs: l.max_runs,
            ...(l.expires_at ? { expires_at: l.expires_at } : {}),
          },
        }
      : {
          event: 'license_rejected',
          properties: {
            ...base,
            reason_code: l.reason_code,
            policy_tag: l.decision_policy_tag,
            action_required: l.action_required,
            status: l.status,
          },
        };
  }

  return function decide(
    id: number,
    version: number | undefined,
    input: DecisionInput,
    ctx: DecisionContext,
  ): LicenseRecord {
    if (input.action === 'approve') {
      const problems = approvalProblems(input.terms);
      if (Object.keys(problems).length) {
        throw new ApiError(
          422,
          `the approval's terms do not hold: ${Object.entries(problems)
            .map(([f, w]) => `${f} ${w}`)
            .join('; ')}`,
          problems,
        );
      }
      checkCodes({ expiry_type: ['expiry_type', input.terms.expiry_type] });
    } else {
      checkCodes({
        reason_code: ['reason_code', input.terms.reason_code],
        policy_tag: ['policy_tag', input.terms.policy_tag],
        action_required: ['action_required', input.terms.action_required],
      });
    }
    if (version === undefined) {
      throw new ApiError(400, 'send the version you read (If-Match header or a version field)', {
        version: 'is required',
      });
    }
    const now = clock();
    const at = now.toISOString();
    return db.transaction(() => {
      const before = getLicenseRow(db, id);
      if (!before) throw new ApiError(404, `no licence application ${id}`);
      const name = licenseIdOf(id);
      const who = before.revoked_by ?? before.decided_by;
      const decidedBy = who ? ` by ${who}` : '';
      if (before.version !== version) {
        throw new ApiError(
          409,
          `${name} was changed${decidedBy} since you read it (it is ${before.status} now); reload it`,
          {
            version: `is ${before.version} now`,
          },
        );
      }
      const next = transition(before.status, input.action);
      if (!next)
        throw new ApiError(
          409,
          `${name} is ${before.status}${decidedBy}; it cannot be ${PAST[input.action]}`,
        );

      const reviewer = ctx.user.username;
      const t = input.terms;
      const common = { id, version, status: next, note: t.note ?? null };
      if (input.action === 'approve') {
        const a = input.terms;
        update.run({
          ...common,
          decided_at: at,
          decided_by: reviewer,
          effective_at: new Date(a.effective_at).toISOString(),
          expiry_type: a.expiry_type,
          max_runs: a.max_runs ?? null,
          expires_at: a.expires_at ? new Date(a.expires_at).toISOString() : null,
          reason_code: null,
          decision_policy_tag: null,
          action_required: null,
          revoked_at: null,
          revoked_by: null,
        });
      } else {
        const r = input.terms;
        const revoking = input.action === 'revoke';
        update.run({
          ...common,
          decided_at: revoking ? null : at,
          decided_by: revoking ? null : reviewer,
          effective_at: null,
          expiry_type: null,
          max_runs: null,
          expires_at: null,
          reason_code: r.reason_code,
          decision_policy_tag: r.policy_tag,
          action_required: r.action_required,
          revoked_at: revoking ? at : null,
          revoked_by: revoking ? reviewer : null,
        });
      }
      const after = getLicenseRow(db, id)!;
      const { event, properties } = eventFor(after, input.action, reviewer);
      store.ingest(
        [
          {
            event,
            event_id: `console:${name}:${input.action}:v${after.version}`,
            occurred_at: at,
            properties,
          },
        ],
        CONSOLE_SOURCE,
      );
      writeAudit(
        db,
        {
          ...ctx.audit,
          action: `license.${input.action}`,
          resource: 'license',
          resource_id: id,
          before: toLicense(before, sla, now),
          after: toLicense(after, sla, now),
          reason:
            input.action === 'approve'
              ? (t.note ?? null)
              : [(t as RejectInput).reason_code, t.note].filter(Boolean).join(': '),
          outcome: 'success',
        },
        now,
      );
      return toLicense(after, sla, now);
    })();
  };
}
export type Decide = ReturnType<typeof createDecider>;

import type { DB } from '../../db/open.ts';
import { textOf } from '../ingest/properties.ts';
import type { StoredEventInfo } from '../ingest/store.ts';
import type { LicenseRecord, LicenseStatus } from './schemas.ts';

/** SLA targets for a pending application's age, by track */
export interface SlaPolicy {
  fastTrackHours: number;
  standardHours: number;
}
export const DEFAULT_SLA: SlaPolicy = { fastTrackHours: 4, standardHours: 24 };

export interface LicenseRow {
  id: number;
  source_event_pk: number;
  source_event_id: string;
  template_id: string | null;
  account_id: string | null;
  is_fast_track: number;
  persona_tag: string | null;
  policy_tag: string | null;
  applied_at: string;
  day: string;
  status: LicenseStatus;
  version: number;
  previous_id: number | null;
  decided_at: string | null;
  decided_by: string | null;
  effective_at: string | null;
  expiry_type: string | null;
  max_runs: number | null;
  expires_at: string | null;
  reason_code: string | null;
  decision_policy_tag: string | null;
  action_required: string | null;
  note: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export const licenseIdOf = (id: number) => `lic_${id}`;

/**
 * The licence an account holds for a template: its approved one, else its latest application. The order of
 * `SELECT … FROM landing_phase1_licenses WHERE account_id = ? AND template_id = ?`, first row; `alias` for a
 * correlated subquery.
 */
export const CURRENT_LICENSE_FIRST = "(status = 'approved') DESC, id DESC";
export const currentLicenseFirst = (alias: string) => `(${alias}.status = 'approved') DESC, ${alias}.id DESC`;

const HOUR_MS = 3600_000;

/** a row as the API answers it: SLA age (pending: until now; decided: until the decision) and breach */
export function toLicense(r: LicenseRow, sla: SlaPolicy, now: Date): LicenseRecord {
  const slaHours = r.is_fast_track ? sla.fastTrackHours : sla.standardHours;
  const until = r.status === 'pending' || !r.decided_at ? now.getTime() : Date.parse(r.decided_at);
  const ageHours = Math.max(0, (until - Date.parse(r.applied_at)) / HOUR_MS);
  return {
    ...r,
    license_id: licenseIdOf(r.id),
    is_fast_track: r.is_fast_track === 1,
    age_hours: Math.round(ageHours * 100) / 100,
    sla_hours: slaHours,
    sla_breached: r.status === 'pending' && ageHours > slaHours,
  };
}

/**
 * Opens an application for a newly stored license_apply event (called inside the storing transaction, so a
 * duplicate delivery, which is not stored, opens nothing). An earlier rejected or revoked application of the
 * same account for the same template is linked.
 */
export function openApplications(db: DB) {
  const previous = db
    .prepare(
      `SELECT id FROM landing_phase1_licenses WHERE account_id = ? AND template_id = ?
         AND status IN ('rejected', 'revoked') ORDER BY id DESC LIMIT 1`,
    )
    .pluck();
  const insert = db.prepare(
    `INSERT INTO landing_phase1_licenses (source_event_pk, source_event_id, template_id, account_id, is_fast_track,
       persona_tag, policy_tag, applied_at, day, previous_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (e: StoredEventInfo) => {
    if (e.event !== 'license_apply') return;
    const p = e.properties;
    const template = textOf(p.template_id);
    const account = textOf(p.account_id);
    const prev =
      template && account ? ((previous.get(account, template) as number | undefined) ?? null) : null;
    insert.run(
      e.pk,
      e.event_id,
      template,
      account,
      p.is_fast_track === true ? 1 : 0,
      textOf(p.persona_tag),
      textOf(p.policy_tag),
      e.occurred_at,
      e.day,
      prev,
    );
  };
}

export function getLicenseRow(db: DB, id: number): LicenseRow | undefined {
  return db.prepare('SELECT * FROM landing_phase1_licenses WHERE id = ?').get(id) as LicenseRow | undefined;
}

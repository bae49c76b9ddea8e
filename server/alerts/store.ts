import type { DB } from '../../db/open.ts';
import { currentLicenseFirst } from '../licenses/store.ts';
import type { AlertRecord, AlertState } from './schemas.ts';

export interface AlertRow {
  id: number;
  alert_id: string;
  source_event_pk: number;
  task_id: string | null;
  risk_level: string | null;
  policy_tag: string | null;
  action_required: string | null;
  escalation_level: string | null;
  arrived_escalation: string | null;
  auto_escalated: number;
  event_violations: number;
  raised_at: string;
  day: string;
  state: AlertState;
  version: number;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  updated_at: string | null;
  updated_by: string | null;
  last_note: string | null;
  account_id: string | null;
  template_id: string | null;
  license_pk: number | null;
}

/** an alert with its task's account and template and the licence the task ran under */
export const ALERT_SELECT = `SELECT a.*, t.account_id, t.template_id,
  (SELECT l.id FROM landing_phase1_licenses l WHERE l.account_id = t.account_id AND l.template_id = t.template_id
    ORDER BY ${currentLicenseFirst('l')} LIMIT 1) AS license_pk
  FROM landing_phase1_alerts a LEFT JOIN landing_phase1_tasks t ON t.task_id = a.task_id`;

export function toAlert(row: AlertRow & { inbox_rank?: number }, now: Date): AlertRecord {
  const { inbox_rank: _rank, ...r } = row;
  const until = r.resolved_at ? Date.parse(r.resolved_at) : now.getTime();
  return {
    ...r,
    auto_escalated: r.auto_escalated === 1,
    age_hours: Math.round((Math.max(0, until - Date.parse(r.raised_at)) / 3600_000) * 100) / 100,
  };
}

export function getAlertRow(db: DB, id: number): AlertRow | undefined {
  return db.prepare(`${ALERT_SELECT} WHERE a.id = ?`).get(id) as AlertRow | undefined;
}

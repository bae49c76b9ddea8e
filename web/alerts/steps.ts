import { alertStep } from '../../server/alerts/lifecycle.ts';
import { ALERT_ACTIONS, type AlertAction, type AlertRecord } from '../../server/alerts/schemas.ts';

/**
 * The steps an alert's state allows now, by the server's own pure state machine (server/alerts/lifecycle.ts,
 * no Hono or SQL in it), so the page never offers a step the server would refuse: acknowledge while open,
 * escalate below the highest level while not resolved, resolve while not resolved.
 */
export const stepsFor = (alert: Pick<AlertRecord, 'state' | 'escalation_level'>): AlertAction[] =>
  ALERT_ACTIONS.filter((action) => alertStep(alert.state, alert.escalation_level, action).ok);

/** the level an escalation would raise the alert to (null when it is at the highest already) */
export function escalationTarget(alert: Pick<AlertRecord, 'state' | 'escalation_level'>): string | null {
  const next = alertStep(alert.state, alert.escalation_level, 'escalate');
  return next.ok ? next.escalation_level : null;
}

/** the steps a selection can take at once (POST /api/alerts/bulk) */
export const BULK_ACTIONS = ['acknowledge', 'resolve'] as const satisfies readonly AlertAction[];
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** what a step dialog's form holds */
export interface StepValues {
  note?: string | null;
}

import { ESCALATION_ORDER } from '../../db/plan.ts';
import type { AlertAction, AlertState } from './schemas.ts';

export type EscalationLevel = (typeof ESCALATION_ORDER)[number];

/** a level's rank; a missing or unknown level counts as none */
export const escalationRank = (level: string | null | undefined): number =>
  Math.max(0, ESCALATION_ORDER.indexOf(level as EscalationLevel));

/** the level an alert holds on arrival: what it was sent with, raised to its policy tag's minimum */
export function arrivalEscalation(
  sent: string | null,
  policyMinimum: string | null | undefined,
): { level: string | null; raised: boolean } {
  if (policyMinimum && ESCALATION_ORDER.includes(policyMinimum as EscalationLevel)) {
    const below =
      ESCALATION_ORDER.indexOf(sent as EscalationLevel) <
      ESCALATION_ORDER.indexOf(policyMinimum as EscalationLevel);
    if (below && policyMinimum !== 'none') return { level: policyMinimum, raised: true };
  }
  return { level: sent, raised: false };
}

export type AlertStep =
  | { ok: true; state: AlertState; escalation_level: string | null }
  | { ok: false; why: string };

/**
 * The alert's state machine: open → acknowledged → resolved (resolve also from open); escalate raises the
 * level one step (none → ops_review → compliance_committee) while the alert is not resolved. Pure: the
 * server and the mocks step alerts alike.
 */
export function alertStep(state: AlertState, level: string | null, action: AlertAction): AlertStep {
  if (state === 'resolved') return { ok: false, why: 'is resolved' };
  const current = ESCALATION_ORDER[escalationRank(level)]!;
  switch (action) {
    case 'acknowledge':
      return state === 'open'
        ? { ok: true, state: 'acknowledged', escalation_level: level }
        : { ok: false, why: 'is acknowledged already' };
    case 'resolve':
      return { ok: true, state: 'resolved', escalation_level: level };
    case 'escalate': {
      const next = ESCALATION_ORDER[escalationRank(level) + 1];
      return next
        ? { ok: true, state, escalation_level: next }
        : { ok: false, why: `is at ${current}, the highest escalation` };
    }
  }
}

/** inbox order of risk levels: high first */
export const RISK_ORDER = ['high', 'medium', 'low'] as const;

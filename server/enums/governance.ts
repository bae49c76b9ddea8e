import { ENUMS } from '../../db/plan.ts';
import type { Role } from '../auth/permissions.ts';

/**
 * Who governs each enum: the owner team (db/plan.ts), the roles that may propose a change and the roles that
 * must each approve it. Every approve role is satisfied by a different person, none of them the proposer.
 */
export interface Governance {
  owner_team: string;
  propose_roles: Role[];
  approve_roles: Role[];
}

const COMPLIANCE_ENUMS = new Set([
  'policy_tag',
  'risk_level',
  'action_required',
  'escalation_level',
  'reason_code',
]);

export function governanceOf(enumName: string): Governance {
  const owner_team = ENUMS.find((e) => e.name === enumName)?.owner ?? 'product-planning';
  if (enumName === 'failure_code')
    return {
      owner_team,
      propose_roles: ['product_planner', 'compliance_reviewer'],
      approve_roles: ['product_planner', 'compliance_reviewer'],
    };
  if (COMPLIANCE_ENUMS.has(enumName))
    return {
      owner_team,
      propose_roles: ['compliance_reviewer', 'product_planner'],
      approve_roles: ['compliance_reviewer'],
    };
  return { owner_team, propose_roles: ['product_planner'], approve_roles: ['product_planner'] };
}

export interface Approval {
  username: string;
  user_id: number | null;
  role: Role;
  at: string;
}

/** the approve roles no approval satisfies yet */
export function missingRoles(g: Governance, approvals: readonly Approval[]): Role[] {
  return g.approve_roles.filter((r) => !approvals.some((a) => a.role === r));
}

/**
 * the role an approval by this user would satisfy (the first missing one they hold), or why they may not:
 * the proposer, someone who already approved, or someone holding none of the missing roles
 */
export function approvalRole(
  g: Governance,
  proposal: { proposed_by_id: number | null; proposed_by: string; approvals: readonly Approval[] },
  user: { id: number; username: string; roles: readonly Role[] },
): { role: Role } | { refused: 'self' | 'again' | 'role' } {
  if (proposal.proposed_by_id === user.id || proposal.proposed_by === user.username)
    return { refused: 'self' };
  if (proposal.approvals.some((a) => a.user_id === user.id || a.username === user.username))
    return { refused: 'again' };
  const role = missingRoles(g, proposal.approvals).find((r) => user.roles.includes(r));
  return role ? { role } : { refused: 'role' };
}

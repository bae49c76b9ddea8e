import type { Role } from '../../server/auth/permissions.ts';
import type { GovernedEnumRecord, ProposalRecord } from '../../server/enums/schemas.ts';

/** may this user propose changes to this enum (the server checks the same, and audits a refusal) */
export const mayPropose = (roles: readonly string[], e: Pick<GovernedEnumRecord, 'governance'>) =>
  roles.some((r) => e.governance.propose_roles.includes(r));

/**
 * Where a user stands with a proposal, as the server's approval rule has it (server/enums/governance.ts):
 * `may` approve now (holds a role still missing, is not its proposer, has not approved it yet), or why not.
 * Rejecting needs any approve role, the proposer excepted.
 */
export type ApprovalStanding = 'may' | 'own' | 'approved' | 'role' | 'decided';

export function approvalStanding(
  proposal: Pick<ProposalRecord, 'status' | 'proposed_by' | 'approvals' | 'missing_roles'>,
  user: { username: string; roles: readonly Role[] },
): ApprovalStanding {
  if (proposal.status !== 'pending') return 'decided';
  if (proposal.proposed_by === user.username) return 'own';
  if (proposal.approvals.some((a) => a.username === user.username)) return 'approved';
  return proposal.missing_roles.some((r) => user.roles.includes(r as Role)) ? 'may' : 'role';
}

export const mayReject = (
  proposal: Pick<ProposalRecord, 'status' | 'proposed_by' | 'approve_roles'>,
  user: { username: string; roles: readonly Role[] },
) =>
  proposal.status === 'pending' &&
  proposal.proposed_by !== user.username &&
  proposal.approve_roles.some((r) => user.roles.includes(r as Role));

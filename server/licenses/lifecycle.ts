import type { LicenseStatus } from './schemas.ts';

/**
 * The licence state machine (SPEC.md §4.3): pending → approved | rejected; approved → revoked. Nothing else.
 * Pure, so it is tested on every state × action pair and shared by the mocks.
 */
export const LICENSE_ACTIONS = ['approve', 'reject', 'revoke'] as const;
export type LicenseAction = (typeof LICENSE_ACTIONS)[number];

const TRANSITIONS: Record<LicenseStatus, Partial<Record<LicenseAction, LicenseStatus>>> = {
  pending: { approve: 'approved', reject: 'rejected' },
  approved: { revoke: 'revoked' },
  rejected: {},
  revoked: {},
};

/** the state after `action`, or undefined when the action is not allowed from `status` */
export function transition(status: LicenseStatus, action: LicenseAction): LicenseStatus | undefined {
  return TRANSITIONS[status][action];
}

export const allowedActions = (status: LicenseStatus): LicenseAction[] =>
  LICENSE_ACTIONS.filter((a) => transition(status, a) !== undefined);

/** the approval's terms, checked together (SPEC.md: max_runs for run_limited, expires_at for fixed_term) */
export function approvalProblems(a: {
  effective_at: string;
  expiry_type: string;
  max_runs?: number | null | undefined;
  expires_at?: string | null | undefined;
}): Record<string, string> {
  const problems: Record<string, string> = {};
  if (a.expiry_type === 'run_limited' && (a.max_runs === undefined || a.max_runs === null)) {
    problems.max_runs = 'is required when expiry_type is run_limited';
  }
  if (a.expiry_type !== 'run_limited' && a.max_runs !== undefined && a.max_runs !== null) {
    problems.max_runs = 'applies only when expiry_type is run_limited';
  }
  if (a.expiry_type === 'fixed_term') {
    if (!a.expires_at) problems.expires_at = 'is required when expiry_type is fixed_term';
    else if (Date.parse(a.expires_at) <= Date.parse(a.effective_at))
      problems.expires_at = 'must be after effective_at';
  } else if (a.expires_at) {
    problems.expires_at = 'applies only when expiry_type is fixed_term';
  }
  return problems;
}

/** whether an approved licence lets the account run now (the platform's check) */
export function licenceAllows(
  l: {
    status: LicenseStatus;
    effective_at: string | null;
    expires_at: string | null;
    max_runs: number | null;
  },
  runsUsed: number,
  now: Date,
): boolean {
  if (l.status !== 'approved' || !l.effective_at) return false;
  const t = now.getTime();
  if (t < Date.parse(l.effective_at)) return false;
  if (l.expires_at && t >= Date.parse(l.expires_at)) return false;
  return l.max_runs === null || runsUsed < l.max_runs;
}

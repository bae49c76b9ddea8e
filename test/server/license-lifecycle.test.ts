import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  approvalProblems,
  LICENSE_ACTIONS,
  type LicenseAction,
  licenceAllows,
  transition,
} from '../../server/licenses/lifecycle.ts';
import { LICENSE_STATUSES, type LicenseStatus } from '../../server/licenses/schemas.ts';

/**
 * The licence state machine (SPEC.md §4.3), as pure functions: pending → approved | rejected,
 * approved → revoked, nothing else; the approval's terms; and whether an approved licence lets the account run.
 */

/** every state × action, and the state it leads to (undefined: not allowed) */
const TABLE: Array<[LicenseStatus, LicenseAction, LicenseStatus | undefined]> = [
  ['pending', 'approve', 'approved'],
  ['pending', 'reject', 'rejected'],
  ['pending', 'revoke', undefined],
  ['approved', 'approve', undefined],
  ['approved', 'reject', undefined],
  ['approved', 'revoke', 'revoked'],
  ['rejected', 'approve', undefined],
  ['rejected', 'reject', undefined],
  ['rejected', 'revoke', undefined],
  ['revoked', 'approve', undefined],
  ['revoked', 'reject', undefined],
  ['revoked', 'revoke', undefined],
];

describe('transition', () => {
  it('the table covers every state × action pair exactly once', () => {
    const pairs = TABLE.map(([s, a]) => `${s}:${a}`);
    expect(new Set(pairs).size).toBe(12);
    expect(pairs.sort()).toEqual(
      LICENSE_STATUSES.flatMap((s) => LICENSE_ACTIONS.map((a) => `${s}:${a}`)).sort(),
    );
  });

  it.each(TABLE)('%s + %s → %s', (status, action, expected) => {
    expect(transition(status, action)).toBe(expected);
  });
});

describe('allowedActions', () => {
  it.each([
    ['pending', ['approve', 'reject']],
    ['approved', ['revoke']],
    ['rejected', []],
    ['revoked', []],
  ] as Array<[LicenseStatus, LicenseAction[]]>)('%s allows %j', (status, actions) => {
    expect(allowedActions(status)).toEqual(actions);
  });
});

describe('approvalProblems', () => {
  const effective_at = '2026-11-25T12:00:00+08:00';

  it('run_limited needs max_runs', () => {
    expect(approvalProblems({ effective_at, expiry_type: 'run_limited', max_runs: 3 })).toEqual({});
    expect(approvalProblems({ effective_at, expiry_type: 'run_limited' })).toEqual({
      max_runs: 'is required when expiry_type is run_limited',
    });
    expect(approvalProblems({ effective_at, expiry_type: 'run_limited', max_runs: null })).toEqual({
      max_runs: 'is required when expiry_type is run_limited',
    });
  });

  it('run_limited takes no expires_at', () => {
    expect(
      approvalProblems({
        effective_at,
        expiry_type: 'run_limited',
        max_runs: 3,
        expires_at: '2026-12-25T12:00:00+08:00',
      }),
    ).toEqual({ expires_at: 'applies only when expiry_type is fixed_term' });
  });

  it('fixed_term needs expires_at after effective_at', () => {
    expect(
      approvalProblems({ effective_at, expiry_type: 'fixed_term', expires_at: '2026-12-25T12:00:00+08:00' }),
    ).toEqual({});
    expect(approvalProblems({ effective_at, expiry_type: 'fixed_term' })).toEqual({
      expires_at: 'is required when expiry_type is fixed_term',
    });
    expect(approvalProblems({ effective_at, expiry_type: 'fixed_term', expires_at: null })).toEqual({
      expires_at: 'is required when expiry_type is fixed_term',
    });
    // the same instant written in UTC is not after it
    expect(
      approvalProblems({ effective_at, expiry_type: 'fixed_term', expires_at: '2026-11-25T04:00:00Z' }),
    ).toEqual({ expires_at: 'must be after effective_at' });
    expect(
      approvalProblems({ effective_at, expiry_type: 'fixed_term', expires_at: '2026-11-24T12:00:00+08:00' }),
    ).toEqual({ expires_at: 'must be after effective_at' });
  });

  it('fixed_term takes no max_runs', () => {
    expect(
      approvalProblems({
        effective_at,
        expiry_type: 'fixed_term',
        expires_at: '2026-12-25T12:00:00+08:00',
        max_runs: 5,
      }),
    ).toEqual({ max_runs: 'applies only when expiry_type is run_limited' });
  });

  it('permanent takes neither max_runs nor expires_at', () => {
    expect(approvalProblems({ effective_at, expiry_type: 'permanent' })).toEqual({});
    expect(
      approvalProblems({ effective_at, expiry_type: 'permanent', max_runs: null, expires_at: null }),
    ).toEqual({});
    expect(
      approvalProblems({
        effective_at,
        expiry_type: 'permanent',
        max_runs: 2,
        expires_at: '2026-12-25T12:00:00+08:00',
      }),
    ).toEqual({
      max_runs: 'applies only when expiry_type is run_limited',
      expires_at: 'applies only when expiry_type is fixed_term',
    });
  });
});

describe('licenceAllows', () => {
  const now = new Date('2026-11-25T04:00:00.000Z');
  const approved = {
    status: 'approved' as LicenseStatus,
    effective_at: '2026-11-25T00:00:00.000Z',
    expires_at: null as string | null,
    max_runs: null as number | null,
  };

  it('an approved, effective licence without limits allows', () => {
    expect(licenceAllows(approved, 0, now)).toBe(true);
    expect(licenceAllows(approved, 1000, now)).toBe(true);
  });

  it.each(['pending', 'rejected', 'revoked'] as LicenseStatus[])('a %s licence never allows', (status) => {
    expect(licenceAllows({ ...approved, status }, 0, now)).toBe(false);
  });

  it('an approval without effective_at does not allow', () => {
    expect(licenceAllows({ ...approved, effective_at: null }, 0, now)).toBe(false);
  });

  it('allows from effective_at on, not before', () => {
    const l = { ...approved, effective_at: now.toISOString() };
    expect(licenceAllows(l, 0, new Date(now.getTime() - 1))).toBe(false);
    expect(licenceAllows(l, 0, now)).toBe(true);
  });

  it('allows until expires_at, not at or after it', () => {
    const l = { ...approved, expires_at: '2026-11-26T00:00:00.000Z' };
    expect(licenceAllows(l, 0, new Date('2026-11-25T23:59:59.999Z'))).toBe(true);
    expect(licenceAllows(l, 0, new Date('2026-11-26T00:00:00.000Z'))).toBe(false);
    expect(licenceAllows(l, 0, new Date('2026-11-27T00:00:00.000Z'))).toBe(false);
  });

  it('allows while runs are left', () => {
    const l = { ...approved, max_runs: 3 };
    expect(licenceAllows(l, 0, now)).toBe(true);
    expect(licenceAllows(l, 2, now)).toBe(true);
    expect(licenceAllows(l, 3, now)).toBe(false);
    expect(licenceAllows(l, 4, now)).toBe(false);
  });
});

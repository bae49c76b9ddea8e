/**
 * The audit log's hash chain, walked: pure, so the server (SHA-256 over SQLite rows) and the mocks (their own
 * stand-in hash) verify alike.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** the newest row: record it elsewhere to detect a truncated tail or a rebuilt chain later */
  head?: { id: number; hash: string };
  /** the first row whose hash or link does not hold, and why */
  broken?: { id: number; reason: string };
}

/** from the first row: ids without gaps, each row linked to its predecessor, its hash matching its content */
export function walkChain<R extends { id: number; prev_hash: string; hash: string }>(
  rows: Iterable<R>,
  hashOf: (content: Omit<R, 'hash'>) => string,
): VerifyResult {
  let prev = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  for (const r of rows) {
    if (r.id !== expectedId)
      return { ok: false, checked, broken: { id: r.id, reason: `row ${expectedId} is missing` } };
    if (r.prev_hash !== prev)
      return { ok: false, checked, broken: { id: r.id, reason: 'does not link to the row before it' } };
    const { hash, ...content } = r;
    if (hashOf(content) !== hash)
      return { ok: false, checked, broken: { id: r.id, reason: 'its content does not match its hash' } };
    prev = hash;
    expectedId++;
    checked++;
  }
  return { ok: true, checked, ...(checked ? { head: { id: expectedId - 1, hash: prev } } : {}) };
}

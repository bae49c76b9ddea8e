import { createHash } from 'node:crypto';
import type { DB } from '../../db/open.ts';
import { GENESIS_HASH, type VerifyResult, walkChain } from './chain.ts';

export { GENESIS_HASH, type VerifyResult };

/**
 * The append-only audit log. Every change and decision writes one row in the same transaction as the change
 * (callers run writeAudit inside their db.transaction). Rows are chained: each stores the previous row's
 * hash and a hash over its own content and that link, so editing or removing a row breaks verification.
 */
export interface AuditEntry {
  actor: { id: number | null; username: string };
  action: string;
  resource: string;
  resource_id?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  request_id?: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip?: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  resource: string;
  resource_id: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  request_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  prev_hash: string;
  hash: string;
}

/** the hash of a row: over every stored column but its own hash, in a fixed order */
export function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const content = [
    r.id,
    r.at,
    r.actor_id,
    r.actor,
    r.action,
    r.resource,
    r.resource_id,
    r.before,
    r.after,
    r.reason,
    r.request_id,
    r.outcome,
    r.ip,
    r.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export function writeAudit(db: DB, entry: AuditEntry, at: Date): number {
  if (!db.inTransaction)
    throw new Error('writeAudit must run inside the transaction of the change it records');
  const last = db.prepare('SELECT id, hash FROM landing_phase1_audit_log ORDER BY id DESC LIMIT 1').get() as
    | { id: number; hash: string }
    | undefined;
  const row: Omit<AuditRow, 'hash'> = {
    id: (last?.id ?? 0) + 1,
    at: at.toISOString(),
    actor_id: entry.actor.id,
    actor: entry.actor.username,
    action: entry.action,
    resource: entry.resource,
    resource_id:
      entry.resource_id === undefined || entry.resource_id === null ? null : String(entry.resource_id),
    before: json(entry.before),
    after: json(entry.after),
    reason: entry.reason ?? null,
    request_id: entry.request_id ?? null,
    outcome: entry.outcome,
    ip: entry.ip ?? null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  db.prepare(
    `INSERT INTO landing_phase1_audit_log (id, at, actor_id, actor, action, resource, resource_id, before, after,
       reason, request_id, outcome, ip, prev_hash, hash)
     VALUES (@id, @at, @actor_id, @actor, @action, @resource, @resource_id, @before, @after, @reason, @request_id,
       @outcome, @ip, @prev_hash, @hash)`,
  ).run({ ...row, hash: rowHash(row) });
  return row.id;
}

/** writes an audit row in a transaction of its own: for events with no other change (sign-in, denials) */
export function recordAudit(db: DB, entry: AuditEntry, at: Date): number {
  return db.transaction(() => writeAudit(db, entry, at))();
}

/** walks the chain from the first row: each row's hash must match its content and link to its predecessor */
export function verifyAuditChain(db: DB): VerifyResult {
  return walkChain(
    db.prepare('SELECT * FROM landing_phase1_audit_log ORDER BY id').iterate() as Iterable<AuditRow>,
    rowHash,
  );
}

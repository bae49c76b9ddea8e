import { type Context, Hono } from 'hono';
import { presenter, refuseSensitiveProbes } from '../auth/masking.ts';
import { auditContext } from '../auth/middleware.ts';
import { can } from '../auth/permissions.ts';
import { parseBody } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { cents } from './bounds.ts';
import { getEntry, type Ledger } from './entries.ts';
import { idempotencyKey, idempotencyStore, requestHash } from './idempotency.ts';
import {
  adjustmentSchema,
  approveEntrySchema,
  type LedgerAccount,
  type LedgerEntry,
  rejectEntrySchema,
  rollbackSchema,
} from './schemas.ts';

const SORTABLE = ['seq', 'created_at', 'amount', 'status'] as const;
const ACCOUNT_SORTABLE = ['balance', 'last_entry_at', 'entries', 'account_id'] as const;

/** a ledger id from the path: the platform's ids are free text, so only its length is bounded */
function entryIdParam(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (id.length < 1 || id.length > 200)
    throw new ApiError(400, 'id must be a ledger id of 1–200 characters', { id: 'must be 1–200 characters' });
  return id;
}

/** the credits ledger: entries, per-account balances, and the manual entries ops request and approve */
export function ledgerRoutes(deps: RouteDeps & { plan: PlanCache; ledger: Ledger }) {
  const { db, clock, requires, plan, ledger } = deps;
  const present = (c: Context<AppEnv>) => presenter(c.var.user!.roles, plan.sensitiveNames());
  const idempotency = idempotencyStore(db);

  /**
   * A money-moving request, exactly once per Idempotency-Key: the same key and body replay the first answer
   * (with `Idempotent-Replayed: true`) and make nothing new; the same key with another body is 409. The
   * answer is remembered in the transaction that makes the entry, so it is kept exactly when the entry is.
   */
  const manual = (kind: 'manual_rollback' | 'manual_adjustment') => async (c: Context<AppEnv>) => {
    const key = idempotencyKey(c);
    const body =
      kind === 'manual_rollback'
        ? await parseBody(c, rollbackSchema, 'rollback')
        : await parseBody(c, adjustmentSchema, 'adjustment');
    const user = c.var.user!;
    const hash = requestHash(kind, body);
    const ctx = { user, audit: auditContext(c) };
    const answer = db
      .transaction(() => {
        const prior = idempotency.find(user.id, key, hash);
        if (prior) return { ...prior, replayed: true };
        const entry = ledger.requestEntry(kind, body, ctx);
        const first = { status: 201, body: entry };
        idempotency.remember(user.id, key, hash, first, clock());
        return { ...first, replayed: false };
      })
      .immediate();
    c.header('Idempotent-Replayed', String(answer.replayed));
    return c.json(present(c)(answer.body as LedgerEntry), answer.status as 201);
  };

  const where = (filter: Record<string, unknown>) => {
    const { q, ...rest } = filter;
    const { clauses, params } = buildWhere(rest, {
      id: { sql: 'id', type: 'text' },
      kind: { sql: 'kind', type: 'text' },
      status: { sql: 'status', type: 'text' },
      account_id: { sql: 'account_id', type: 'text' },
      task_id: { sql: 'task_id', type: 'text' },
      policy_tag: { sql: 'policy_tag', type: 'text' },
      created_by: { sql: 'created_by', type: 'text' },
      created_at: { sql: 'created_at', type: 'text' },
      amount: { sql: 'amount', type: 'number' },
    });
    if (typeof q === 'string' && q.trim()) {
      const s = q.trim();
      clauses.push('((id >= ? AND id < ?) OR (task_id >= ? AND task_id < ?))');
      params.push(s, `${s}\uffff`, s, `${s}\uffff`);
    }
    return { sql: whereSql(clauses), params };
  };

  return new Hono<AppEnv>()
    .get('/ledger', requires('ledger:read'), (c) => {
      const q = parseListQuery(c, { sortable: SORTABLE, defaultSort: ['seq', 'DESC'] });
      refuseSensitiveProbes(c.var.user!.roles, plan.sensitiveNames(), q);
      const w = where(q.filter);
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_ledger ${w.sql}`)
        .pluck()
        .get(...w.params) as number;
      const rows = db
        .prepare(
          `SELECT * FROM landing_phase1_ledger ${w.sql} ORDER BY ${q.sort.field} ${q.sort.order}, seq ${q.sort.order} LIMIT ? OFFSET ?`,
        )
        .all(...w.params, q.limit, q.offset) as LedgerEntry[];
      return listResponse(c, 'ledger', rows.map(present(c)), q.offset, total);
    })
    .get('/ledger/:id', requires('ledger:read'), (c) => {
      const id = entryIdParam(c);
      const entry = getEntry(db, id);
      if (!entry) throw new ApiError(404, `no ledger entry ${id}`);
      return c.json(present(c)(entry));
    })
    .post('/ledger/rollbacks', requires('ledger:write'), manual('manual_rollback'))
    .post('/ledger/adjustments', requires('ledger:write'), manual('manual_adjustment'))
    .post('/ledger/:id/approve', requires('ledger:approve'), async (c) => {
      const id = entryIdParam(c);
      const body = await parseBody(c, approveEntrySchema, 'approval');
      const entry = ledger.decide(id, true, body.note ?? null, { user: c.var.user!, audit: auditContext(c) });
      return c.json(present(c)(entry));
    })
    .post('/ledger/:id/reject', requires('ledger:approve'), async (c) => {
      const id = entryIdParam(c);
      const body = await parseBody(c, rejectEntrySchema, 'rejection');
      const entry = ledger.decide(id, false, body.reason, { user: c.var.user!, audit: auditContext(c) });
      return c.json(present(c)(entry));
    })
    .get('/ledger-accounts', requires('ledger:read'), (c) => {
      const q = parseListQuery(c, { sortable: ACCOUNT_SORTABLE, defaultSort: ['balance', 'ASC'] });
      // `q` is a prefix search over account ids
      refuseSensitiveProbes(c.var.user!.roles, plan.sensitiveNames(), q, ['q']);
      const { q: search, ...rest } = q.filter;
      const { clauses, params } = buildWhere(rest, { account_id: { sql: 'account_id', type: 'text' } });
      if (typeof search === 'string' && search.trim()) {
        clauses.push('account_id >= ? AND account_id < ?');
        params.push(search.trim(), `${search.trim()}\uffff`);
      }
      // the per-account balances kept by triggers (landing_phase1_ledger_accounts): an index walk per page
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_ledger_accounts ${whereSql(clauses)}`)
        .pluck()
        .get(...params) as number;
      const rows = db
        .prepare(
          `SELECT a.*, (SELECT count(DISTINCT task_id) FROM landing_phase1_ledger g WHERE g.account_id = a.account_id) AS tasks
           FROM landing_phase1_ledger_accounts a ${whereSql(clauses)}
           ORDER BY ${q.sort.field} ${q.sort.order}, account_id ${q.sort.order} LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, q.offset) as Array<Omit<LedgerAccount, 'id'>>;
      const show = present(c);
      // the account hash is sensitive: a role that sees it masked gets a row number as the record id
      const clear = can(c.var.user!.roles, 'sensitive:read');
      const accounts = rows.map((r, i) => {
        const a: LedgerAccount = {
          ...r,
          id: clear ? r.account_id : `row_${q.offset + i + 1}`,
          balance: cents(r.balance),
          charged: cents(r.charged),
          refunded: cents(r.refunded),
          pending_refunds: cents(r.pending_refunds),
        };
        return show(a);
      });
      return listResponse(c, 'ledger-accounts', accounts, q.offset, total);
    });
}

import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { maskDeep } from '../auth/masking.ts';
import { can } from '../auth/permissions.ts';
import { idParam } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, type FilterColumns, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { AUDIT_CSV_COLUMNS, auditCsvLine } from './csv.ts';
import { type AuditRow, verifyAuditChain } from './log.ts';
import type { AuditRecord } from './schemas.ts';

const COLUMNS: FilterColumns = {
  id: { sql: 'id', type: 'number' },
  at: { sql: 'at', type: 'text' },
  actor: { sql: 'actor', type: 'text' },
  action: { sql: 'action', type: 'text' },
  resource: { sql: 'resource', type: 'text' },
  resource_id: { sql: 'resource_id', type: 'text' },
  outcome: { sql: 'outcome', type: 'text' },
};
const SORTABLE = ['id', 'at', 'actor', 'action', 'resource'] as const;

export function auditRoutes(deps: RouteDeps & { sensitiveNames: () => ReadonlySet<string> }) {
  const { db, requires } = deps;

  /** the row as a reader may see it: before/after parsed, sensitive fields masked unless they may read them */
  const present = (r: AuditRow, user: SessionUser | null): AuditRecord => {
    const clear = user !== null && can(user.roles, 'sensitive:read');
    const names = deps.sensitiveNames();
    const parse = (s: string | null) =>
      s === null ? null : clear ? JSON.parse(s) : maskDeep(JSON.parse(s), names);
    const { prev_hash: _, ...rest } = r;
    return { ...rest, before: parse(r.before), after: parse(r.after) };
  };
  const query = (filter: Record<string, unknown>) => {
    const { q, ...rest } = filter;
    const { clauses, params } = buildWhere(rest, COLUMNS);
    if (typeof q === 'string' && q.trim()) {
      clauses.push('(actor LIKE ? OR action LIKE ? OR resource_id LIKE ? OR reason LIKE ?)');
      params.push(...Array(4).fill(`%${q.trim()}%`));
    }
    return { where: whereSql(clauses), params };
  };

  return new Hono<AppEnv>()
    .get('/audit', requires('audit:read'), (c) => {
      const q = parseListQuery(c, { sortable: SORTABLE, defaultSort: ['id', 'DESC'] });
      const { where, params } = query(q.filter);
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_audit_log ${where}`)
        .pluck()
        .get(...params) as number;
      const rows = db
        .prepare(
          `SELECT * FROM landing_phase1_audit_log ${where} ORDER BY ${q.sort.field} ${q.sort.order}, id DESC LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, q.offset) as AuditRow[];
      return listResponse(
        c,
        'audit',
        rows.map((r) => present(r, c.var.user)),
        q.offset,
        total,
      );
    })
    .get('/audit/verify', requires('audit:read'), (c) => c.json(verifyAuditChain(db)))
    .get('/audit/export', requires('audit:export'), (c) => {
      // the current filter as CSV, oldest first, streamed in pages of 1000 rows by id (an open better-sqlite3
      // iterator must not span an await: other requests use the same connection meanwhile)
      const filter = parseListQuery(c, { sortable: ['id'], defaultSort: ['id', 'ASC'] }).filter;
      const { where, params } = query(filter);
      const page = db.prepare(
        `SELECT * FROM landing_phase1_audit_log ${where ? `${where} AND` : 'WHERE'} id > ? ORDER BY id LIMIT 1000`,
      );
      const user = c.var.user;
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header(
        'Content-Disposition',
        `attachment; filename="audit-log-${deps.clock().toISOString().slice(0, 10)}.csv"`,
      );
      return stream(c, async (s) => {
        await s.write(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
        let last = 0;
        for (;;) {
          const rows = page.all(...params, last) as AuditRow[];
          if (rows.length === 0) break;
          last = rows[rows.length - 1]!.id;
          const lines = rows.map((r) => auditCsvLine(present(r, user)));
          await s.write(lines.join(''));
        }
      });
    })
    .get('/audit/:id', requires('audit:read'), (c) => {
      const id = idParam(c);
      const row = db.prepare('SELECT * FROM landing_phase1_audit_log WHERE id = ?').get(id) as
        | AuditRow
        | undefined;
      if (!row) throw new ApiError(404, `no audit row ${id}`);
      return c.json(present(row, c.var.user));
    });
}

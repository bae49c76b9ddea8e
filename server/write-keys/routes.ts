import { type Context, Hono } from 'hono';
import { writeAudit } from '../audit/log.ts';
import { auditContext } from '../auth/middleware.ts';
import type { Permission } from '../auth/permissions.ts';
import { idParam, parseBody } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { type CredentialKind, createWriteKey } from './keys.ts';
import { type WriteKeyRecord, writeKeyCreateSchema, writeKeyUpdateSchema } from './schemas.ts';

const COLUMNS = 'id, source, label, key_prefix, created_at, created_by, revoked_at, revoked_by, replaced_by';
type Row = Omit<WriteKeyRecord, 'status'>;
const toKey = (r: Row): WriteKeyRecord => ({ ...r, status: r.revoked_at ? 'revoked' : 'active' });

/** the two kinds of credential, managed alike: where they live in the API, what they are called, who may */
export const CREDENTIALS = {
  write_key: { path: '/write-keys', noun: 'write key', read: 'write-keys:read', write: 'write-keys:write' },
  service_token: {
    path: '/service-tokens',
    noun: 'service token',
    read: 'service-tokens:read',
    write: 'service-tokens:write',
  },
} as const satisfies Record<
  CredentialKind,
  { path: string; noun: string; read: Permission; write: Permission }
>;

/**
 * Ingestion write keys (one or more per source team) or service tokens (the platform's calls such as the
 * licence check): admins create, label, rotate and revoke them; a key is shown once, stored hashed.
 */
export function credentialRoutes(deps: RouteDeps, kind: CredentialKind) {
  const { db, clock, requires } = deps;
  const { path, noun, read, write } = CREDENTIALS[kind];
  const get = (id: number) => {
    const row = db
      .prepare(`SELECT ${COLUMNS} FROM landing_phase1_write_keys WHERE id = ? AND kind = ?`)
      .get(id, kind) as Row | undefined;
    if (!row) throw new ApiError(404, `no ${noun} ${id}`);
    return toKey(row);
  };
  const active = (id: number) => {
    const key = get(id);
    if (key.revoked_at) throw new ApiError(409, `${noun} ${id} is already revoked`);
    return key;
  };
  /** one change to key `id` and its audit row (before/after), in one transaction; returns the key after */
  const change = (c: Context<AppEnv>, id: number, action: string, mutate: () => void) => {
    const now = clock();
    return db.transaction(() => {
      const before = get(id);
      mutate();
      const after = get(id);
      writeAudit(
        db,
        {
          ...auditContext(c),
          action,
          resource: kind,
          resource_id: id,
          before,
          after,
          outcome: 'success',
        },
        now,
      );
      return after;
    })();
  };
  const revoke = db.prepare(
    'UPDATE landing_phase1_write_keys SET revoked_at = ?, revoked_by = ?, replaced_by = ? WHERE id = ?',
  );

  return new Hono<AppEnv>()
    .get(path, requires(read), (c) => {
      const q = parseListQuery(c, {
        sortable: ['id', 'source', 'label', 'created_at'],
        defaultSort: ['id', 'DESC'],
      });
      const { status, ...rest } = q.filter;
      const { clauses, params } = buildWhere(
        { ...rest, kind },
        {
          kind: { sql: 'kind', type: 'text' },
          source: { sql: 'source', type: 'text' },
          id: { sql: 'id', type: 'number' },
        },
      );
      if (status === 'active' || status === 'revoked')
        clauses.push(status === 'active' ? 'revoked_at IS NULL' : 'revoked_at IS NOT NULL');
      else if (status !== undefined && status !== '')
        throw new ApiError(400, 'filter.status must be active or revoked', {
          'filter.status': 'must be active or revoked',
        });
      const where = whereSql(clauses);
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_write_keys ${where}`)
        .pluck()
        .get(...params) as number;
      const rows = db
        .prepare(
          `SELECT ${COLUMNS} FROM landing_phase1_write_keys ${where} ORDER BY ${q.sort.field} ${q.sort.order}, id LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, q.offset) as Row[];
      return listResponse(c, path.slice(1), rows.map(toKey), q.offset, total);
    })
    .get(`${path}/:id`, requires(read), (c) => c.json(get(idParam(c))))
    .post(path, requires(write), async (c) => {
      const body = await parseBody(c, writeKeyCreateSchema, noun);
      const now = clock();
      const created = db.transaction(() => {
        const { id, key } = createWriteKey(db, {
          ...body,
          kind,
          createdAt: now.toISOString(),
          createdBy: c.var.user?.username,
        });
        const record = get(id);
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: `${kind}.create`,
            resource: kind,
            resource_id: id,
            after: record,
            outcome: 'success',
          },
          now,
        );
        return { ...record, key };
      })();
      return c.json(created, 201);
    })
    .put(`${path}/:id`, requires(write), async (c) => {
      const id = idParam(c);
      const { label } = await parseBody(c, writeKeyUpdateSchema, noun);
      return c.json(
        change(c, id, `${kind}.relabel`, () =>
          db.prepare('UPDATE landing_phase1_write_keys SET label = ? WHERE id = ?').run(label, id),
        ),
      );
    })
    .post(`${path}/:id/rotate`, requires(write), (c) => {
      const id = idParam(c);
      const now = clock();
      const rotated = db.transaction(() => {
        const before = active(id);
        const next = createWriteKey(db, {
          kind,
          source: before.source,
          label: before.label,
          createdAt: now.toISOString(),
          createdBy: c.var.user?.username,
        });
        revoke.run(now.toISOString(), c.var.user?.username ?? null, next.id, id);
        const record = get(next.id);
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: `${kind}.rotate`,
            resource: kind,
            resource_id: id,
            before,
            after: get(id),
            reason: `replaced by ${noun} ${next.id} (${record.key_prefix}…)`,
            outcome: 'success',
          },
          now,
        );
        return { ...record, key: next.key };
      })();
      return c.json(rotated, 201);
    })
    .post(`${path}/:id/revoke`, requires(write), (c) => {
      const id = idParam(c);
      return c.json(
        change(c, id, `${kind}.revoke`, () => {
          active(id);
          revoke.run(clock().toISOString(), c.var.user?.username ?? null, null, id);
        }),
      );
    });
}

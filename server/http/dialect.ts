import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from './errors.ts';

/**
 * The ra-data-simple-rest dialect: `sort=["field","ASC"]&range=[0,24]&filter={...}` in, a JSON array plus
 * `Content-Range: <resource> 0-24/319` out. Filters follow FakeRest's operators: a plain key is equality,
 * an array means IN, suffixes _gte _gt _lte _lt _neq compare, `q` is a resource-defined search.
 */
/** the largest page a list answers, unless a resource allows more (the counters are small rows) */
export const MAX_PAGE = 1000;

export interface ListQuery {
  sort: { field: string; order: 'ASC' | 'DESC' };
  offset: number;
  limit: number;
  filter: Record<string, unknown>;
}

const jsonParam = <T extends z.ZodType>(name: string, schema: T, example: string) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const sortParam = jsonParam(
  'sort',
  z.tuple([z.string(), z.enum(['ASC', 'DESC', 'asc', 'desc'])], {
    error: 'sort must be ["field","ASC"|"DESC"]',
  }),
  '["id","DESC"]',
);
const rangeParam = (maxPage: number) =>
  jsonParam(
    'range',
    z
      .tuple([z.number().int().min(0), z.number().int().min(0)], { error: 'range must be [from, to]' })
      .refine(([a, b]) => b >= a, 'range must be [from, to] with to >= from')
      .refine(([a, b]) => b - a < maxPage, `range may span at most ${maxPage} records`),
    '[0,24]',
  );
const filterParam = jsonParam(
  'filter',
  z.record(z.string(), z.unknown(), { error: 'filter must be a JSON object' }),
  '{}',
);

export function parseListQuery(
  c: Context,
  opts: { sortable: readonly string[]; defaultSort: [string, 'ASC' | 'DESC']; maxPage?: number },
): ListQuery {
  const errors: Record<string, string> = {};
  const q = (name: string) => c.req.query(name);
  let sort = { field: opts.defaultSort[0], order: opts.defaultSort[1] };
  let offset = 0;
  let limit = 25;
  let filter: Record<string, unknown> = {};
  const s = q('sort');
  if (s !== undefined) {
    const r = sortParam.safeParse(s);
    if (!r.success) errors.sort = r.error.issues[0]?.message ?? 'invalid';
    else if (!opts.sortable.includes(r.data[0]))
      errors.sort = `cannot sort by ${r.data[0]}; sortable: ${opts.sortable.join(', ')}`;
    else sort = { field: r.data[0], order: r.data[1].toUpperCase() as 'ASC' | 'DESC' };
  }
  const rg = q('range');
  if (rg !== undefined) {
    const r = rangeParam(opts.maxPage ?? MAX_PAGE).safeParse(rg);
    if (!r.success) errors.range = r.error.issues[0]?.message ?? 'invalid';
    else [offset, limit] = [r.data[0], r.data[1] - r.data[0] + 1];
  }
  const f = q('filter');
  if (f !== undefined) {
    const r = filterParam.safeParse(f);
    if (!r.success) errors.filter = r.error.issues[0]?.message ?? 'invalid';
    else filter = r.data;
  }
  if (Object.keys(errors).length) {
    throw new ApiError(
      400,
      `invalid list query: ${Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}`,
      errors,
    );
  }
  return { sort, offset, limit, filter };
}

export type ColumnType = 'text' | 'number' | 'boolean';
export interface FilterColumns {
  [key: string]: { sql: string; type: ColumnType };
}

const OPS = { _gte: '>=', _gt: '>', _lte: '<=', _lt: '<', _neq: '!=' } as const;

function coerce(key: string, type: ColumnType, v: unknown): string | number {
  if (type === 'boolean') {
    if (v === true || v === 'true' || v === 1 || v === '1') return 1;
    if (v === false || v === 'false' || v === 0 || v === '0') return 0;
    throw new ApiError(400, `filter.${key} must be true or false`, {
      [`filter.${key}`]: 'must be true or false',
    });
  }
  if (type === 'number') {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n))
      throw new ApiError(400, `filter.${key} must be a number`, { [`filter.${key}`]: 'must be a number' });
    return n;
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new ApiError(400, `filter.${key} must be a string`, { [`filter.${key}`]: 'must be a string' });
  }
  return String(v);
}

/**
 * WHERE clauses for the filter keys a resource declares; keys it handles itself are skipped via `custom`;
 * an unknown key is a 400 naming it rather than being silently ignored.
 */
export function buildWhere(
  filter: Record<string, unknown>,
  columns: FilterColumns,
  custom: readonly string[] = [],
): { clauses: string[]; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  for (const [key, value] of Object.entries(filter)) {
    if (custom.includes(key) || value === undefined || value === '') continue;
    const suffix = (Object.keys(OPS) as Array<keyof typeof OPS>).find((s) => key.endsWith(s));
    const base = suffix ? key.slice(0, -suffix.length) : key;
    const col = columns[base];
    if (!col) {
      throw new ApiError(400, `cannot filter by ${key}`, {
        [`filter.${key}`]: `unknown filter; known: ${[...Object.keys(columns), ...custom].join(', ')}`,
      });
    }
    if (suffix) {
      clauses.push(`${col.sql} ${OPS[suffix]} ?`);
      params.push(coerce(key, col.type, value));
    } else if (Array.isArray(value)) {
      if (value.length === 0) {
        clauses.push('0');
        continue;
      }
      clauses.push(`${col.sql} IN (${value.map(() => '?').join(', ')})`);
      params.push(...value.map((v) => coerce(key, col.type, v)));
    } else {
      clauses.push(`${col.sql} = ?`);
      params.push(coerce(key, col.type, value));
    }
  }
  return { clauses, params };
}

export const whereSql = (clauses: string[]) => (clauses.length ? `WHERE ${clauses.join(' AND ')}` : '');

/** answers a list in the dialect: the page as a JSON array with its Content-Range */
export function listResponse(
  c: Context,
  resource: string,
  rows: unknown[],
  offset: number,
  total: number,
): Response {
  const end = rows.length ? offset + rows.length - 1 : offset;
  c.header('Content-Range', `${resource} ${offset}-${end}/${total}`);
  c.header('Access-Control-Expose-Headers', 'Content-Range');
  return c.json(rows);
}

import type { DB } from '../../db/open.ts';
import { buildWhere, type FilterColumns, type ListQuery, whereSql } from '../http/dialect.ts';
import { ApiError } from '../http/errors.ts';
import { ruleSchema } from '../plan/schemas.ts';
import type { StoredEvent, Violation } from './schemas.ts';

/** each has an index in id order within a value; received_at is not offered: id order is the order received */
export const EVENT_SORTABLE = ['id', 'occurred_at', 'event', 'day', 'source'] as const;

const COLUMNS: FilterColumns = {
  id: { sql: 'e.id', type: 'number' },
  event: { sql: 'e.event', type: 'text' },
  event_id: { sql: 'e.event_id', type: 'text' },
  day: { sql: 'e.day', type: 'text' },
  source: { sql: 'e.source', type: 'text' },
  planned: { sql: 'e.planned', type: 'boolean' },
  occurred_at: { sql: 'e.occurred_at', type: 'text' },
  received_at: { sql: 'e.received_at', type: 'text' },
};
/** filters answered from the completeness counters when they are the only ones */
const COUNTER_FILTERS = new Set(['event', 'day', 'day_gte', 'day_lte', 'has_violation', 'planned']);

/** a stored event as read from landing_phase1_events (SELECT *) */
export interface Row {
  id: number;
  event_id: string;
  event: string;
  day: string;
  occurred_at: string;
  received_at: string;
  source: string;
  planned: number;
  violation_count: number;
  properties: string;
  violations: string;
}

/** a row as every reader is given it (before masking): the list, one event, the NDJSON export */
export const toEvent = (r: Row): StoredEvent => ({
  id: r.id,
  event_id: r.event_id,
  event: r.event,
  day: r.day,
  occurred_at: r.occurred_at,
  received_at: r.received_at,
  source: r.source,
  planned: r.planned === 1,
  valid: r.violation_count === 0,
  violation_count: r.violation_count,
  violations: JSON.parse(r.violations) as Violation[],
  properties: JSON.parse(r.properties) as Record<string, unknown>,
});

/**
 * The query that selects the matching ids. With a rule or field filter it starts from the violations index
 * (one row per broken field, so DISTINCT), otherwise from the events table; other filters apply to e.
 */
/** the events a reader may see when not all: an engineer's team's events */
export interface EventScope {
  events: string[];
  source: string;
}

export function scopeClause(scope: EventScope): { sql: string; params: string[] } {
  const inList = scope.events.length ? `e.event IN (${scope.events.map(() => '?').join(', ')}) OR ` : '';
  return { sql: `(${inList}e.source = ?)`, params: [...scope.events, scope.source] };
}

function idQuery(filter: Record<string, unknown>, sortField: string, scope: EventScope | undefined) {
  const { clauses, params } = buildWhere(filter, COLUMNS, ['rule', 'field', 'has_violation', 'q']);
  if (scope) {
    const s = scopeClause(scope);
    clauses.push(s.sql);
    params.push(...s.params);
  }
  const { rule, field, has_violation: hasViolation, q } = filter;
  const hasRule = rule !== undefined && rule !== '';
  const hasField = field !== undefined && field !== '';
  if (hasField && typeof field !== 'string') {
    throw new ApiError(400, 'filter.field must be a field name', { 'filter.field': 'must be a string' });
  }
  if (hasRule && !ruleSchema.safeParse(rule).success) {
    const why = `must be one of ${ruleSchema.options.join(', ')}`;
    throw new ApiError(400, `filter.rule ${why}`, { 'filter.rule': why });
  }
  if (hasViolation !== undefined && hasViolation !== '') {
    const yes = hasViolation === true || hasViolation === 'true';
    clauses.push(yes ? 'e.violation_count > 0' : 'e.violation_count = 0');
  }
  if (typeof q === 'string' && q.trim() !== '') {
    // event_id prefix search on the unique index
    const prefix = q.trim();
    clauses.push('e.event_id >= ? AND e.event_id < ?');
    params.push(prefix, `${prefix}\uffff`);
  }
  if (!hasRule && !hasField) {
    return { from: 'landing_phase1_events e', id: 'e.id', distinct: false, clauses, params };
  }
  const vClauses = [hasRule ? 'v.rule = ?' : '', hasField ? 'v.field = ?' : ''].filter(Boolean);
  const vParams = [...(hasRule ? [rule as string] : []), ...(hasField ? [field] : [])];
  return {
    from: `landing_phase1_event_violations v${clauses.length || sortField !== 'id' ? ' JOIN landing_phase1_events e ON e.id = v.event_pk' : ''}`,
    id: 'v.event_pk',
    // one event may break one rule in several fields
    distinct: !(hasRule && hasField),
    clauses: [...vClauses, ...clauses],
    params: [...vParams, ...params],
  };
}

/** total matching events, from the counters (no scan) when the filter allows it */
function countFromCounters(db: DB, filter: Record<string, unknown>): number | undefined {
  const keys = Object.keys(filter).filter((k) => filter[k] !== undefined && filter[k] !== '');
  if (!keys.every((k) => COUNTER_FILTERS.has(k))) return undefined;
  const f: Record<string, unknown> = {};
  for (const k of keys) if (k !== 'has_violation' && k !== 'planned') f[k] = filter[k];
  const { clauses, params } = buildWhere(f, {
    event: { sql: 'event', type: 'text' },
    day: { sql: 'day', type: 'text' },
  });
  if (filter.planned !== undefined && filter.planned !== '') {
    const yes = filter.planned === true || filter.planned === 'true';
    clauses.push(`event ${yes ? 'IN' : 'NOT IN'} (SELECT name FROM landing_phase1_plan_events)`);
  }
  const hv = filter.has_violation;
  const col =
    hv === undefined || hv === '' ? 'total' : hv === true || hv === 'true' ? 'with_violations' : 'valid';
  return db
    .prepare(`SELECT coalesce(sum(${col}), 0) FROM landing_phase1_completeness_events ${whereSql(clauses)}`)
    .pluck()
    .get(...params) as number;
}

export function listEvents(db: DB, q: ListQuery, scope?: EventScope): { rows: StoredEvent[]; total: number } {
  const iq = idQuery(q.filter, q.sort.field, scope);
  const where = whereSql(iq.clauses);
  const total =
    (scope ? undefined : countFromCounters(db, q.filter)) ??
    (db
      .prepare(`SELECT count(${iq.distinct ? `DISTINCT ${iq.id}` : '*'}) FROM ${iq.from} ${where}`)
      .pluck()
      .get(...iq.params) as number);

  let ids: number[];
  if (iq.clauses.length === 0 && q.sort.field === 'id' && idsAreDense(db, total)) {
    // unfiltered, by id: ids are dense (append-only, rollbacks leave no gaps), so a deep page is a seek
    const [lo, hi] =
      q.sort.order === 'DESC'
        ? [total - q.offset - q.limit + 1, total - q.offset]
        : [q.offset + 1, q.offset + q.limit];
    ids = [];
    for (let id = Math.max(lo, 1); id <= hi; id++) ids.push(id);
    if (q.sort.order === 'DESC') ids.reverse();
  } else {
    // the page's ids first (an index walk, cheap to skip), then only those rows are read
    const order =
      q.sort.field === 'id'
        ? `${iq.id} ${q.sort.order}`
        : `e.${q.sort.field} ${q.sort.order}, e.id ${q.sort.order}`;
    ids = db
      .prepare(
        `SELECT ${iq.distinct ? 'DISTINCT ' : ''}${iq.id} FROM ${iq.from} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .pluck()
      .all(...iq.params, q.limit, q.offset) as number[];
  }
  if (ids.length === 0) return { rows: [], total };
  const byId = new Map(
    (
      db
        .prepare(`SELECT * FROM landing_phase1_events WHERE id IN (${ids.map(() => '?').join(',')})`)
        .all(...ids) as Row[]
    ).map((r) => [r.id, r]),
  );
  const rows = ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toEvent(r)] : [];
  });
  return { rows, total };
}

/** true while no id is missing: then the newest id is the number of stored events */
function idsAreDense(db: DB, total: number): boolean {
  return (
    (db.prepare('SELECT coalesce(max(id), 0) FROM landing_phase1_events').pluck().get() as number) === total
  );
}

export function getEvent(db: DB, id: number, scope?: EventScope): StoredEvent | undefined {
  const s = scope && scopeClause(scope);
  const row = db
    .prepare(`SELECT * FROM landing_phase1_events e WHERE e.id = ?${s ? ` AND ${s.sql}` : ''}`)
    .get(id, ...(s?.params ?? [])) as Row | undefined;
  return row && toEvent(row);
}

import type { DB } from '../../db/open.ts';
import { buildWhere, type FilterColumns, type ListQuery, whereSql } from '../http/dialect.ts';
import { ApiError } from '../http/errors.ts';
import { ruleSchema } from '../plan/schemas.ts';
import type { StoredEvent, Violation } from './schemas.ts';

export const EVENT_SORTABLE = ['id', 'occurred_at', 'received_at', 'event', 'day', 'source'] as const;

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

interface Row {
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

const toEvent = (r: Row): StoredEvent => ({
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

function where(filter: Record<string, unknown>) {
  const { clauses, params } = buildWhere(filter, COLUMNS, ['rule', 'field', 'has_violation', 'q']);
  const { rule, field, has_violation: hasViolation, q } = filter;
  if (rule !== undefined && rule !== '') {
    const r = ruleSchema.safeParse(rule);
    if (!r.success) {
      throw new ApiError(400, `filter.rule must be one of ${ruleSchema.options.join(', ')}`, {
        'filter.rule': `must be one of ${ruleSchema.options.join(', ')}`,
      });
    }
  }
  const hasRule = typeof rule === 'string' && rule !== '';
  const hasField = typeof field === 'string' && field !== '';
  if (hasRule || hasField) {
    const cond = [hasRule ? 'v.rule = ?' : '', hasField ? 'v.field = ?' : ''].filter(Boolean).join(' AND ');
    clauses.push(`e.id IN (SELECT v.event_pk FROM landing_phase1_event_violations v WHERE ${cond})`);
    if (hasRule) params.push(rule);
    if (hasField) params.push(field);
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
  return { clauses, params };
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

export function listEvents(db: DB, q: ListQuery): { rows: StoredEvent[]; total: number } {
  const { clauses, params } = where(q.filter);
  const total =
    countFromCounters(db, q.filter) ??
    (db
      .prepare(`SELECT count(*) FROM landing_phase1_events e ${whereSql(clauses)}`)
      .pluck()
      .get(...params) as number);

  // Unfiltered, by id: ids are dense (append-only, rollbacks leave no gaps), so a deep page is a seek.
  if (clauses.length === 0 && q.sort.field === 'id') {
    const maxId =
      (db.prepare('SELECT coalesce(max(id), 0) FROM landing_phase1_events').pluck().get() as number) ?? 0;
    if (maxId === total) {
      const rows =
        q.sort.order === 'DESC'
          ? db
              .prepare('SELECT * FROM landing_phase1_events WHERE id <= ? ORDER BY id DESC LIMIT ?')
              .all(maxId - q.offset, q.limit)
          : db
              .prepare('SELECT * FROM landing_phase1_events WHERE id > ? ORDER BY id ASC LIMIT ?')
              .all(q.offset, q.limit);
      return { rows: (rows as Row[]).map(toEvent), total };
    }
  }
  const order =
    q.sort.field === 'id'
      ? `e.id ${q.sort.order}`
      : `e.${q.sort.field} ${q.sort.order}, e.id ${q.sort.order}`;
  const rows = db
    .prepare(
      `SELECT e.* FROM landing_phase1_events e ${whereSql(clauses)} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params, q.limit, q.offset) as Row[];
  return { rows: rows.map(toEvent), total };
}

export function getEvent(db: DB, id: number): StoredEvent | undefined {
  const row = db.prepare('SELECT * FROM landing_phase1_events WHERE id = ?').get(id) as Row | undefined;
  return row && toEvent(row);
}

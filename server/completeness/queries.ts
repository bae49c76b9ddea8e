import type { DB } from '../../db/open.ts';
import { buildWhere, type FilterColumns, type ListQuery, whereSql } from '../http/dialect.ts';
import type { CompletenessEventRow, CompletenessFieldRow } from './schemas.ts';

const pct = (num: string, den: string) =>
  `(CASE WHEN ${den} = 0 THEN 100.0 ELSE 100.0 * (${num}) / ${den} END)`;

const EVENT_SELECT = `
  SELECT c.day, c.event, c.total, c.valid, c.with_violations, c.duplicates, c.unplanned,
         p.name IS NOT NULL AS planned, p.target_valid_pct AS target_pct,
         ${pct('c.valid', 'c.total')} AS valid_pct,
         (p.name IS NOT NULL AND c.total > 0 AND ${pct('c.valid', 'c.total')} < p.target_valid_pct) AS below_target
  FROM landing_phase1_completeness_events c
  LEFT JOIN landing_phase1_plan_events p ON p.name = c.event`;

const FIELD_SELECT = `
  SELECT f.day, f.event, f.field, f.total, f.missing, f.wrong_type, f.out_of_enum, f.pii, f.cross_field,
         ${pct('f.total - f.missing', 'f.total')} AS complete_pct,
         ${pct('f.total - f.missing - f.wrong_type - f.out_of_enum - f.pii - f.cross_field', 'f.total')} AS valid_pct
  FROM landing_phase1_completeness_fields f`;

export const EVENT_COLUMNS: FilterColumns = {
  day: { sql: 'day', type: 'text' },
  event: { sql: 'event', type: 'text' },
  planned: { sql: 'planned', type: 'boolean' },
  below_target: { sql: 'below_target', type: 'boolean' },
  total: { sql: 'total', type: 'number' },
  valid_pct: { sql: 'valid_pct', type: 'number' },
};
export const EVENT_SORTABLE = [
  'day',
  'event',
  'total',
  'valid',
  'with_violations',
  'duplicates',
  'unplanned',
  'valid_pct',
] as const;

export const FIELD_COLUMNS: FilterColumns = {
  day: { sql: 'day', type: 'text' },
  event: { sql: 'event', type: 'text' },
  field: { sql: 'field', type: 'text' },
  valid_pct: { sql: 'valid_pct', type: 'number' },
};
export const FIELD_SORTABLE = [
  'day',
  'event',
  'field',
  'total',
  'missing',
  'wrong_type',
  'out_of_enum',
  'pii',
  'cross_field',
  'complete_pct',
  'valid_pct',
] as const;

type RawEventRow = Omit<CompletenessEventRow, 'id' | 'planned' | 'below_target'> & {
  planned: number;
  below_target: number;
};
type RawFieldRow = Omit<CompletenessFieldRow, 'id'>;

const toEventRow = (r: RawEventRow): CompletenessEventRow => ({
  ...r,
  id: `${r.day}|${r.event}`,
  planned: r.planned === 1,
  below_target: r.below_target === 1,
});
const toFieldRow = (r: RawFieldRow): CompletenessFieldRow => ({ ...r, id: `${r.day}|${r.event}|${r.field}` });

/** list queries over the counters; filters name the select's output columns, computed ones included */
function page<T>(db: DB, select: string, columns: FilterColumns, q: ListQuery, tiebreak: string) {
  const { clauses, params } = buildWhere(q.filter, columns);
  const inner = `SELECT * FROM (${select}) AS r`;
  const where = whereSql(clauses);
  const total =
    (db
      .prepare(`SELECT count(*) FROM (${inner} ${where})`)
      .pluck()
      .get(...params) as number) ?? 0;
  const rows = db
    .prepare(`${inner} ${where} ORDER BY ${q.sort.field} ${q.sort.order}, ${tiebreak} LIMIT ? OFFSET ?`)
    .all(...params, q.limit, q.offset) as T[];
  return { rows, total };
}

export function listCompletenessEvents(db: DB, q: ListQuery) {
  const { rows, total } = page<RawEventRow>(db, EVENT_SELECT, EVENT_COLUMNS, q, 'day DESC, event');
  return { rows: rows.map(toEventRow), total };
}

export function listCompletenessFields(db: DB, q: ListQuery) {
  const { rows, total } = page<RawFieldRow>(db, FIELD_SELECT, FIELD_COLUMNS, q, 'day DESC, event, field');
  return { rows: rows.map(toFieldRow), total };
}

export function getCompletenessEvent(db: DB, id: string): CompletenessEventRow | undefined {
  const [day, event] = id.split('|');
  const row = db.prepare(`${EVENT_SELECT} WHERE c.day = ? AND c.event = ?`).get(day, event) as
    | RawEventRow
    | undefined;
  return row && toEventRow(row);
}

export function getCompletenessField(db: DB, id: string): CompletenessFieldRow | undefined {
  const [day, event, field] = id.split('|');
  const row = db
    .prepare(`${FIELD_SELECT} WHERE f.day = ? AND f.event = ? AND f.field = ?`)
    .get(day, event, field) as RawFieldRow | undefined;
  return row && toFieldRow(row);
}

/** the current counters of the given `day|event` pairs, for the live stream */
export function readChanged(db: DB, keys: Iterable<string>) {
  const ev = db.prepare(`${EVENT_SELECT} WHERE c.day = ? AND c.event = ?`);
  const fi = db.prepare(`${FIELD_SELECT} WHERE f.day = ? AND f.event = ? ORDER BY f.field`);
  const events: CompletenessEventRow[] = [];
  const fields: CompletenessFieldRow[] = [];
  for (const key of keys) {
    const [day, event] = key.split('|');
    const row = ev.get(day, event) as RawEventRow | undefined;
    if (row) events.push(toEventRow(row));
    for (const f of fi.all(day, event) as RawFieldRow[]) fields.push(toFieldRow(f));
  }
  return { events, fields };
}

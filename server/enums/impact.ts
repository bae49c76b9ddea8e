import type { DB } from '../../db/open.ts';
import { validateEvent } from '../ingest/validate.ts';
import type { EnumRecord } from '../plan/schemas.ts';
import {
  loadEnums,
  loadPlanEvents,
  type PlanSnapshot,
  readPlanVersion,
  snapshotOf,
} from '../plan/snapshot.ts';
import { applyChange, type Change } from './apply.ts';
import type { Impact } from './schemas.ts';

const DAY_MS = 86_400_000;
/** how far back the impact preview re-validates stored events */
export const IMPACT_WINDOW_DAYS = 7;
/** how many licence / alert ids the preview lists (the totals count them all) */
export const IMPACT_ID_LIMIT = 50;

/** licence and alert columns that hold values of each enum (the mocks read the same fields) */
export const LICENSE_COLUMNS: Record<string, string[]> = {
  persona_tag: ['persona_tag'],
  policy_tag: ['policy_tag', 'decision_policy_tag'],
  expiry_type: ['expiry_type'],
  reason_code: ['reason_code'],
  action_required: ['action_required'],
};
export const ALERT_COLUMNS: Record<string, string[]> = {
  policy_tag: ['policy_tag'],
  risk_level: ['risk_level'],
  action_required: ['action_required'],
  escalation_level: ['escalation_level'],
};

/** the plan's (event, field) pairs whose field takes values of the enum */
export function fieldsOfEnum(db: DB, enumName: string): Array<{ event: string; field: string }> {
  return db
    .prepare(
      'SELECT event_name AS event, name AS field FROM landing_phase1_plan_fields WHERE enum_name = ? ORDER BY event_name, position',
    )
    .all(enumName) as Array<{ event: string; field: string }>;
}

const jsonPath = (field: string) => `'$."${field.replace(/[^A-Za-z0-9_]/g, '')}"'`;

/**
 * Stored events since `from` (by occurred_at) of the plan events with fields of the enum, with, per event,
 * the values of those fields. One scan of each event's occurred_at range (json_extract per row): fine at
 * demo scale, linear in the events of the window.
 */
function eventsWithFields(db: DB, enumName: string, from: string) {
  const byEvent = new Map<string, string[]>();
  for (const { event, field } of fieldsOfEnum(db, enumName))
    byEvent.set(event, [...(byEvent.get(event) ?? []), field]);
  const out: Array<{ event: string; occurred_at: string; properties: string; values: unknown[] }> = [];
  for (const [event, fields] of byEvent) {
    const cols = fields.map((f, i) => `json_extract(properties, ${jsonPath(f)}) AS v${i}`).join(', ');
    const rows = db
      .prepare(
        `SELECT event, occurred_at, properties, ${cols} FROM landing_phase1_events WHERE event = ? AND occurred_at >= ?`,
      )
      .all(event, from) as Array<
      Record<string, unknown> & { event: string; occurred_at: string; properties: string }
    >;
    for (const r of rows)
      out.push({
        event: r.event,
        occurred_at: r.occurred_at,
        properties: r.properties,
        values: fields.map((_, i) => r[`v${i}`]),
      });
  }
  return out;
}

/** GET /api/enums/:id/usage: per value, stored events of the last 7 and 30 days with it in a field of the enum */
export function usageOf(db: DB, e: EnumRecord, now: Date) {
  const from7 = new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const from30 = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  const counts = new Map(e.values.map((v) => [v.code, { code: v.code, last_7d: 0, last_30d: 0 }]));
  for (const row of eventsWithFields(db, e.name, from30)) {
    for (const code of new Set(row.values.filter((v): v is string => typeof v === 'string'))) {
      const c = counts.get(code);
      if (!c) continue;
      c.last_30d++;
      if (row.occurred_at >= from7) c.last_7d++;
    }
  }
  return { enum: e.name, fields: fieldsOfEnum(db, e.name), values: [...counts.values()] };
}

const identity = (raw: string) => raw;

function idsUsing(db: DB, table: string, columns: string[] | undefined, openSql: string, code: string) {
  if (!columns?.length) return { total: 0, ids: [] as number[] };
  const where = `(${columns.map((c) => `${c} = ?`).join(' OR ')}) AND ${openSql}`;
  const params = columns.map(() => code);
  const total = db
    .prepare(`SELECT count(*) FROM ${table} WHERE ${where}`)
    .pluck()
    .get(...params) as number;
  const ids = db
    .prepare(`SELECT id FROM ${table} WHERE ${where} ORDER BY id LIMIT ${IMPACT_ID_LIMIT}`)
    .pluck()
    .all(...params) as number[];
  return { total, ids };
}

/**
 * Of the events carrying `code` (each with the values of its fields of the enum), how many there are and how
 * many would flip validity from the table `before` to the table `after` (pure: the mocks count the same way).
 */
export function validityFlips(
  before: PlanSnapshot,
  after: PlanSnapshot,
  code: string,
  rows: Iterable<{ values: readonly unknown[]; input: Parameters<typeof validateEvent>[1] }>,
): Pick<Impact, 'events_using' | 'becoming_valid' | 'becoming_invalid'> {
  let using = 0;
  let becomingValid = 0;
  let becomingInvalid = 0;
  for (const { values, input } of rows) {
    if (!values.includes(code)) continue;
    using++;
    const wasValid = validateEvent(before, input, identity).violations.length === 0;
    const isValid = validateEvent(after, input, identity).violations.length === 0;
    if (!wasValid && isValid) becomingValid++;
    if (wasValid && !isValid) becomingInvalid++;
  }
  return { events_using: using, becoming_valid: becomingValid, becoming_invalid: becomingInvalid };
}

/**
 * What a change would do, before it is approved: the stored events of the last 7 days that carry the value
 * in a field of the enum, re-validated against the current table and against the table with the change in
 * force over the whole window (an addition valid from, a deprecation dated at, the window's start); those
 * whose validity flips are counted each way. Plus the open licences and alerts that use the value.
 */
export function impactOf(
  db: DB,
  enumName: string,
  change: Change,
  now: Date,
  current?: PlanSnapshot,
): Impact {
  const from = new Date(now.getTime() - IMPACT_WINDOW_DAYS * DAY_MS).toISOString();
  const events = loadPlanEvents(db);
  const enums = loadEnums(db);
  const before = current ?? snapshotOf(readPlanVersion(db), events, enums);
  const hypothetical = snapshotOf(
    -1,
    events,
    enums.map((e) => (e.name === enumName ? { ...e, values: applyChange(e.values, change, from) } : e)),
  );
  const flips = validityFlips(
    before,
    hypothetical,
    change.code,
    // only the rows carrying the value have their properties parsed
    eventsWithFields(db, enumName, from)
      .filter((row) => row.values.includes(change.code))
      .map((row) => ({
        values: row.values,
        input: {
          event: row.event,
          occurredAt: row.occurred_at,
          properties: JSON.parse(row.properties) as Record<string, unknown>,
        },
      })),
  );
  return {
    window_from: from,
    ...flips,
    licenses: idsUsing(
      db,
      'landing_phase1_licenses',
      LICENSE_COLUMNS[enumName],
      "status IN ('pending', 'approved')",
      change.code,
    ),
    alerts: idsUsing(
      db,
      'landing_phase1_alerts',
      ALERT_COLUMNS[enumName],
      "state <> 'resolved'",
      change.code,
    ),
  };
}

import { type GeneratedEvent, generateTraffic, rng } from '../db/demo.ts';
import { DEFAULT_VALID_TARGET_PCT, ENUMS, type EnumDef, TRACKING_PLAN } from '../db/plan.ts';
import type {
  CompletenessEventRow,
  CompletenessFieldRow,
  CompletenessPush,
} from '../server/completeness/schemas.ts';
import type { StoredEvent, Violation } from '../server/events/schemas.ts';
import { pseudonymInput } from '../server/ingest/pii.ts';
import { validateEvent } from '../server/ingest/validate.ts';
import type { EnumRecord, PlanEventRecord, Rule } from '../server/plan/schemas.ts';
import { type PlanSnapshot, snapshotOf } from '../server/plan/snapshot.ts';
import { type AccessData, fnvHex, seedAccess } from './access.ts';
import { generateAlertSteps, openAlert, type StoredAlert } from './alerts.ts';
import { generateLicenses, openApplication, type StoredLicense } from './licenses.ts';

/**
 * The mock API's data: the tracking plan and enums from db/plan.ts, stored events, and the completeness
 * counters derived from those events exactly as the server keeps them (one row per UTC+8 day × event and
 * per day × event × field), so the dashboard's numbers and the events list always agree. Events come from
 * the demo generator (db/demo.ts) and are judged by the server's own validateEvent, so a mock violation is
 * always one the server would report. Users, write keys and the audit log come from access.ts, licence
 * applications (from the license_apply events) and their review from licenses.ts, risk alerts (from the
 * risk_alert events) and their inbox from alerts.ts.
 */
export interface MockDb extends AccessData {
  planEvents: PlanEventRecord[];
  enums: EnumRecord[];
  events: StoredEvent[];
  /** stored events by event_id: a repeated delivery is a duplicate, as in the server's unique index */
  eventsById: Map<string, StoredEvent>;
  completenessEvents: Map<string, CompletenessEventRow>;
  completenessFields: Map<string, CompletenessFieldRow>;
  /** licence applications, in id order */
  licenses: StoredLicense[];
  /** risk alerts (from the risk_alert events) and how far they were worked, in id order */
  alerts: StoredAlert[];
}

/** an event as the server stores it after validation, before it gets its id and counters */
export interface IngestedEvent {
  event: string;
  event_id: string;
  occurred_at: string;
  source: string;
  properties: Record<string, unknown>;
  violations: Violation[];
}

/** as the seed (db/open.ts SEED_VALID_FROM, not importable here: node-only): before any event */
export const VALID_FROM = '1970-01-01T00:00:00.000Z';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** the UTC+8 (Asia/Shanghai) date of an instant: logs are cut into days at UTC+8 (日切) */
export const utc8Day = (instant: number): string =>
  new Date(instant + 8 * HOUR_MS).toISOString().slice(0, 10);

const pct = (part: number, total: number) => (total === 0 ? 100 : Math.round((part / total) * 10_000) / 100);

export function planEventRecords(): PlanEventRecord[] {
  return TRACKING_PLAN.map((e, index) => ({
    id: e.name,
    name: e.name,
    position: index + 1,
    scene_en: e.scene_en,
    scene_zh: e.scene_zh,
    trigger_en: e.trigger_en,
    trigger_zh: e.trigger_zh,
    owners: e.owners,
    target_valid_pct: DEFAULT_VALID_TARGET_PCT,
    fields: e.fields.map((f, position) => ({
      name: f.name,
      position: position + 1,
      type: f.type,
      enum: f.enum ?? null,
      required: f.required ?? true,
      nullable_unless: f.nullableUnless ?? null,
      sensitive: f.sensitive ?? false,
      description: f.description,
    })),
  }));
}

function enumRecord(def: EnumDef): EnumRecord {
  return {
    id: def.name,
    name: def.name,
    owner: def.owner,
    description_en: def.description_en,
    description_zh: def.description_zh,
    console_defined: def.console_defined,
    values: def.values.map((value, index) => ({
      code: value.code,
      label_en: value.label_en,
      label_zh: value.label_zh,
      description: value.description ?? null,
      status: 'active',
      valid_from: VALID_FROM,
      deprecated_at: null,
      sort_order: index + 1,
      policy_group: value.policy?.group ?? null,
      default_risk_level: value.policy?.risk_level ?? null,
      default_action_required: value.policy?.action_required ?? null,
      min_escalation_level: value.policy?.min_escalation_level ?? null,
    })),
  };
}

export function emptyDb(): MockDb {
  return {
    planEvents: planEventRecords(),
    enums: ENUMS.map(enumRecord),
    events: [],
    eventsById: new Map(),
    completenessEvents: new Map(),
    completenessFields: new Map(),
    licenses: [],
    alerts: [],
    ...seedAccess(),
  };
}

function eventRow(db: MockDb, day: string, event: string): CompletenessEventRow {
  const id = `${day}|${event}`;
  const existing = db.completenessEvents.get(id);
  if (existing) return existing;
  const plan = db.planEvents.find((e) => e.name === event);
  const row: CompletenessEventRow = {
    id,
    day,
    event,
    planned: plan !== undefined,
    total: 0,
    valid: 0,
    with_violations: 0,
    duplicates: 0,
    unplanned: 0,
    valid_pct: 100,
    target_pct: plan?.target_valid_pct ?? null,
    below_target: false,
  };
  db.completenessEvents.set(id, row);
  return row;
}

function refreshEventRow(row: CompletenessEventRow) {
  row.valid_pct = pct(row.valid, row.total);
  row.below_target = row.target_pct !== null && row.valid_pct < row.target_pct;
}

/** the completeness column a rule is counted in */
const RULE_COLUMN: Partial<Record<Rule, 'missing' | 'wrong_type' | 'out_of_enum' | 'pii' | 'cross_field'>> = {
  missing: 'missing',
  wrong_type: 'wrong_type',
  out_of_enum: 'out_of_enum',
  pii: 'pii',
  escalation_below_policy: 'cross_field',
};

/** Stores one event, updates its counters and returns the counter rows that changed (a stream message). */
export function recordEvent(db: MockDb, input: IngestedEvent): CompletenessPush {
  const day = utc8Day(Date.parse(input.occurred_at));
  const plan = db.planEvents.find((e) => e.name === input.event);
  const stored: StoredEvent = {
    id: db.events.length + 1,
    event_id: input.event_id,
    event: input.event,
    day,
    occurred_at: new Date(input.occurred_at).toISOString(),
    received_at: new Date(Date.parse(input.occurred_at) + 1500).toISOString(),
    source: input.source,
    planned: plan !== undefined,
    valid: input.violations.length === 0,
    violation_count: input.violations.length,
    violations: input.violations,
    properties: input.properties,
  };
  db.events.push(stored);
  db.eventsById.set(stored.event_id, stored);
  // a license_apply opens a licence application, as on the server
  openApplication(db, stored);
  // a risk_alert opens an alert in the inbox, raised to its policy tag's minimum, as on the server
  openAlert(db, stored);

  const row = eventRow(db, day, input.event);
  row.total += 1;
  if (stored.valid) row.valid += 1;
  else row.with_violations += 1;
  if (!stored.planned) row.unplanned += 1;
  refreshEventRow(row);

  const fields = (plan?.fields ?? []).map((field) => {
    const id = `${day}|${input.event}|${field.name}`;
    const fieldRow = db.completenessFields.get(id) ?? {
      id,
      day,
      event: input.event,
      field: field.name,
      total: 0,
      missing: 0,
      wrong_type: 0,
      out_of_enum: 0,
      pii: 0,
      cross_field: 0,
      complete_pct: 100,
      valid_pct: 100,
    };
    const broken = input.violations.filter((v) => v.field === field.name);
    fieldRow.total += 1;
    for (const violation of broken) {
      const column = RULE_COLUMN[violation.rule];
      if (column) fieldRow[column] += 1;
    }
    // the valid share counts events, not violations: an event breaks at most one rule per field
    const invalid =
      fieldRow.missing + fieldRow.wrong_type + fieldRow.out_of_enum + fieldRow.pii + fieldRow.cross_field;
    fieldRow.complete_pct = pct(fieldRow.total - fieldRow.missing, fieldRow.total);
    fieldRow.valid_pct = pct(fieldRow.total - invalid, fieldRow.total);
    db.completenessFields.set(id, fieldRow);
    return { ...fieldRow };
  });
  return { events: [{ ...row }], fields };
}

/** Counts a repeated delivery of an already stored event: acknowledged, never stored twice. */
export function recordDuplicate(db: MockDb, event: StoredEvent): CompletenessPush {
  const row = eventRow(db, event.day, event.event);
  row.duplicates += 1;
  return { events: [{ ...row }], fields: [] };
}

/** the plan as validateEvent reads it, built from the records the mock serves (as PlanCache does from SQL) */
function planSnapshot(db: MockDb): PlanSnapshot {
  return snapshotOf(1, db.planEvents, db.enums);
}

/**
 * A mock stand-in for the server's keyed HMAC (server/ingest/pseudonymize.ts is Node-only): an unkeyed
 * 128-bit FNV-1a hash in four lanes. Same shape (`pii_` + 32 hex) and the same input normalisation, so the
 * same phone number maps to the same stand-in, but no secret: it only ever sees generated data.
 */
export function mockPseudonymize(raw: string): string {
  return `pii_${fnvHex(pseudonymInput(raw), 4)}`;
}

/**
 * Ingests generated events as the server does: each validated against the plan, stored once by event_id (a
 * repeat is counted as a duplicate, not stored). Returns one stream message per event.
 */
export function ingest(db: MockDb, events: readonly GeneratedEvent[]): CompletenessPush[] {
  const plan = planSnapshot(db);
  return events.map((e) => {
    const stored = db.eventsById.get(e.event_id);
    if (stored) return recordDuplicate(db, stored);
    const occurredAt = new Date(e.occurred_at).toISOString();
    const result = validateEvent(
      plan,
      { event: e.event, occurredAt, properties: e.properties },
      mockPseudonymize,
    );
    return recordEvent(db, {
      event: e.event,
      event_id: e.event_id,
      occurred_at: occurredAt,
      source: e.source,
      properties: result.properties,
      violations: result.violations,
    });
  });
}

/**
 * Two weeks of traffic ending at `now`: a few thousand events, some bad, duplicated or unplanned; and the
 * licence applications of its license_apply events, some of them decided.
 */
export function generateDb(now: number, seed = 20_261_125): MockDb {
  const db = emptyDb();
  ingest(db, generateTraffic({ seed, from: now - 14 * DAY_MS, to: now, journeys: 1_900 }));
  generateLicenses(db, now);
  generateAlertSteps(db, now);
  return db;
}

/** live journeys per hour: about 1.5 per 2 s, so nearly every tick of the simulation has news */
const LIVE_JOURNEYS_PER_HOUR = 2_700;
/** the live simulation's share of bad events, well above real traffic's so the dashboard visibly moves */
const LIVE_BAD_SHARE = 0.2;

/**
 * Live traffic from `start`: generated an hour ahead at a time, each event ingested once its occurred_at has
 * come. Returns a function that ingests what is due at `now` and returns the stream messages. Each hour's
 * seed is drawn from `seed`, so streams with different seeds never share event ids.
 */
export function liveTraffic(db: MockDb, start: number, seed: number): (now: number) => CompletenessPush[] {
  const seeds = rng(seed);
  let queue: GeneratedEvent[] = [];
  let windowEnd = start;
  return (now) => {
    // after a long pause (a sleeping laptop) carry on from now rather than replaying the hours missed
    if (now - windowEnd > HOUR_MS) {
      queue = [];
      windowEnd = now;
    }
    while (windowEnd <= now) {
      queue.push(
        ...generateTraffic({
          seed: seeds.int(1, 0xffffffff),
          from: windowEnd,
          to: windowEnd + HOUR_MS,
          journeys: LIVE_JOURNEYS_PER_HOUR,
          badShare: LIVE_BAD_SHARE,
        }),
      );
      windowEnd += HOUR_MS;
    }
    const pending = queue.findIndex((e) => Date.parse(e.occurred_at) > now);
    const due = pending === -1 ? queue : queue.slice(0, pending);
    queue = pending === -1 ? [] : queue.slice(pending);
    return ingest(db, due);
  };
}

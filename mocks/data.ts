import {
  DEFAULT_VALID_TARGET_PCT,
  ENUMS,
  type EnumDef,
  ESCALATION_ORDER,
  type PlanField,
  TRACKING_PLAN,
} from '../db/plan.ts';
import type {
  CompletenessEventRow,
  CompletenessFieldRow,
  CompletenessPush,
} from '../server/completeness/schemas.ts';
import type { StoredEvent, Violation } from '../server/events/schemas.ts';
import type { EnumRecord, PlanEventRecord, Rule } from '../server/plan/schemas.ts';

/**
 * The mock API's data: the tracking plan and enums from db/plan.ts, stored events, and the completeness
 * counters derived from those events exactly as the server keeps them (one row per UTC+8 day × event and
 * per day × event × field), so the dashboard's numbers and the events list always agree.
 */
export interface MockDb {
  planEvents: PlanEventRecord[];
  enums: EnumRecord[];
  events: StoredEvent[];
  completenessEvents: Map<string, CompletenessEventRow>;
  completenessFields: Map<string, CompletenessFieldRow>;
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

const VALID_FROM = '2026-01-01T00:00:00.000Z';
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
    completenessEvents: new Map(),
    completenessFields: new Map(),
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

/** mulberry32: a tiny seeded generator, so the fixtures are the same on every run */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const hex = (random: Random, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

const SOURCE_BY_OWNER: Record<string, string> = {
  'frontend-build': 'web-sdk',
  'platform-integration': 'platform',
  'operations-compliance': 'compliance',
};
const TEXT_VALUES: Record<string, string[]> = {
  source_channel: ['douyin_ads', 'wechat_moments', 'search', 'direct', 'partner_referral'],
  sub_status: ['moderation_rejected', 'quota_exceeded', 'timeout', 'upstream_unavailable'],
};

function codesOf(db: MockDb, enumName: string): string[] {
  return db.enums.find((e) => e.name === enumName)?.values.map((v) => v.code) ?? [];
}

function validValue(db: MockDb, random: Random, field: PlanField, occurredAt: number): unknown {
  switch (field.type) {
    case 'hashed_id':
      return hex(random, 32);
    case 'id':
      return `${field.name.replace(/_id$/, '')}_${hex(random, 8)}`;
    case 'text':
      return pick(random, TEXT_VALUES[field.name] ?? ['n/a']);
    case 'enum':
      return pick(random, codesOf(db, field.enum ?? ''));
    case 'boolean':
      return random() < 0.2;
    case 'timestamp':
      return new Date(occurredAt).toISOString();
    case 'integer':
      return Math.floor(random() * 60_000);
    case 'positive_integer':
      return 1 + Math.floor(random() * 50);
    case 'number':
      return Math.round(random() * 50_000) / 100;
    case 'nonzero_number':
      return (random() < 0.8 ? -1 : 1) * (1 + Math.floor(random() * 200));
    case 'credits_range': {
      const min = Math.floor(random() * 40);
      return [min, min + 5 + Math.floor(random() * 40)];
    }
  }
}

/** properties that pass every rule, with the policy-tag mapping applied where the event carries it */
function validProperties(db: MockDb, random: Random, fields: PlanField[], occurredAt: number) {
  const properties: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.required === false && random() < 0.5) continue;
    properties[field.name] = validValue(db, random, field, occurredAt);
  }
  if (properties.expiry_type !== undefined && properties.expiry_type !== 'run_limited')
    properties.max_runs = null;
  const tag = db.enums
    .find((e) => e.name === 'policy_tag')
    ?.values.find((v) => v.code === properties.policy_tag);
  if (tag) {
    if ('risk_level' in properties) properties.risk_level = tag.default_risk_level;
    if ('action_required' in properties) properties.action_required = tag.default_action_required;
    if ('escalation_level' in properties) properties.escalation_level = tag.min_escalation_level;
  }
  return properties;
}

/** breaks one field of a valid event the way real traffic does, and names the violation */
function breakOneField(random: Random, fields: PlanField[], properties: Record<string, unknown>): Violation {
  if ('escalation_level' in properties && random() < 0.3) {
    properties.policy_tag = 'D3';
    properties.escalation_level = pick(random, ESCALATION_ORDER.slice(0, 2));
    return { field: 'escalation_level', rule: 'escalation_below_policy' };
  }
  const hashed = fields.find((f) => f.type === 'hashed_id');
  if (hashed && random() < 0.25) {
    // the server never stores the phone number itself, only its keyed-HMAC stand-in
    properties[hashed.name] = `pii_${hex(random, 32)}`;
    return { field: hashed.name, rule: 'pii' };
  }
  const field = pick(
    random,
    fields.filter((f) => f.required !== false),
  );
  const roll = random();
  if (field.type === 'enum' && roll < 0.6) {
    properties[field.name] = pick(random, ['Z9', 'unknown', 'legacy_value']);
    return { field: field.name, rule: 'out_of_enum' };
  }
  if (roll < 0.8) {
    delete properties[field.name];
    return { field: field.name, rule: 'missing' };
  }
  const numeric = ['integer', 'positive_integer', 'number', 'nonzero_number'].includes(field.type);
  properties[field.name] = field.type === 'boolean' ? 'yes' : numeric ? '12,5' : 42;
  return { field: field.name, rule: 'wrong_type' };
}

/** the share of bad events per event: the compliance-side events are the sloppy ones, as in real traffic */
const BAD_RATE: Record<string, number> = { license_apply: 0.02, task_failed: 0.015, risk_alert: 0.015 };
const DEFAULT_BAD_RATE = 0.002;
const UNPLANNED_RATE = 0.003;

/** one realistic event of the plan (or an unplanned one) at a given instant; `badRate` overrides the usual share */
export function generateEvent(
  db: MockDb,
  random: Random,
  occurredAt: number,
  badRate?: number,
): IngestedEvent {
  const eventId = `evt_${occurredAt.toString(36)}_${hex(random, 6)}`;
  const occurred_at = new Date(occurredAt).toISOString();
  if (random() < UNPLANNED_RATE) {
    return {
      event: pick(random, ['landing_scroll', 'cta_hover']),
      event_id: eventId,
      occurred_at,
      source: 'web-sdk',
      properties: { session_id: `session_${hex(random, 8)}` },
      violations: [{ field: 'event', rule: 'unplanned' }],
    };
  }
  const plan = pick(random, TRACKING_PLAN);
  const properties = validProperties(db, random, plan.fields, occurredAt);
  const rate = badRate ?? BAD_RATE[plan.name] ?? DEFAULT_BAD_RATE;
  const violations = random() < rate ? [breakOneField(random, plan.fields, properties)] : [];
  return {
    event: plan.name,
    event_id: eventId,
    occurred_at,
    source: SOURCE_BY_OWNER[plan.owners[0] ?? ''] ?? 'platform',
    properties,
    violations,
  };
}

/** Two weeks of traffic ending at `now`, with a realistic share of bad events and duplicate deliveries. */
export function generateDb(now: number, seed = 20_261_125): MockDb {
  const db = emptyDb();
  const random = seededRandom(seed);
  const start = now - 14 * DAY_MS;
  const instants = Array.from({ length: 14 * 320 }, () => start + Math.floor(random() * 14 * DAY_MS)).sort(
    (a, b) => a - b,
  );
  for (const instant of instants) {
    recordEvent(db, generateEvent(db, random, instant));
    const last = db.events[db.events.length - 1];
    if (last && random() < 0.004) recordDuplicate(db, last);
  }
  return db;
}

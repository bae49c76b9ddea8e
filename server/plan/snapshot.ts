import type { DB } from '../../db/open.ts';
import type { EnumRecord, EnumValueRecord, PlanEventRecord, PlanFieldRecord } from './schemas.ts';

/** The tracking plan and enums as validation needs them, read from the database. */
export interface PlanSnapshot {
  version: number;
  events: Map<string, PlanEventRecord>;
  enums: Map<string, EnumRecord>;
  /** enum name → code → value, for O(1) membership checks */
  enumValues: Map<string, Map<string, EnumValueRecord>>;
  /** property names the plan marks sensitive anywhere (masked for roles without sensitive:read) */
  sensitiveNames: ReadonlySet<string>;
}

interface FieldRow {
  event_name: string;
  name: string;
  position: number;
  type: string;
  enum_name: string | null;
  required: number;
  nullable_unless_field: string | null;
  nullable_unless_value: string | null;
  sensitive: number;
  description: string;
}

export function readPlanVersion(db: DB): number {
  const row = db.prepare("SELECT value FROM landing_phase1_meta WHERE key = 'plan_version'").get() as
    | { value: string }
    | undefined;
  return Number(row?.value ?? 0);
}

export function loadEnums(db: DB): EnumRecord[] {
  const enums = db
    .prepare(
      'SELECT name, owner, description_en, description_zh, console_defined FROM landing_phase1_enums ORDER BY name',
    )
    .all() as Array<Omit<EnumRecord, 'id' | 'values' | 'console_defined'> & { console_defined: number }>;
  const values = db
    .prepare(
      `SELECT enum_name, code, label_en, label_zh, description, status, valid_from, deprecated_at, sort_order,
              policy_group, default_risk_level, default_action_required, min_escalation_level
       FROM landing_phase1_enum_values ORDER BY enum_name, sort_order, code`,
    )
    .all() as Array<EnumValueRecord & { enum_name: string }>;
  const byEnum = new Map<string, EnumValueRecord[]>();
  for (const { enum_name, ...value } of values) {
    const list = byEnum.get(enum_name) ?? [];
    list.push(value);
    byEnum.set(enum_name, list);
  }
  return enums.map((e) => ({
    id: e.name,
    ...e,
    console_defined: e.console_defined === 1,
    values: byEnum.get(e.name) ?? [],
  }));
}

export function loadPlanEvents(db: DB): PlanEventRecord[] {
  const events = db
    .prepare(
      `SELECT name, position, scene_en, scene_zh, trigger_en, trigger_zh, owners, target_valid_pct
       FROM landing_phase1_plan_events ORDER BY position`,
    )
    .all() as Array<Omit<PlanEventRecord, 'id' | 'owners' | 'fields'> & { owners: string }>;
  const fields = db
    .prepare('SELECT * FROM landing_phase1_plan_fields ORDER BY event_name, position')
    .all() as FieldRow[];
  const byEvent = new Map<string, PlanFieldRecord[]>();
  for (const f of fields) {
    const list = byEvent.get(f.event_name) ?? [];
    list.push({
      name: f.name,
      position: f.position,
      type: f.type,
      enum: f.enum_name,
      required: f.required === 1,
      nullable_unless:
        f.nullable_unless_field && f.nullable_unless_value !== null
          ? { field: f.nullable_unless_field, equals: f.nullable_unless_value }
          : null,
      sensitive: f.sensitive === 1,
      description: f.description,
    });
    byEvent.set(f.event_name, list);
  }
  return events.map((e) => ({
    id: e.name,
    ...e,
    owners: JSON.parse(e.owners) as string[],
    fields: byEvent.get(e.name) ?? [],
  }));
}

/** the lookups validation needs, built from the plan's records (pure: the mocks build theirs the same way) */
export function snapshotOf(version: number, events: PlanEventRecord[], enums: EnumRecord[]): PlanSnapshot {
  return {
    version,
    events: new Map(events.map((e) => [e.name, e])),
    enums: new Map(enums.map((e) => [e.name, e])),
    enumValues: new Map(enums.map((e) => [e.name, new Map(e.values.map((v) => [v.code, v]))])),
    sensitiveNames: new Set(events.flatMap((e) => e.fields.filter((f) => f.sensitive).map((f) => f.name))),
  };
}

/**
 * Caches the plan between batches; one indexed read of plan_version per call tells whether it changed
 * (triggers bump it on every change to enum values or plan fields), so an approved enum change applies to
 * the very next event without a restart.
 */
export class PlanCache {
  private snapshot: PlanSnapshot | undefined;
  constructor(private readonly db: DB) {}

  current(): PlanSnapshot {
    const version = readPlanVersion(this.db);
    if (this.snapshot?.version !== version) {
      this.snapshot = snapshotOf(version, loadPlanEvents(this.db), loadEnums(this.db));
    }
    return this.snapshot;
  }

  sensitiveNames(): ReadonlySet<string> {
    return this.current().sensitiveNames;
  }
}

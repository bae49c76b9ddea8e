import type { DB } from '../../db/open.ts';
import type { Violation } from '../events/schemas.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import type { Pseudonymize } from './pii.ts';
import type { IngestResponse } from './schemas.ts';
import { validateEvent } from './validate.ts';

export interface IncomingEvent {
  event: string;
  event_id: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** the UTC+8 (Asia/Shanghai, no DST) calendar day of an instant: the seed's UTC+8 日切 */
export function dayOf(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** which field counter a rule increments */
const COUNTER_OF: Partial<
  Record<Violation['rule'], 'missing' | 'wrong_type' | 'out_of_enum' | 'pii' | 'cross_field'>
> = {
  missing: 'missing',
  wrong_type: 'wrong_type',
  out_of_enum: 'out_of_enum',
  pii: 'pii',
  escalation_below_policy: 'cross_field',
};

interface EventCounts {
  day: string;
  event: string;
  total: number;
  valid: number;
  with_violations: number;
  duplicates: number;
  unplanned: number;
  /** one per field of the event in the plan, in plan order */
  fields: FieldCounts[];
}
interface FieldCounts {
  day: string;
  event: string;
  field: string;
  total: number;
  missing: number;
  wrong_type: number;
  out_of_enum: number;
  pii: number;
  cross_field: number;
}

export type ChangeListener = (dayEventKeys: Set<string>) => void;

/** a newly stored event, as capabilities that build on events see it (inside the storing transaction) */
export interface StoredEventInfo {
  pk: number;
  event_id: string;
  event: string;
  day: string;
  occurred_at: string;
  properties: Record<string, unknown>;
  /** how many violations the event was stored with */
  violation_count: number;
  /** who sent it: a source team (its write key) or `console` for the console's own events */
  source: string;
}
export type StoredListener = (e: StoredEventInfo) => void;

/**
 * Stores a batch of events in one transaction: each validated, inserted once by event_id (a repeat is a
 * duplicate, counted and not stored), its violations indexed, and the completeness counters bumped in the
 * same transaction so they always equal what is stored.
 */
export function createEventStore(
  db: DB,
  plan: PlanCache,
  pseudonymize: Pseudonymize,
  clock: () => Date,
  onChange: ChangeListener,
  /** runs for each newly stored event in the same transaction (e.g. a license_apply opens an application) */
  onStored: StoredListener = () => {},
  /**
   * brackets each storing transaction, for projections that total a batch's events before writing them
   * (server/metrics): `begin` before its first event, `end` after its last one, still inside it
   */
  batch: { begin(): void; end(): void } = { begin() {}, end() {} },
) {
  const insertEvent = db.prepare(
    `INSERT INTO landing_phase1_events (event_id, event, day, occurred_at, received_at, source, planned,
       violation_count, properties, violations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (event_id) DO NOTHING`,
  );
  const insertViolation = db.prepare(
    'INSERT INTO landing_phase1_event_violations (event_pk, field, rule) VALUES (?, ?, ?)',
  );
  const storedViolations = db
    .prepare('SELECT violations FROM landing_phase1_events WHERE event_id = ?')
    .pluck();
  const bumpEvent = db.prepare(
    `INSERT INTO landing_phase1_completeness_events (day, event, total, valid, with_violations, duplicates, unplanned)
     VALUES (@day, @event, @total, @valid, @with_violations, @duplicates, @unplanned)
     ON CONFLICT (day, event) DO UPDATE SET total = total + excluded.total, valid = valid + excluded.valid,
       with_violations = with_violations + excluded.with_violations,
       duplicates = duplicates + excluded.duplicates, unplanned = unplanned + excluded.unplanned`,
  );
  const bumpField = db.prepare(
    `INSERT INTO landing_phase1_completeness_fields (day, event, field, total, missing, wrong_type, out_of_enum, pii, cross_field)
     VALUES (@day, @event, @field, @total, @missing, @wrong_type, @out_of_enum, @pii, @cross_field)
     ON CONFLICT (day, event, field) DO UPDATE SET total = total + excluded.total, missing = missing + excluded.missing,
       wrong_type = wrong_type + excluded.wrong_type, out_of_enum = out_of_enum + excluded.out_of_enum,
       pii = pii + excluded.pii, cross_field = cross_field + excluded.cross_field`,
  );

  const store = db.transaction((events: IncomingEvent[], source: string, receivedAt: string) => {
    batch.begin();
    const snapshot = plan.current();
    const eventCounts = new Map<string, EventCounts>();
    const results: IngestResponse['results'] = [];
    let accepted = 0;
    let duplicates = 0;

    for (const e of events) {
      const instant = new Date(e.occurred_at);
      const occurredAt = instant.toISOString();
      const day = dayOf(instant);
      const key = `${day}|${e.event}`;
      let ec = eventCounts.get(key);
      if (!ec) {
        const fields = (snapshot.events.get(e.event)?.fields ?? []).map((f) => ({
          day,
          event: e.event,
          field: f.name,
          total: 0,
          missing: 0,
          wrong_type: 0,
          out_of_enum: 0,
          pii: 0,
          cross_field: 0,
        }));
        ec = {
          day,
          event: e.event,
          total: 0,
          valid: 0,
          with_violations: 0,
          duplicates: 0,
          unplanned: 0,
          fields,
        };
        eventCounts.set(key, ec);
      }
      const v = validateEvent(
        snapshot,
        { event: e.event, occurredAt, properties: e.properties },
        pseudonymize,
      );
      const info = insertEvent.run(
        e.event_id,
        e.event,
        day,
        occurredAt,
        receivedAt,
        source,
        v.planned ? 1 : 0,
        v.violations.length,
        JSON.stringify(v.properties),
        v.violations.length ? JSON.stringify(v.violations) : '[]',
      );
      if (info.changes === 0) {
        duplicates++;
        ec.duplicates++;
        const stored = JSON.parse(storedViolations.get(e.event_id) as string) as Violation[];
        results.push({ event_id: e.event_id, status: 'duplicate', violations: stored });
        continue;
      }
      accepted++;
      const pk = info.lastInsertRowid;
      for (const viol of v.violations) insertViolation.run(pk, viol.field, viol.rule);
      onStored({
        pk: Number(pk),
        event_id: e.event_id,
        event: e.event,
        day,
        occurred_at: occurredAt,
        properties: v.properties,
        violation_count: v.violations.length,
        source,
      });
      ec.total++;
      if (v.violations.length === 0) ec.valid++;
      else ec.with_violations++;
      if (!v.planned) ec.unplanned++;
      for (const fc of ec.fields) fc.total++;
      for (const viol of v.violations) {
        const counter = COUNTER_OF[viol.rule];
        const fc = counter && ec.fields.find((f) => f.field === viol.field);
        if (fc) fc[counter]++;
      }
      results.push({ event_id: e.event_id, status: 'stored', violations: v.violations });
    }
    for (const { fields, ...counts } of eventCounts.values()) {
      bumpEvent.run(counts);
      for (const fc of fields) if (fc.total > 0) bumpField.run(fc);
    }
    batch.end();
    return {
      response: { accepted, duplicates, results } satisfies IngestResponse,
      changed: new Set(eventCounts.keys()),
    };
  });

  return {
    /** stores the events as sent by `source`; all or nothing */
    ingest(events: IncomingEvent[], source: string): IngestResponse {
      const { response, changed } = store(events, source, clock().toISOString());
      if (changed.size) onChange(changed);
      return response;
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;

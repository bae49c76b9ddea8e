import { HttpResponse, http, sse } from 'msw';
import { z } from 'zod';
import {
  completenessEventSchema,
  completenessFieldSchema,
  completenessPushSchema,
} from '../server/completeness/schemas.ts';
import { type StoredEvent, storedEventSchema } from '../server/events/schemas.ts';
import { errorBodySchema } from '../server/http/schemas.ts';
import { enumSchema, planEventSchema } from '../server/plan/schemas.ts';
import { generateDb, liveTraffic, type MockDb } from './data.ts';

/**
 * msw handlers speaking the API's ra-data-simple-rest dialect: `sort`, `range` and `filter` query
 * parameters, a JSON array and a `Content-Range` header. Every body is parsed with the server's zod schema
 * before it is returned, so a mock that drifts from the API fails the test that reads it.
 */

type Row = { id: string | number };
type Filter = Record<string, unknown>;
/** a filter the resource understands beyond plain equality, given the record, the value and the whole filter */
type FilterMatcher<T> = (record: T, value: unknown, filter: Filter) => boolean;

const listQuerySchema = z.object({
  sort: z.tuple([z.string(), z.enum(['ASC', 'DESC'])]).default(['id', 'ASC']),
  range: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([0, 24]),
  filter: z.record(z.string(), z.unknown()).default({}),
});

const error = (status: number, message: string, errors?: Record<string, string>) =>
  HttpResponse.json(errorBodySchema.parse(errors ? { message, errors } : { message }), { status });

function parseListQuery(url: URL) {
  const raw: Record<string, unknown> = {};
  for (const key of ['sort', 'range', 'filter'] as const) {
    const value = url.searchParams.get(key);
    if (value === null) continue;
    try {
      raw[key] = JSON.parse(value);
    } catch {
      return { success: false as const, errors: { [key]: 'must be JSON' } };
    }
  }
  const parsed = listQuerySchema.safeParse(raw);
  if (parsed.success) return { success: true as const, data: parsed.data };
  return {
    success: false as const,
    errors: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])),
  };
}

const OPERATORS = ['_gte', '_gt', '_lte', '_lt', '_neq'] as const;

function matchesOperator(actual: unknown, operator: (typeof OPERATORS)[number], expected: unknown): boolean {
  if (operator === '_neq') return actual !== expected;
  const a = actual as string | number;
  const b = expected as string | number;
  if (operator === '_gte') return a >= b;
  if (operator === '_gt') return a > b;
  if (operator === '_lte') return a <= b;
  return a < b;
}

/** FakeRest's operators: `q`-like custom matchers, suffixes _gte _gt _lte _lt _neq, arrays mean IN */
function matches<T extends Row>(
  record: T,
  filter: Filter,
  custom: Record<string, FilterMatcher<T>>,
): boolean {
  const fields = record as unknown as Record<string, unknown>;
  return Object.entries(filter).every(([key, value]) => {
    const matcher = custom[key];
    if (matcher) return matcher(record, value, filter);
    const operator = OPERATORS.find((op) => key.endsWith(op));
    if (operator) return matchesOperator(fields[key.slice(0, -operator.length)], operator, value);
    if (Array.isArray(value)) return value.some((v) => String(v) === String(fields[key]));
    return fields[key] === value;
  });
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

interface ResourceOptions<T extends Row> {
  name: string;
  rows: () => T[];
  schema: z.ZodType<T>;
  filters?: Record<string, FilterMatcher<T>>;
  /** the sort fields the API accepts; any field when absent */
  sortable?: string[];
}

function resourceHandlers<T extends Row>({ name, rows, schema, filters = {}, sortable }: ResourceOptions<T>) {
  return [
    http.get(`/api/${name}`, ({ request }) => {
      const query = parseListQuery(new URL(request.url));
      if (!query.success) return error(400, 'Invalid list parameters', query.errors);
      const { sort, range, filter } = query.data;
      const [field, order] = sort;
      if (sortable && !sortable.includes(field)) {
        return error(400, 'Invalid list parameters', { sort: `cannot sort by ${field}` });
      }
      const direction = order === 'ASC' ? 1 : -1;
      const selected = rows()
        .filter((record) => matches(record, filter, filters))
        .sort((a, b) => {
          const byField = compare(
            (a as Record<string, unknown>)[field],
            (b as Record<string, unknown>)[field],
          );
          return direction * (byField === 0 ? compare(a.id, b.id) : byField);
        });
      const [start, end] = range;
      const page = z.array(schema).parse(selected.slice(start, end + 1));
      const last = page.length === 0 ? start : start + page.length - 1;
      return HttpResponse.json(page, {
        headers: { 'Content-Range': `${name} ${start}-${last}/${selected.length}` },
      });
    }),
    http.get(`/api/${name}/:id`, ({ params }) => {
      const record = rows().find((r) => String(r.id) === params.id);
      if (!record) return error(404, `No ${name} record with id ${String(params.id)}`);
      return HttpResponse.json(schema.parse(record));
    }),
  ];
}

const eventFilters: Record<string, FilterMatcher<StoredEvent>> = {
  q: (record, value) => record.event_id.startsWith(String(value)),
  has_violation: (record, value) => record.violation_count > 0 === value,
  // rule and field together select events with one violation of that rule on that field
  rule: (record, value, filter) =>
    record.violations.some(
      (v) => v.rule === value && (filter.field === undefined || v.field === filter.field),
    ),
  field: (record, value, filter) =>
    record.violations.some((v) => v.field === value && (filter.rule === undefined || v.rule === filter.rule)),
};

/** how often the API-less dev mode's simulated traffic delivers the events that have come due */
const SIMULATED_TICK_MS = 2000;

/**
 * Runs `stop` once the page has closed the stream. In the browser msw 2.15 never aborts `request.signal` when
 * the EventSource closes; its client only emits a `close` event on an emitter kept under a registered symbol.
 */
function onStreamClosed(request: Request, client: object, stop: () => void) {
  request.signal.addEventListener('abort', stop);
  const emitter = (client as Record<symbol, { on(type: 'close', listener: () => void): void } | undefined>)[
    Symbol.for('kClientEmitter')
  ];
  emitter?.on('close', stop);
}

export function createHandlers(db: MockDb) {
  /** streams opened so far: with the clock, a seed no other stream shares */
  let streams = 0;
  return [
    // the stream route first, so `/api/completeness/:id` does not take it; it simulates live traffic
    sse<{ completeness: string }>('/api/completeness/stream', ({ client, request }) => {
      // traffic from a few ticks back, delivered at once, so the page sees the numbers move as it subscribes
      const traffic = liveTraffic(db, Date.now() - 5 * SIMULATED_TICK_MS, Date.now() + streams++);
      const deliver = () => {
        for (const push of traffic(Date.now())) {
          client.send({ event: 'completeness', data: JSON.stringify(completenessPushSchema.parse(push)) });
        }
      };
      deliver();
      const timer = setInterval(deliver, SIMULATED_TICK_MS);
      onStreamClosed(request, client, () => clearInterval(timer));
    }),
    ...resourceHandlers({
      name: 'completeness-events',
      rows: () => [...db.completenessEvents.values()],
      schema: completenessEventSchema,
    }),
    ...resourceHandlers({
      name: 'completeness',
      rows: () => [...db.completenessFields.values()],
      schema: completenessFieldSchema,
    }),
    ...resourceHandlers({
      name: 'events',
      rows: () => db.events,
      schema: storedEventSchema,
      filters: eventFilters,
      sortable: ['id', 'occurred_at', 'received_at', 'event', 'day'],
    }),
    ...resourceHandlers({
      name: 'tracking-plan',
      rows: () => db.planEvents,
      schema: planEventSchema,
    }),
    ...resourceHandlers({ name: 'enums', rows: () => db.enums, schema: enumSchema }),
  ];
}

export const handlers = createHandlers(generateDb(Date.now()));

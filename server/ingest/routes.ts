import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { DB } from '../../db/open.ts';
import { ApiError, invalid } from '../http/errors.ts';
import { credentialLookup } from '../write-keys/keys.ts';
import {
  type EventEnvelope,
  eventEnvelopeSchema,
  MAX_BATCH_EVENTS,
  MAX_BODY_BYTES,
  type SegmentMessage,
  segmentMessageSchema,
} from './schemas.ts';
import type { EventStore, IncomingEvent } from './store.ts';

const limit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, `request body is larger than ${MAX_BODY_BYTES} bytes; send smaller batches`);
  },
});

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '')
    throw new ApiError(400, 'request body is empty; send a JSON event or array of events');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `request body is not valid JSON: ${(e as Error).message}`, {
      '(body)': 'not valid JSON',
    });
  }
}

function checkBatchSize(n: number) {
  if (n > MAX_BATCH_EVENTS)
    throw new ApiError(413, `a batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${n}`);
  if (n === 0) throw new ApiError(400, 'the batch is empty', { '(body)': 'no events' });
}

/** validates every envelope; one bad envelope rejects the whole batch (nothing half-stored), naming each */
function parseAll<T>(
  items: unknown[],
  parse: (item: unknown) => { ok: true; value: T } | { ok: false; error: ApiError },
  single: boolean,
  prefix: string,
) {
  const out: T[] = [];
  const errors: Record<string, string> = {};
  items.forEach((item, i) => {
    const r = parse(item);
    if (r.ok) out.push(r.value);
    else
      for (const [k, why] of Object.entries(r.error.errors ?? {}))
        errors[single ? k : `${prefix}[${i}]${k === '(body)' ? '' : `.${k}`}`] = why;
  });
  const names = Object.keys(errors);
  if (names.length) {
    const shown = names
      .slice(0, 5)
      .map((n) => `${n} ${errors[n]}`)
      .join('; ');
    throw new ApiError(
      400,
      `invalid event${single ? '' : 's'}, nothing stored: ${shown}${names.length > 5 ? ` (and ${names.length - 5} more)` : ''}`,
      errors,
    );
  }
  return out;
}

const parseEnvelope = (item: unknown) => {
  const r = eventEnvelopeSchema.safeParse(item);
  return r.success
    ? ({ ok: true, value: r.data } as const)
    : ({ ok: false, error: invalid(r.error, 'event') } as const);
};

const parseSegment = (item: unknown) => {
  const r = segmentMessageSchema.safeParse(item);
  if (!r.success) return { ok: false, error: invalid(r.error, 'message') } as const;
  const type = r.data.type ?? 'track';
  if (type === 'track' && (typeof r.data.event !== 'string' || r.data.event.trim() === '')) {
    return {
      ok: false,
      error: new ApiError(400, 'event missing', { event: 'must be a non-empty string (the event name)' }),
    } as const;
  }
  return { ok: true, value: fromSegment(r.data) } as const;
};

/**
 * Segment's tracking API mapped onto the console's envelope: event → event, messageId → event_id,
 * timestamp → occurred_at, properties → properties, userId → properties.user_id when absent. Calls other than
 * `track` (identify, page, …) are kept as unplanned `$<type>` events rather than dropped.
 */
export function fromSegment(m: SegmentMessage): IncomingEvent {
  const type = m.type ?? 'track';
  const base =
    (type === 'track'
      ? m.properties
      : (m.properties ?? (m as { traits?: Record<string, unknown> }).traits)) ?? {};
  const properties: Record<string, unknown> = { ...base };
  if (m.userId !== undefined && !Object.hasOwn(properties, 'user_id')) properties.user_id = m.userId;
  return {
    event: type === 'track' ? (m.event as string).trim() : `$${type}`,
    event_id: m.messageId,
    occurred_at: m.timestamp,
    properties,
  };
}

export function ingestRoutes(db: DB, store: EventStore) {
  const writeKeySource = credentialLookup(db, 'write_key');
  const authenticate = (c: Context, scheme: 'Bearer' | 'Basic'): string => {
    const header = c.req.header('Authorization') ?? '';
    let key = '';
    if (scheme === 'Bearer' && header.startsWith('Bearer ')) key = header.slice(7).trim();
    if (scheme === 'Basic' && header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      key = decoded.split(':')[0] ?? '';
    }
    const source = key ? writeKeySource(key) : undefined;
    if (!source) {
      c.header('WWW-Authenticate', scheme === 'Bearer' ? 'Bearer realm="ingest"' : 'Basic realm="ingest"');
      throw new ApiError(
        401,
        key
          ? 'unknown or revoked write key'
          : `missing write key: send Authorization: ${scheme === 'Bearer' ? 'Bearer <write key>' : 'Basic base64(<write key>:)'}`,
      );
    }
    return source;
  };

  return new Hono()
    .post('/api/events', limit, async (c) => {
      const source = authenticate(c, 'Bearer');
      const body = await readJson(c);
      const items = Array.isArray(body) ? body : [body];
      checkBatchSize(items.length);
      const events: EventEnvelope[] = parseAll(items, parseEnvelope, !Array.isArray(body), '');
      return c.json(store.ingest(events, source));
    })
    .post('/v1/batch', limit, async (c) => {
      const source = authenticate(c, 'Basic');
      const body = (await readJson(c)) as { batch?: unknown };
      if (body === null || typeof body !== 'object' || !Array.isArray(body.batch)) {
        throw new ApiError(400, 'batch must be an array of messages', {
          batch: 'must be an array of messages',
        });
      }
      checkBatchSize(body.batch.length);
      const events = parseAll(body.batch, parseSegment, false, 'batch');
      return c.json({ success: true, ...store.ingest(events, source) });
    })
    .post('/v1/track', limit, async (c) => {
      const source = authenticate(c, 'Basic');
      const body = await readJson(c);
      const events = parseAll([body], parseSegment, true, '');
      return c.json({ success: true, ...store.ingest(events, source) });
    });
}

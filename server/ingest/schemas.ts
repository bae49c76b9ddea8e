import { z } from 'zod';
import { violationSchema } from '../events/schemas.ts';

export const MAX_BATCH_EVENTS = 1000;
export const MAX_BODY_BYTES = 1024 * 1024;

/** ISO-8601 date-time with an explicit offset (Z or ±hh:mm); a time without an offset is ambiguous */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/**
 * Why a string is not an ISO-8601 date-time with an offset that exists (Date.parse would roll 2026-02-30
 * over to 2 March), or undefined when it is one. One pass of the regex: this runs for every ingested event.
 */
export function dateTimeProblem(s: string): string | undefined {
  const m = ISO_WITH_OFFSET.exec(s);
  if (!m) return 'must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:00:00+08:00';
  const [y, mo, d, h, mi, sec = 0, oh = 0, om = 0] = m
    .slice(1)
    .map((x) => (x === undefined ? undefined : Number(x)));
  const real =
    mo! >= 1 &&
    mo! <= 12 &&
    d! >= 1 &&
    d! <= new Date(Date.UTC(y!, mo!, 0)).getUTCDate() &&
    h! <= 23 &&
    mi! <= 59 &&
    sec <= 59 &&
    oh <= 14 &&
    om <= 59;
  return real ? undefined : 'is not a real date-time (no such date or time)';
}

export const occurredAtSchema = z
  .string({ error: 'must be an ISO-8601 date-time string with an offset' })
  .check((ctx) => {
    const problem = dateTimeProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

const nonEmpty = (what: string) =>
  z
    .string({ error: `must be a non-empty string (${what})` })
    .trim()
    .min(1, `must be a non-empty string (${what})`)
    .max(200, 'must be at most 200 characters');

/** one event as POSTed to /api/events */
export const eventEnvelopeSchema = z.object({
  event: nonEmpty('the event name'),
  event_id: nonEmpty('unique per event'),
  occurred_at: occurredAtSchema,
  // a plain-object check, not z.record: validating each property is the tracking plan's job, done after
  properties: z
    .custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
      error: 'must be a JSON object',
    })
    .optional()
    .default({}),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export const ingestResultSchema = z.object({
  event_id: z.string(),
  status: z.enum(['stored', 'duplicate']),
  violations: z.array(violationSchema),
});

export const ingestResponseSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  results: z.array(ingestResultSchema),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

/** a Segment `track` message (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/) */
export const segmentMessageSchema = z
  .object({
    type: z.string().optional(),
    event: z.string().optional(),
    messageId: nonEmpty('messageId'),
    timestamp: occurredAtSchema,
    userId: z.union([z.string(), z.number()]).optional(),
    anonymousId: z.union([z.string(), z.number()]).optional(),
    properties: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).optional(),
  })
  .loose();
export type SegmentMessage = z.infer<typeof segmentMessageSchema>;

import { z } from 'zod';
import { enumVersionSchema } from '../enums/schemas.ts';
import {
  eventEnvelopeSchema,
  ingestResponseSchema,
  MAX_BATCH_EVENTS,
  segmentMessageSchema,
} from '../ingest/schemas.ts';

/**
 * Schemas of whole bodies that the routes check piece by piece (ingestion validates each envelope of a
 * batch; /v1/batch checks `batch` by hand) or answer without a schema of their own. Each is built from the
 * schemas the routes do use, so it changes with them.
 */

/** POST /api/events: one envelope or a non-empty array of them */
export const ingestBodySchema = z.union([
  eventEnvelopeSchema,
  z.array(eventEnvelopeSchema).min(1).max(MAX_BATCH_EVENTS),
]);

/** POST /v1/batch */
export const segmentBatchSchema = z.object({
  batch: z.array(segmentMessageSchema).min(1).max(MAX_BATCH_EVENTS),
});

/** POST /v1/batch and /v1/track answer Segment's `success` beside the console's ingest answer */
export const segmentResponseSchema = ingestResponseSchema.extend({ success: z.literal(true) });

/** GET /healthz */
export const healthSchema = z.object({ status: z.literal('ok') });

/** GET /api/enums/:id/history: every version, or with `?at=` the one in force then */
export const enumHistorySchema = z.union([z.array(enumVersionSchema), enumVersionSchema]);

import { z } from 'zod';

/** a UTC+8 calendar day that exists (2026-02-29 does not) */
export const exportDaySchema = z.iso.date({ error: 'must be a UTC+8 date YYYY-MM-DD, e.g. 2026-11-24' });

/**
 * GET /api/exports/events: the query. The answer is application/x-ndjson, one line per stored event, each
 * line a `storedEventSchema` (server/events/schemas.ts) as GET /api/events/:id answers it.
 */
export const exportEventsQuerySchema = z.object({ day: exportDaySchema });

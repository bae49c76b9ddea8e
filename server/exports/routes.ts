import { Hono } from 'hono';
import { recordAudit } from '../audit/log.ts';
import { auditContext } from '../auth/middleware.ts';
import { eventReader } from '../events/reader.ts';
import type { RouteDeps } from '../http/deps.ts';
import type { AppEnv } from '../http/env.ts';
import { invalid } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { eventExport, exportPath } from './events.ts';
import { exportEventsQuerySchema } from './schemas.ts';

/**
 * GET /api/exports/events?day=YYYY-MM-DD: the day's events as NDJSON, streamed. It shows a reader exactly
 * what paging through GET /api/events?filter={"day":…} would (hence events:read, the engineer's team scope
 * and the same masking), so it needs no permission of its own; each export is audited with its row count.
 */
export function exportRoutes({ db, clock, requires }: RouteDeps, plan: PlanCache) {
  return new Hono<AppEnv>().get('/exports/events', requires('events:read'), (c) => {
    const user = c.var.user!;
    const parsed = exportEventsQuerySchema.safeParse({ day: c.req.query('day') });
    if (!parsed.success) throw invalid(parsed.error, 'export query');
    const { day } = parsed.data;
    const { scope, masked, present } = eventReader(plan, user);
    const pages = eventExport(db, day, { scope, present });

    // who exported which day, how many events: written when the stream ends, fails or is abandoned
    const audit = auditContext(c);
    let rows = 0;
    let bytes = 0;
    let audited = false;
    const record = (outcome: 'success' | 'failure', reason?: string) => {
      if (audited) return;
      audited = true;
      try {
        recordAudit(
          db,
          {
            ...audit,
            action: 'events.export',
            resource: 'events',
            resource_id: day,
            after: { day, file: exportPath(day), rows, bytes, masked, team: scope?.source ?? null },
            reason: reason ?? null,
            outcome,
          },
          clock(),
        );
      } catch (err) {
        console.error('[events.export] could not audit the export', err);
      }
    };

    const encoder = new TextEncoder();
    // a pull stream with no buffer of its own: the next page is read only when the client has taken the last
    // one, so a slow client holds at most one page in memory
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          try {
            const next = pages.next();
            if (next.done) {
              record('success');
              controller.close();
              return;
            }
            const chunk = encoder.encode(next.value.text);
            rows += next.value.rows;
            bytes += chunk.byteLength;
            controller.enqueue(chunk);
          } catch (err) {
            record('failure', `the export failed after ${rows} events`);
            controller.error(err);
          }
        },
        cancel() {
          pages.return(undefined);
          record('failure', `the client stopped reading after ${rows} events`);
        },
      },
      { highWaterMark: 0 },
    );
    return c.body(body, 200, {
      'Content-Type': 'application/x-ndjson',
      // browsers save it as landing_phase1_dt=…_part-00000.ndjson (a path separator becomes _)
      'Content-Disposition': `attachment; filename="${exportPath(day)}"`,
      'Cache-Control': 'no-store',
    });
  });
}

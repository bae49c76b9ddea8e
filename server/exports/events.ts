import type { DB } from '../../db/open.ts';
import { type EventScope, type Row, scopeClause, toEvent } from '../events/queries.ts';
import type { StoredEvent } from '../events/schemas.ts';

// the day's schema lives with the route's query schema; re-exported for those who import it from here
export { exportDaySchema } from './schemas.ts';

/**
 * The day's stored events as NDJSON in the data-lake layout `landing_phase1/dt=YYYY-MM-DD/` (数据湖命名空间,
 * UTC+8 日切): one JSON object per line, each the event exactly as GET /api/events/:id presents it, violations
 * included. Shared by GET /api/exports/events and `npm run export`, so both write the same bytes.
 */

/** events read (and lines produced) per page: one keyset query, one chunk of output */
export const EXPORT_PAGE_SIZE = 1000;
export const EXPORT_NAMESPACE = 'landing_phase1';
/** one file per day partition (a later split of a huge day would add part-00001 …) */
export const EXPORT_PART_FILE = 'part-00000.ndjson';

/** where a day's file lives in the data lake, relative to its root */
export const exportPath = (day: string) => `${EXPORT_NAMESPACE}/dt=${day}/${EXPORT_PART_FILE}`;

export interface EventExportOptions {
  /** an engineer's team: only the events they may read */
  scope?: EventScope | undefined;
  /** how the reader sees each event (masking); in clear when omitted */
  present?: (e: StoredEvent) => StoredEvent;
  pageSize?: number;
}

export interface ExportChunk {
  /** whole lines, each ending in \n */
  text: string;
  rows: number;
}

/**
 * The day's events in id order (the order they were stored), as chunks of at most `pageSize` lines. The set
 * is cut when this is called: events stored afterwards (ids above the newest one now) are not included, so a
 * day exported while traffic arrives is still a consistent snapshot (events are append-only, ids dense).
 *
 * Each page is a keyset seek on the (day, id) index — never an OFFSET, never the whole day in memory — and
 * no statement iterator stays open between pages: the caller may await between chunks while other requests
 * use the same connection. Violations come with each row (the event's `violations` column, as the list reads
 * them), so no per-event query is needed.
 */
export function eventExport(db: DB, day: string, opts: EventExportOptions = {}): Generator<ExportChunk> {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const present = opts.present ?? ((e: StoredEvent) => e);
  const scope = opts.scope && scopeClause(opts.scope);
  const upTo = db.prepare('SELECT coalesce(max(id), 0) FROM landing_phase1_events').pluck().get() as number;
  const page = db.prepare(
    `SELECT * FROM landing_phase1_events e
     WHERE e.day = ? AND e.id > ? AND e.id <= ?${scope ? ` AND ${scope.sql}` : ''}
     ORDER BY e.id LIMIT ?`,
  );
  return (function* pages() {
    let last = 0;
    for (;;) {
      const rows = page.all(day, last, upTo, ...(scope?.params ?? []), pageSize) as Row[];
      if (rows.length === 0) return;
      last = rows[rows.length - 1]!.id;
      let text = '';
      for (const r of rows) text += `${JSON.stringify(present(toEvent(r)))}\n`;
      yield { text, rows: rows.length };
      if (rows.length < pageSize) return;
    }
  })();
}

import type { Rule } from '../../server/plan/schemas.ts';

/** the filters of GET /api/events that other pages link with */
export interface EventsFilter {
  event?: string;
  day_gte?: string;
  day_lte?: string;
  has_violation?: boolean;
  rule?: Rule;
  field?: string;
}

/** the Events list, filtered: the drill-down from the dashboard to the offending events */
export const eventsListPath = (filter: EventsFilter): string =>
  `/events?${new URLSearchParams({ filter: JSON.stringify(filter) })}`;

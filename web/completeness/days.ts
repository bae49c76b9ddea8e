/** Days are UTC+8 (Asia/Shanghai) calendar dates, YYYY-MM-DD, as the server cuts them (日切). */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface DayRange {
  from: string;
  to: string;
}

export const utc8Today = (now: number = Date.now()): string =>
  new Date(now + 8 * HOUR_MS).toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** the last `count` UTC+8 days, today included */
export function lastDays(count: number, now: number = Date.now()): DayRange {
  const to = utc8Today(now);
  return { from: addDays(to, 1 - count), to };
}

/** the longest range the dashboard reads at once (its counters fit in one page of the API) */
export const MAX_RANGE_DAYS = 92;

export const inRange = (day: string, range: DayRange): boolean => range.from <= day && day <= range.to;

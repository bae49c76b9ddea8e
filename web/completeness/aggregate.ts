import type { CompletenessEventRow, CompletenessFieldRow } from '../../server/completeness/schemas.ts';
import type { Rule } from '../../server/plan/schemas.ts';

/** Figures over a day range, summed from the server's per-day rows. Pure functions, no React. */

export interface Counts {
  total: number;
  valid: number;
  with_violations: number;
  duplicates: number;
  unplanned: number;
  valid_pct: number;
}

export interface EventSummary extends Counts {
  event: string;
  planned: boolean;
  target_pct: number | null;
  below_target: boolean;
}

export interface DaySummary extends Counts {
  day: string;
}

/** the rules a completeness field row counts, and the column each is counted in */
export const FIELD_RULE_COLUMNS = {
  missing: 'missing',
  wrong_type: 'wrong_type',
  out_of_enum: 'out_of_enum',
  pii: 'pii',
  escalation_below_policy: 'cross_field',
} as const satisfies Partial<Record<Rule, keyof CompletenessFieldRow>>;

export type FieldRule = keyof typeof FIELD_RULE_COLUMNS;
export const FIELD_RULES = Object.keys(FIELD_RULE_COLUMNS) as FieldRule[];

export type FieldViolations = { event: string; field: string; violations: number } & Record<
  FieldRule,
  number
>;

/** share of valid events in %, rounded to 2 decimals; 100 when there is nothing to judge */
export const validPct = (valid: number, total: number): number =>
  total === 0 ? 100 : Math.round((valid / total) * 10_000) / 100;

export function summarize(rows: CompletenessEventRow[]): Counts {
  const sum = (key: 'total' | 'valid' | 'with_violations' | 'duplicates' | 'unplanned') =>
    rows.reduce((acc, row) => acc + row[key], 0);
  const total = sum('total');
  const valid = sum('valid');
  return {
    total,
    valid,
    with_violations: sum('with_violations'),
    duplicates: sum('duplicates'),
    unplanned: sum('unplanned'),
    valid_pct: validPct(valid, total),
  };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return groups;
}

/** one summary per event, planned events first, then by name */
export function byEvent(rows: CompletenessEventRow[]): EventSummary[] {
  return [...groupBy(rows, (row) => row.event)]
    .map(([event, group]) => {
      const counts = summarize(group);
      const planned = group.some((row) => row.planned);
      const target_pct = group.find((row) => row.target_pct !== null)?.target_pct ?? null;
      return {
        event,
        planned,
        target_pct,
        below_target: target_pct !== null && counts.valid_pct < target_pct,
        ...counts,
      };
    })
    .sort((a, b) => Number(b.planned) - Number(a.planned) || a.event.localeCompare(b.event));
}

export function byDay(rows: CompletenessEventRow[]): DaySummary[] {
  return [...groupBy(rows, (row) => row.day)]
    .map(([day, group]) => ({ day, ...summarize(group) }))
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** violations per event × field and rule over the range, the most violated first */
export function violationsByField(rows: CompletenessFieldRow[]): FieldViolations[] {
  return [...groupBy(rows, (row) => `${row.event}|${row.field}`)]
    .map(([, group]) => {
      const first = group[0] as CompletenessFieldRow;
      const perRule = Object.fromEntries(
        FIELD_RULES.map((rule) => [rule, group.reduce((acc, row) => acc + row[FIELD_RULE_COLUMNS[rule]], 0)]),
      ) as Record<FieldRule, number>;
      const violations = FIELD_RULES.reduce((acc, rule) => acc + perRule[rule], 0);
      return { event: first.event, field: first.field, violations, ...perRule };
    })
    .filter((row) => row.violations > 0)
    .sort((a, b) => b.violations - a.violations);
}

/** replaces rows by id and appends new ones: how pushed rows are merged into what the page shows */
export function mergeById<T extends { id: string }>(rows: T[], pushed: T[]): T[] {
  if (pushed.length === 0) return rows;
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of pushed) byId.set(row.id, row);
  return [...byId.values()];
}

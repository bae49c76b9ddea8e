import { addDays, daysBetween, type MetricsRange } from './queries.ts';
import { DEFAULT_METRIC_DAYS, MAX_METRIC_DAYS, metricsQuerySchema } from './schemas.ts';

const KNOWN = Object.keys(metricsQuerySchema.shape);

/**
 * A metrics query's range and filters (pure; the route and the mocks both read queries with it): `from`/`to`
 * UTC+8 days defaulting to the last DEFAULT_METRIC_DAYS ending `today`, at most MAX_METRIC_DAYS, `persona` a
 * persona_tag code; or the 400's message and its reason per parameter (unknown parameters named too).
 */
export function parseMetricsRange(
  query: Record<string, string>,
  today: string,
  isPersona: (code: string) => boolean,
): { range: MetricsRange } | { message: string; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  for (const k of Object.keys(query))
    if (!KNOWN.includes(k)) errors[k] = `unknown parameter; known: ${KNOWN.join(', ')}`;
  const parsed = metricsQuerySchema.safeParse(query);
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[issue.path.join('.') || '(body)'] ??= issue.message;
  if (parsed.success) {
    const q = parsed.data;
    const to = q.to ?? today;
    const from = q.from ?? addDays(to, 1 - DEFAULT_METRIC_DAYS);
    if (from > to) {
      if (q.to) errors.to = `must not be before from (${from})`;
      else errors.from = `must not be after to (${to}, today by default)`;
    } else {
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      if (span > MAX_METRIC_DAYS)
        errors.from = `the range may span at most ${MAX_METRIC_DAYS} days; ${from} to ${to} is ${span}`;
    }
    if (q.persona !== undefined && !isPersona(q.persona)) errors.persona = 'must be a persona_tag code';
    if (!Object.keys(errors).length)
      return {
        range: {
          from,
          to,
          days: daysBetween(from, to),
          persona: q.persona ?? null,
          channel: q.channel ?? null,
        },
      };
  }
  const shown = Object.entries(errors)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
  return { message: `invalid metrics query: ${shown}`, errors };
}

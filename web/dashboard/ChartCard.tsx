import { Alert, Box, Card, CardContent, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import type { ReactNode, Ref } from 'react';
import { useTranslate } from 'react-admin';
import type { MetricFilter } from '../../server/metrics/schemas.ts';
import type { MetricName } from '../dataProvider.ts';
import { type BoardFilters, useMetric, useSeen } from './useMetric.ts';

/** a figure of a chart's totals row: label and value, readable without hovering anything */
export interface Figure {
  key: string;
  label: string;
  value: string;
}

/** which of the board's filters the answer could not apply (its events do not carry them) */
function unfiltered(filters: BoardFilters, applied: readonly MetricFilter[] | undefined): MetricFilter[] {
  const asked: MetricFilter[] = [];
  if (filters.persona) asked.push('persona');
  if (filters.channel) asked.push('channel');
  return applied ? asked.filter((f) => !applied.includes(f)) : [];
}

/**
 * One chart of the board: its title and what it counts, the totals over the range as plain figures, a note
 * when a filter could not apply to it, and the chart (or the loading state, or the server's refusal).
 */
export const ChartCard = ({
  ref,
  id,
  title,
  subtitle,
  figures,
  filters,
  applied,
  isPending,
  error,
  children,
}: {
  ref?: Ref<HTMLDivElement>;
  id: string;
  title: string;
  subtitle?: string;
  figures?: Figure[];
  filters: BoardFilters;
  applied?: readonly MetricFilter[];
  isPending: boolean;
  error: Error | null;
  children?: ReactNode;
}) => {
  const translate = useTranslate();
  const missing = unfiltered(filters, applied);
  return (
    <Card ref={ref} variant="outlined" data-testid={`metric-${id}`} sx={{ height: '100%' }}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
          <Typography variant="h6" component="h2">
            {translate(title)}
          </Typography>
          {isPending && <CircularProgress size={16} aria-label={translate('ra.page.loading')} />}
        </Stack>
        {subtitle && (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {subtitle}
          </Typography>
        )}
        {missing.length > 0 && (
          <Typography
            variant="caption"
            color="warning.dark"
            component="p"
            data-testid={`metric-${id}-unfiltered`}
          >
            {translate('metrics.unfiltered', {
              filters: missing.map((f) => translate(`metrics.filters.${f}`)).join(', '),
            })}
          </Typography>
        )}
        {error ? (
          <Alert severity="error">{error.message}</Alert>
        ) : (
          <>
            {figures && figures.length > 0 && (
              <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', gap: 1, my: 1 }}>
                {figures.map((f) => (
                  <Chip
                    key={f.key}
                    variant="outlined"
                    data-testid={`metric-${id}-${f.key}`}
                    label={
                      <span>
                        {f.label}: <strong>{f.value}</strong>
                      </span>
                    }
                  />
                ))}
              </Stack>
            )}
            <Box sx={{ minHeight: 260 }}>{children}</Box>
          </>
        )}
      </CardContent>
    </Card>
  );
};

/**
 * A chart's figures and the card props that go with them: the card's element is watched, and the figures are
 * asked for once it comes into view; the card shows loading, the server's refusal, and unapplied filters.
 */
export function useMetricCard<N extends MetricName>(name: N, filters: BoardFilters) {
  const { ref, seen } = useSeen<HTMLDivElement>();
  const { data, isPending, error } = useMetric(name, filters, seen);
  return {
    data,
    card: {
      ref,
      id: name,
      filters,
      applied: data?.filters_applied,
      isPending: isPending && seen,
      error,
    },
  };
}

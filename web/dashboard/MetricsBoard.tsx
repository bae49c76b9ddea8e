import {
  Box,
  Button,
  ButtonGroup,
  CircularProgress,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { type ComponentType, lazy, Suspense, useEffect, useState } from 'react';
import { Title, useStore, useTranslate } from 'react-admin';
import { DEFAULT_METRIC_DAYS } from '../../server/metrics/schemas.ts';
import { DayRangePicker } from '../completeness/DayRangePicker.tsx';
import { lastDays } from '../completeness/days.ts';
import { useEnumChoices } from '../enums/useEnum.ts';
import type { BoardFilters } from './useMetric.ts';

/** each chart is its own module, loaded when the board first renders it (recharts with it) */
const CHARTS: Array<{ id: string; wide?: boolean; Chart: ComponentType<{ filters: BoardFilters }> }> = [
  { id: 'funnel', wide: true, Chart: lazy(() => import('./FunnelChart.tsx')) },
  { id: 'cta-ab', Chart: lazy(() => import('./CtaAbChart.tsx')) },
  { id: 'hot-templates', Chart: lazy(() => import('./HotTemplatesChart.tsx')) },
  { id: 'failures', Chart: lazy(() => import('./FailuresChart.tsx')) },
  { id: 'credits', Chart: lazy(() => import('./CreditsChart.tsx')) },
  { id: 'license-review', wide: true, Chart: lazy(() => import('./LicenseReviewChart.tsx')) },
];

const QUICK_RANGES = [7, 14, 30, 90] as const;

/** a filter typed into a text field, applied once typing pauses */
function useDebounced(value: string, ms = 500) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

const Filters = ({ value, onChange }: { value: BoardFilters; onChange: (f: BoardFilters) => void }) => {
  const translate = useTranslate();
  const { choices } = useEnumChoices('persona_tag');
  const [channel, setChannel] = useState(value.channel);
  const settled = useDebounced(channel);
  useEffect(() => {
    if (settled !== value.channel) onChange({ ...value, channel: settled });
  }, [settled, value, onChange]);
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
      <DayRangePicker
        value={{ from: value.from, to: value.to }}
        onChange={(range) => onChange({ ...value, ...range })}
      />
      <ButtonGroup size="small" variant="outlined">
        {QUICK_RANGES.map((n) => (
          <Button
            key={n}
            onClick={() => onChange({ ...value, ...lastDays(n) })}
            data-testid={`metrics-last-${n}`}
          >
            {translate('metrics.last_days', { n })}
          </Button>
        ))}
      </ButtonGroup>
      <TextField
        select
        size="small"
        label={translate('metrics.filters.persona')}
        value={value.persona}
        onChange={(e) => onChange({ ...value, persona: e.target.value })}
        sx={{ width: 240 }}
        slotProps={{ htmlInput: { 'data-testid': 'metrics-persona' } }}
      >
        <MenuItem value="">{translate('metrics.filters.all')}</MenuItem>
        {choices.map((c) => (
          <MenuItem key={c.id} value={c.id}>
            {c.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        label={translate('metrics.filters.channel')}
        value={channel}
        onChange={(e) => setChannel(e.target.value)}
        sx={{ width: 200 }}
        slotProps={{ htmlInput: { 'data-testid': 'metrics-channel' } }}
      />
    </Stack>
  );
};

/**
 * The Phase 1 metrics board (指标看板): the funnel, the CTA A/B test, hot templates, failures, credits and the
 * licence review over a UTC+8 day range, optionally for one persona and one channel. Each chart loads its
 * own module and its own figures when it comes into view; the filters are kept for the next visit.
 */
export const MetricsBoard = () => {
  const translate = useTranslate();
  const [filters, setFilters] = useStore<BoardFilters>('metrics.filters', {
    ...lastDays(DEFAULT_METRIC_DAYS),
    persona: '',
    channel: '',
  });
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="metrics-board">
      <Title title="metrics.title" />
      <Filters value={filters} onChange={setFilters} />
      <Typography variant="body2" color="text.secondary">
        {translate('metrics.range', { from: filters.from, to: filters.to })}
      </Typography>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
        {CHARTS.map(({ id, wide, Chart }) => (
          <Box key={id} sx={wide ? { gridColumn: '1 / -1' } : undefined}>
            <Suspense fallback={<CircularProgress aria-label={translate('ra.page.loading')} />}>
              <Chart filters={filters} />
            </Suspense>
          </Box>
        ))}
      </Box>
    </Stack>
  );
};

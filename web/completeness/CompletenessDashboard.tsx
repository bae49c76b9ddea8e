import { Alert, Box, CircularProgress, Stack, Typography } from '@mui/material';
import { lazy, Suspense, useState } from 'react';
import { Title, useTranslate } from 'react-admin';
import { byEvent, summarize } from './aggregate.ts';
import { DayRangePicker } from './DayRangePicker.tsx';
import { lastDays } from './days.ts';
import { EventTable } from './EventTable.tsx';
import { FlaggedTable } from './FlaggedTable.tsx';
import { LiveIndicator } from './LiveIndicator.tsx';
import { SummaryCards } from './SummaryCards.tsx';
import { useCompleteness } from './useCompleteness.ts';

const CompletenessCharts = lazy(() =>
  import('./CompletenessCharts.tsx').then((module) => ({ default: module.CompletenessCharts })),
);

/** The live event-completeness checks (the seed's verify_phase1_events.sql, made live): the home page. */
export const CompletenessDashboard = () => {
  const translate = useTranslate();
  const [range, setRange] = useState(() => lastDays(7));
  const { events, fields, isPending, error, status, truncated } = useCompleteness(range);

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title="completeness.title" />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <DayRangePicker value={range} onChange={setRange} />
        <LiveIndicator status={status} />
      </Stack>
      {truncated && <Alert severity="warning">{translate('completeness.truncated')}</Alert>}
      {error ? (
        <Alert severity="error">{translate('completeness.load_error')}</Alert>
      ) : isPending ? (
        <Box sx={{ display: 'flex', justifyContent: 'center', p: 4 }}>
          <CircularProgress aria-label={translate('ra.page.loading')} />
        </Box>
      ) : events.length === 0 ? (
        <Typography color="text.secondary">{translate('completeness.no_data')}</Typography>
      ) : (
        <>
          <SummaryCards counts={summarize(events)} />
          <Suspense fallback={<CircularProgress aria-label={translate('ra.page.loading')} />}>
            <CompletenessCharts events={events} fields={fields} range={range} />
          </Suspense>
          <EventTable rows={byEvent(events)} range={range} />
          <FlaggedTable rows={events} />
        </>
      )}
    </Stack>
  );
};

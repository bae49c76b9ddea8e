import { useCallback, useState } from 'react';
import { useGetList } from 'react-admin';
import type { CompletenessEventRow, CompletenessFieldRow } from '../../server/completeness/schemas.ts';
import { mergeById } from './aggregate.ts';
import { type DayRange, inRange } from './days.ts';
import { useCompletenessStream } from './useCompletenessStream.ts';

/** the largest page the server answers for the counters; a range of MAX_RANGE_DAYS fits in it */
const MAX_ROWS = 10_000;

/** rows fetched from the API, with the rows pushed since merged in; a new fetch starts over from it */
function useLiveRows<T extends { id: string }>(fetched: T[] | undefined) {
  const [state, setState] = useState({ fetched, rows: fetched ?? [] });
  if (state.fetched !== fetched) setState({ fetched, rows: fetched ?? [] });
  const merge = useCallback(
    (pushed: T[]) => setState((current) => ({ ...current, rows: mergeById(current.rows, pushed) })),
    [],
  );
  return [state.fetched === fetched ? state.rows : (fetched ?? []), merge] as const;
}

/** The completeness rows of a day range (per day × event and per day × event × field), kept live. */
export function useCompleteness(range: DayRange) {
  const params = {
    pagination: { page: 1, perPage: MAX_ROWS },
    sort: { field: 'day', order: 'ASC' as const },
    filter: { day_gte: range.from, day_lte: range.to },
  };
  const eventsQuery = useGetList<CompletenessEventRow>('completeness-events', params);
  const fieldsQuery = useGetList<CompletenessFieldRow>('completeness', params);
  const [events, mergeEvents] = useLiveRows(eventsQuery.data);
  const [fields, mergeFields] = useLiveRows(fieldsQuery.data);

  const status = useCompletenessStream(
    (push) => {
      const shown = (row: { day: string }) => inRange(row.day, range);
      mergeEvents(push.events.filter(shown));
      mergeFields(push.fields.filter(shown));
    },
    // what changed before the stream (re)opened was pushed to no one: read it again
    () => {
      void eventsQuery.refetch();
      void fieldsQuery.refetch();
    },
  );

  return {
    events,
    fields,
    isPending: eventsQuery.isPending || fieldsQuery.isPending,
    /** more rows matched than one page holds: the figures on screen would be partial */
    truncated:
      (eventsQuery.total ?? 0) > (eventsQuery.data?.length ?? 0) ||
      (fieldsQuery.total ?? 0) > (fieldsQuery.data?.length ?? 0),
    error: eventsQuery.error ?? fieldsQuery.error,
    status,
  };
}

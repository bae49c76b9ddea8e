import { Link } from '@mui/material';
import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  TextField,
  useListContext,
  useTranslate,
} from 'react-admin';
import type { StoredEvent } from '../../server/events/schemas.ts';
import { CsvListActions } from '../layout/CsvExportButton.tsx';
import { eventFilters } from './eventFilters.tsx';
import { ViolationChips } from './ViolationChips.tsx';

/** occurred_at is shown in UTC+8, the zone days are cut in */
export const SHANGHAI = { timeZone: 'Asia/Shanghai', timeZoneName: 'short' } as const;

/** GET /api/exports/events: one UTC+8 day's events as NDJSON, streamed (masked as the list is) */
export const dayExportUrl = (day: string) => `/api/exports/events?${new URLSearchParams({ day })}`;

/** too many events for a CSV: the day's NDJSON export instead, linked when the filter is one day */
const DayExportHint = () => {
  const translate = useTranslate();
  const { filterValues } = useListContext();
  const from = filterValues.day_gte as string | undefined;
  const day = from && from === filterValues.day_lte ? from : undefined;
  return (
    <span data-testid="csv-export-day-hint">
      {translate('exports.events_by_day')}{' '}
      {day ? (
        <Link href={dayExportUrl(day)} download>
          {dayExportUrl(day)}
        </Link>
      ) : (
        <code>/api/exports/events?day=YYYY-MM-DD</code>
      )}
    </span>
  );
};

export const EventList = () => (
  <List
    filters={eventFilters}
    sort={{ field: 'id', order: 'DESC' }}
    perPage={25}
    actions={<CsvListActions tooManyHint={<DayExportHint />} />}
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="id" />
      <TextField source="event" />
      <TextField source="event_id" sortable={false} />
      <TextField source="day" />
      <DateField source="occurred_at" showTime options={SHANGHAI} />
      <TextField source="source" sortable={false} />
      <FunctionField<StoredEvent>
        source="violations"
        sortable={false}
        render={(record) => <ViolationChips violations={record.violations} />}
      />
    </Datagrid>
  </List>
);

import { Datagrid, DateField, FunctionField, List, TextField } from 'react-admin';
import type { StoredEvent } from '../../server/events/schemas.ts';
import { eventFilters } from './eventFilters.tsx';
import { ViolationChips } from './ViolationChips.tsx';

/** occurred_at is shown in UTC+8, the zone days are cut in */
export const SHANGHAI = { timeZone: 'Asia/Shanghai', timeZoneName: 'short' } as const;

export const EventList = () => (
  <List filters={eventFilters} sort={{ field: 'id', order: 'DESC' }} perPage={25}>
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

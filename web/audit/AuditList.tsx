import { Datagrid, DateField, FunctionField, List, TextField } from 'react-admin';
import type { AuditRecord } from '../../server/audit/schemas.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { AuditActions } from './AuditActions.tsx';
import { auditFilters } from './auditFilters.tsx';
import { OutcomeChip } from './OutcomeChip.tsx';

/** the append-only audit log, newest first */
export const AuditList = () => (
  <List filters={auditFilters} actions={<AuditActions />} sort={{ field: 'id', order: 'DESC' }} perPage={25}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="id" />
      <DateField source="at" showTime options={SHANGHAI} />
      <TextField source="actor" />
      <TextField source="action" />
      <TextField source="resource" />
      <TextField source="resource_id" sortable={false} />
      <FunctionField<AuditRecord>
        source="outcome"
        sortable={false}
        render={(record) => <OutcomeChip outcome={record.outcome} />}
      />
      <TextField source="reason" sortable={false} />
    </Datagrid>
  </List>
);

import { DateField, FunctionField, Show, SimpleShowLayout, TextField } from 'react-admin';
import type { AuditRecord } from '../../server/audit/schemas.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { AuditDiff } from './AuditDiff.tsx';
import { OutcomeChip } from './OutcomeChip.tsx';

export const AuditShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="id" />
      <DateField source="at" showTime options={SHANGHAI} />
      <TextField source="actor" />
      <TextField source="action" />
      <TextField source="resource" />
      <TextField source="resource_id" emptyText="—" />
      <FunctionField<AuditRecord>
        source="outcome"
        render={(record) => <OutcomeChip outcome={record.outcome} />}
      />
      <TextField source="reason" emptyText="—" />
      <TextField source="request_id" emptyText="—" />
      <TextField source="ip" emptyText="—" />
      <FunctionField<AuditRecord>
        label="audit.diff.title"
        render={(record) => <AuditDiff before={record.before} after={record.after} />}
      />
      <TextField source="hash" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }} />
    </SimpleShowLayout>
  </Show>
);

import {
  Datagrid,
  DatagridBody,
  DatagridRow,
  type DatagridRowProps,
  DateField,
  FilterButton,
  FunctionField,
  List,
  SortButton,
  TextField,
  TopToolbar,
} from 'react-admin';
import type { TaskRecord } from '../../server/tasks/schemas.ts';
import { useEnumLabel } from '../enums/useEnum.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvExportButton } from '../layout/CsvExportButton.tsx';
import { formatCredits } from '../ledger/format.ts';
import { OpenAlerts, SpentCredits, TaskStatusChip, useFormatDuration } from './TaskChips.tsx';
import { taskFilters } from './taskFilters.tsx';

/** each row is `task-row-<task_id>` */
const TaskRow = (props: DatagridRowProps) => <DatagridRow {...props} data-testid={`task-row-${props.id}`} />;

const TaskListActions = () => (
  <TopToolbar>
    <SortButton fields={['first_seen_at', 'started_at', 'finished_at', 'credits_spent', 'task_id']} />
    <FilterButton />
    <CsvExportButton />
  </TopToolbar>
);

/**
 * Generation tasks, newest first: how each went (stale: started over the limit ago with no outcome), the
 * credits estimated against those spent, what it costs now after refunds, and its unresolved risk alerts.
 */
export const TaskList = () => {
  const queueLabel = useEnumLabel('queue_type');
  const failureLabel = useEnumLabel('failure_code');
  const duration = useFormatDuration();
  return (
    <List
      sort={{ field: 'first_seen_at', order: 'DESC' }}
      filters={taskFilters}
      actions={<TaskListActions />}
      perPage={25}
    >
      <Datagrid rowClick="show" bulkActionButtons={false} body={<DatagridBody row={<TaskRow />} />}>
        <FunctionField<TaskRecord>
          source="task_id"
          render={(r) => <span style={{ fontFamily: 'monospace' }}>{r.task_id}</span>}
        />
        <FunctionField<TaskRecord>
          source="status"
          sortable={false}
          render={(r) => <TaskStatusChip status={r.status} />}
        />
        <TextField source="template_id" sortable={false} emptyText="—" />
        <FunctionField<TaskRecord>
          source="queue_type"
          sortable={false}
          render={(r) => queueLabel(r.queue_type) || '—'}
        />
        <FunctionField<TaskRecord>
          source="estimated_credits"
          sortable={false}
          textAlign="right"
          render={(r) => (r.estimated_credits === null ? '—' : formatCredits(r.estimated_credits))}
        />
        <FunctionField<TaskRecord>
          source="credits_spent"
          textAlign="right"
          render={(r) => <SpentCredits task={r} />}
        />
        <FunctionField<TaskRecord>
          source="duration_ms"
          sortable={false}
          textAlign="right"
          render={(r) => <span style={{ whiteSpace: 'nowrap' }}>{duration(r.duration_ms)}</span>}
        />
        <FunctionField<TaskRecord>
          source="output_count"
          sortable={false}
          textAlign="right"
          render={(r) => r.output_count ?? '—'}
        />
        <FunctionField<TaskRecord>
          source="failure_code"
          sortable={false}
          render={(r) => (r.failure_code ? failureLabel(r.failure_code) : '—')}
        />
        <FunctionField<TaskRecord>
          source="net_charge"
          sortable={false}
          textAlign="right"
          render={(r) => <span data-testid="task-net-charge">{formatCredits(r.net_charge)}</span>}
        />
        <FunctionField<TaskRecord>
          source="open_alerts"
          sortable={false}
          render={(r) => <OpenAlerts count={r.open_alerts} />}
        />
        <DateField source="first_seen_at" showTime options={SHANGHAI} />
      </Datagrid>
    </List>
  );
};

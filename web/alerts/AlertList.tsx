import type { SxProps } from '@mui/material';
import { useState } from 'react';
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
  useCanAccess,
  useRecordContext,
} from 'react-admin';
import type { AlertRecord } from '../../server/alerts/schemas.ts';
import { RiskChip } from '../enums/RiskChip.tsx';
import { useEnumLabel } from '../enums/useEnum.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvExportButton } from '../layout/CsvExportButton.tsx';
import { PolicyTagChip } from '../licenses/LicenseChips.tsx';
import { AlertAge, AlertStateChip, EscalationChip, LicenseLink, TaskLink } from './AlertChips.tsx';
import { AlertFilterSidebar } from './AlertFilterSidebar.tsx';
import { alertFilters } from './alertFilters.tsx';
import {
  AlertBulkActions,
  type BulkStepOutcome,
  BulkStepOutcomeContext,
  BulkStepOutcomeDialog,
} from './BulkStep.tsx';

/** each row is `alert-row-<id>`; one at the compliance committee says so (and is marked by `committeeSx`) */
const AlertRow = (props: DatagridRowProps) => {
  const record = useRecordContext<AlertRecord>();
  return (
    <DatagridRow {...props} data-testid={`alert-row-${props.id}`} data-committee={isCommittee(record)} />
  );
};

const isCommittee = (alert: AlertRecord | undefined) => alert?.escalation_level === 'compliance_committee';

/** a red bar before an alert at the compliance committee (the D3 regulatory escalation) */
const COMMITTEE_SX: SxProps = {
  '& > td:first-of-type': { borderLeft: '4px solid', borderLeftColor: 'error.main' },
};
const committeeSx = (alert: AlertRecord): SxProps => (isCommittee(alert) ? COMMITTEE_SX : {});

const AlertListActions = () => (
  <TopToolbar>
    <SortButton fields={['inbox', 'raised_at', 'id', 'state', 'escalation_level']} />
    <FilterButton />
    <CsvExportButton />
  </TopToolbar>
);

/**
 * The risk alert inbox: open alerts first, then acknowledged, resolved last; high risk first within each,
 * the oldest first (the server's `inbox` order). Risk levels in the seed's colours, the compliance committee
 * and alerts raised on arrival marked. Reviewers select alerts to acknowledge or resolve several at once.
 */
export const AlertList = () => {
  const actionLabel = useEnumLabel('action_required');
  const { canAccess: canAct } = useCanAccess({ resource: 'alerts', action: 'acknowledge' });
  const [outcome, setOutcome] = useState<BulkStepOutcome | null>(null);
  return (
    <BulkStepOutcomeContext.Provider value={setOutcome}>
      <List
        sort={{ field: 'inbox', order: 'ASC' }}
        filters={alertFilters}
        actions={<AlertListActions />}
        aside={<AlertFilterSidebar />}
        perPage={25}
      >
        <Datagrid
          rowClick="show"
          body={<DatagridBody row={<AlertRow />} />}
          rowSx={committeeSx}
          bulkActionButtons={canAct ? <AlertBulkActions /> : false}
        >
          <TextField source="alert_id" sortBy="id" />
          <FunctionField<AlertRecord>
            source="risk_level"
            sortable={false}
            render={(r) => (r.risk_level ? <RiskChip level={r.risk_level} /> : '—')}
          />
          <FunctionField<AlertRecord> source="state" render={(r) => <AlertStateChip state={r.state} />} />
          <FunctionField<AlertRecord>
            source="escalation_level"
            render={(r) => <EscalationChip alert={r} />}
          />
          <FunctionField<AlertRecord>
            source="policy_tag"
            sortable={false}
            render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
          />
          <FunctionField<AlertRecord>
            source="action_required"
            sortable={false}
            render={(r) => actionLabel(r.action_required) || '—'}
          />
          <FunctionField<AlertRecord>
            source="task_id"
            sortable={false}
            render={(r) => <TaskLink taskId={r.task_id} />}
          />
          <FunctionField<AlertRecord>
            source="license_pk"
            sortable={false}
            render={(r) => <LicenseLink licensePk={r.license_pk} />}
          />
          <DateField source="raised_at" showTime options={SHANGHAI} />
          <FunctionField<AlertRecord>
            source="age_hours"
            sortable={false}
            render={(r) => <AlertAge hours={r.age_hours} />}
          />
        </Datagrid>
      </List>
      <BulkStepOutcomeDialog outcome={outcome} onClose={() => setOutcome(null)} />
    </BulkStepOutcomeContext.Provider>
  );
};

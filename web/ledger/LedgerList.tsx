import {
  Datagrid,
  DatagridBody,
  DatagridRow,
  type DatagridRowProps,
  DateField,
  FilterButton,
  FunctionField,
  Link,
  List,
  SortButton,
  TextField,
  TopToolbar,
} from 'react-admin';
import type { LedgerEntry } from '../../server/ledger/schemas.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvExportButton } from '../layout/CsvExportButton.tsx';
import { PolicyTagChip } from '../licenses/LicenseChips.tsx';
import { ledgerPath, taskPath } from './format.ts';
import { LedgerAmount, LedgerKindLabel, LedgerStatusChip } from './LedgerChips.tsx';
import { LedgerDecision } from './LedgerDecision.tsx';
import { LedgerFilterSidebar } from './LedgerFilterSidebar.tsx';
import { ledgerFilters } from './ledgerFilters.tsx';

/** each row is `ledger-row-<id>`; one awaiting approval is tinted */
const LedgerRow = (props: DatagridRowProps) => (
  <DatagridRow
    {...props}
    data-testid={`ledger-row-${props.id}`}
    sx={
      (props.record as LedgerEntry | undefined)?.status === 'pending_approval'
        ? { bgcolor: 'rgba(237, 108, 2, 0.08)' }
        : undefined
    }
  />
);

const LedgerListActions = () => (
  <TopToolbar>
    <SortButton fields={['seq', 'created_at', 'amount', 'status']} />
    <FilterButton />
    <CsvExportButton />
  </TopToolbar>
);

/** a ledger id, shortened in the list when long (the platform's are free text) */
const short = (id: string, max = 26) => (id.length > max ? `${id.slice(0, max - 1)}…` : id);

/**
 * The credits ledger, newest first: charges (red) and refunds (green) per task, the entries awaiting a
 * second person's approval highlighted, with Approve and Reject for those who may decide them.
 */
export const LedgerList = () => (
  <List
    sort={{ field: 'seq', order: 'DESC' }}
    filters={ledgerFilters}
    actions={<LedgerListActions />}
    aside={<LedgerFilterSidebar />}
    perPage={25}
  >
    <Datagrid rowClick={false} bulkActionButtons={false} body={<DatagridBody row={<LedgerRow />} />}>
      <FunctionField<LedgerEntry>
        source="id"
        sortBy="seq"
        render={(r) => (
          <Link to={ledgerPath(r.id)} title={r.id} style={{ fontFamily: 'monospace' }}>
            {short(r.id)}
          </Link>
        )}
      />
      <FunctionField<LedgerEntry>
        source="task_id"
        sortable={false}
        render={(r) => (
          <Link
            to={taskPath(r.task_id)}
            title={r.task_id}
            style={{ fontFamily: 'monospace' }}
            data-testid="ledger-task"
          >
            {short(r.task_id)}
          </Link>
        )}
      />
      <FunctionField<LedgerEntry>
        source="account_id"
        sortable={false}
        render={(r) => (
          <span style={{ fontFamily: 'monospace' }} title={r.account_id ?? undefined}>
            {r.account_id && r.account_id.length > 14
              ? `${r.account_id.slice(0, 12)}…`
              : (r.account_id ?? '—')}
          </span>
        )}
      />
      <FunctionField<LedgerEntry>
        source="amount"
        textAlign="right"
        render={(r) => <LedgerAmount amount={r.amount} struck={r.status === 'rejected'} />}
      />
      <FunctionField<LedgerEntry>
        source="kind"
        sortable={false}
        render={(r) => <LedgerKindLabel kind={r.kind} />}
      />
      <FunctionField<LedgerEntry> source="status" render={(r) => <LedgerStatusChip status={r.status} />} />
      <FunctionField<LedgerEntry>
        source="policy_tag"
        sortable={false}
        render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
      />
      <TextField source="reason" sortable={false} emptyText="—" />
      <TextField source="created_by" sortable={false} />
      <DateField source="created_at" showTime options={SHANGHAI} />
      <FunctionField<LedgerEntry>
        source="reverses"
        sortable={false}
        render={(r) =>
          r.reverses ? (
            <Link to={ledgerPath(r.reverses)} style={{ fontFamily: 'monospace' }}>
              {short(r.reverses)}
            </Link>
          ) : (
            '—'
          )
        }
      />
      <FunctionField<LedgerEntry>
        source="decided_by"
        label="resources.ledger.fields.decision"
        sortable={false}
        render={(r) =>
          r.status === 'pending_approval' ? <LedgerDecision entry={r} /> : (r.decided_by ?? '—')
        }
      />
    </Datagrid>
  </List>
);

import { Box } from '@mui/material';
import { Datagrid, DateField, FunctionField, List, NumberField, TextInput, useCanAccess } from 'react-admin';
import type { LedgerAccount } from '../../server/ledger/schemas.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvListActions } from '../layout/CsvExportButton.tsx';
import { isMasked } from '../licenses/decisions.ts';
import { formatCredits } from './format.ts';

const accountFilters = [<TextInput key="q" source="q" alwaysOn />];

/** the account's entries in the ledger, when its id is readable (a masked id names no one) */
const entriesOf = (record: LedgerAccount) =>
  isMasked(record.account_id)
    ? false
    : `/ledger?${new URLSearchParams({ filter: JSON.stringify({ account_id: record.account_id }) })}`;

/**
 * Per account, what its posted ledger entries add up to: the balance (negative: charged net), charged,
 * refunded, refunds awaiting approval; most charged first. A row opens the account's entries.
 */
export const LedgerAccountList = () => {
  // a role that sees account ids masked may not search or sort by them
  const { canAccess: search } = useCanAccess({ resource: 'ledger-accounts', action: 'search' });
  return (
    <List
      sort={{ field: 'balance', order: 'ASC' }}
      filters={search ? accountFilters : undefined}
      actions={<CsvListActions />}
      perPage={25}
    >
      <Datagrid
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) => entriesOf(record as LedgerAccount)}
      >
        <FunctionField<LedgerAccount>
          source="account_id"
          sortable={search === true}
          render={(r) => (
            <Box component="span" sx={{ fontFamily: 'monospace' }} title={r.account_id}>
              {r.account_id}
            </Box>
          )}
        />
        <FunctionField<LedgerAccount>
          source="balance"
          textAlign="right"
          render={(r) => (
            <Box
              component="span"
              data-testid="account-balance"
              sx={{
                color: r.balance < 0 ? 'error.main' : 'success.main',
                fontVariantNumeric: 'tabular-nums',
              }}
            >
              {formatCredits(r.balance)}
            </Box>
          )}
        />
        <FunctionField<LedgerAccount>
          source="charged"
          sortable={false}
          textAlign="right"
          render={(r) => formatCredits(r.charged)}
        />
        <FunctionField<LedgerAccount>
          source="refunded"
          sortable={false}
          textAlign="right"
          render={(r) => formatCredits(r.refunded)}
        />
        <FunctionField<LedgerAccount>
          source="pending_refunds"
          sortable={false}
          textAlign="right"
          render={(r) => formatCredits(r.pending_refunds)}
        />
        <NumberField source="entries" />
        <NumberField source="tasks" sortable={false} />
        <DateField source="last_entry_at" showTime options={SHANGHAI} emptyText="—" />
      </Datagrid>
    </List>
  );
};

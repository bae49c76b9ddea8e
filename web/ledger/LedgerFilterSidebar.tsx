import CategoryIcon from '@mui/icons-material/Category';
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import { Card, CardContent } from '@mui/material';
import { FilterList, FilterListItem, SavedQueriesList } from 'react-admin';
import { LEDGER_KINDS } from '../../server/ledger/schemas.ts';

/**
 * Beside the ledger: "Awaiting approval", the queue of the second approvers, one click away; the kinds of
 * entry; and the queries people saved (kept in this browser).
 */
export const LedgerFilterSidebar = () => (
  <Card sx={{ order: -1, mr: 2, mt: 8, width: 220, flexShrink: 0 }} data-testid="ledger-sidebar">
    <CardContent>
      <FilterList label="resources.ledger.sidebar.queue" icon={<HourglassTopIcon />}>
        <FilterListItem
          label="resources.ledger.sidebar.awaiting_approval"
          value={{ status: 'pending_approval' }}
          data-testid="ledger-awaiting-approval"
        />
      </FilterList>
      <FilterList label="resources.ledger.fields.kind" icon={<CategoryIcon />}>
        {LEDGER_KINDS.map((kind) => (
          <FilterListItem key={kind} label={`resources.ledger.kind.${kind}`} value={{ kind }} />
        ))}
      </FilterList>
      <SavedQueriesList />
    </CardContent>
  </Card>
);

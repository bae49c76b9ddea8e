import BoltIcon from '@mui/icons-material/Bolt';
import FlagIcon from '@mui/icons-material/Flag';
import { Card, CardContent } from '@mui/material';
import { FilterList, FilterListItem, SavedQueriesList } from 'react-admin';
import { LICENSE_STATUSES } from '../../server/licenses/schemas.ts';

/** saved queries (kept in this browser) and one-click filters beside the queue */
export const LicenseFilterSidebar = () => (
  <Card sx={{ order: -1, mr: 2, mt: 8, width: 220, flexShrink: 0, display: { xs: 'none', md: 'block' } }}>
    <CardContent>
      <SavedQueriesList />
      <FilterList label="resources.licenses.fields.status" icon={<FlagIcon />}>
        {LICENSE_STATUSES.map((status) => (
          <FilterListItem key={status} label={`licenses.status.${status}`} value={{ status }} />
        ))}
      </FilterList>
      <FilterList label="licenses.sidebar.queue" icon={<BoltIcon />}>
        <FilterListItem label="licenses.fast_track" value={{ is_fast_track: true }} />
        <FilterListItem label="licenses.sidebar.sla_breached" value={{ sla_breached: true }} />
      </FilterList>
    </CardContent>
  </Card>
);

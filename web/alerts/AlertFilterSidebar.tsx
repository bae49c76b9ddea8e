import PriorityHighIcon from '@mui/icons-material/PriorityHigh';
import ReportIcon from '@mui/icons-material/Report';
import { Card, CardContent } from '@mui/material';
import { FilterList, FilterListItem, SavedQueriesList } from 'react-admin';

/** saved queries (kept in this browser) and one-click filters beside the inbox */
export const AlertFilterSidebar = () => (
  <Card sx={{ order: -1, mr: 2, mt: 8, width: 220, flexShrink: 0, display: { xs: 'none', md: 'block' } }}>
    <CardContent>
      <SavedQueriesList />
      <FilterList label="resources.alerts.fields.risk_level" icon={<ReportIcon />}>
        <FilterListItem label="risk.high" value={{ risk_level: 'high' }} />
        <FilterListItem label="risk.medium" value={{ risk_level: 'medium' }} />
        <FilterListItem label="risk.low" value={{ risk_level: 'low' }} />
      </FilterList>
      <FilterList label="resources.alerts.sidebar.attention" icon={<PriorityHighIcon />}>
        <FilterListItem
          label="resources.alerts.sidebar.committee"
          value={{ escalation_level: 'compliance_committee' }}
        />
        <FilterListItem label="resources.alerts.sidebar.auto_escalated" value={{ auto_escalated: true }} />
      </FilterList>
    </CardContent>
  </Card>
);

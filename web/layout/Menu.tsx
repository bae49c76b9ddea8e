import InsightsIcon from '@mui/icons-material/Insights';
import QueryStatsIcon from '@mui/icons-material/QueryStats';
import { CanAccess, Menu as RaMenu } from 'react-admin';

/** the resources of the menu, in order; each item is `menu-<resource>` for end-to-end tests */
const RESOURCES = [
  'events',
  'licenses',
  'alerts',
  'tasks',
  'ledger',
  'ledger-accounts',
  'tracking-plan',
  'enums',
  'enum-proposals',
  'users',
  'write-keys',
  'service-tokens',
  'audit',
  'permissions',
];

/** each item shows only when the signed-in user may use it (ResourceItem asks canAccess for `list`) */
export const Menu = () => (
  <RaMenu>
    <CanAccess resource="dashboard" action="list" error={null}>
      <RaMenu.DashboardItem
        primaryText="completeness.menu"
        leftIcon={<InsightsIcon />}
        data-testid="menu-dashboard"
      />
    </CanAccess>
    <CanAccess resource="metrics" action="list" error={null}>
      <RaMenu.Item
        to="/metrics"
        primaryText="metrics.menu"
        leftIcon={<QueryStatsIcon />}
        data-testid="menu-metrics"
      />
    </CanAccess>
    {RESOURCES.map((name) => (
      <RaMenu.ResourceItem key={name} name={name} data-testid={`menu-${name}`} />
    ))}
  </RaMenu>
);

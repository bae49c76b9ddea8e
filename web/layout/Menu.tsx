import InsightsIcon from '@mui/icons-material/Insights';
import { Menu as RaMenu } from 'react-admin';

export const Menu = () => (
  <RaMenu>
    <RaMenu.DashboardItem primaryText="completeness.menu" leftIcon={<InsightsIcon />} />
    <RaMenu.ResourceItem name="events" />
    <RaMenu.ResourceItem name="tracking-plan" />
    <RaMenu.ResourceItem name="enums" />
  </RaMenu>
);

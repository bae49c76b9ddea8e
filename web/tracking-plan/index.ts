import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { PlanList } from './PlanList.tsx';
import { PlanShow } from './PlanShow.tsx';

export const trackingPlan = {
  list: PlanList,
  show: PlanShow,
  icon: AccountTreeIcon,
  recordRepresentation: 'name',
};

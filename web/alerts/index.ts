import NotificationImportantIcon from '@mui/icons-material/NotificationImportant';
import { AlertList } from './AlertList.tsx';
import { AlertShow } from './AlertShow.tsx';

export const alerts = {
  list: AlertList,
  show: AlertShow,
  icon: NotificationImportantIcon,
  recordRepresentation: 'alert_id',
};

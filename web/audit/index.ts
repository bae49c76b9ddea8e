import HistoryIcon from '@mui/icons-material/History';
import { AuditList } from './AuditList.tsx';
import { AuditShow } from './AuditShow.tsx';

export const audit = {
  list: AuditList,
  show: AuditShow,
  icon: HistoryIcon,
  recordRepresentation: 'id',
};

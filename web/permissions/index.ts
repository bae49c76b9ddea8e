import SecurityIcon from '@mui/icons-material/Security';
import { PermissionMatrix } from './PermissionMatrix.tsx';

export const permissions = {
  list: PermissionMatrix,
  icon: SecurityIcon,
};

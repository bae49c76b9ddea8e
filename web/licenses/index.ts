import AssignmentTurnedInIcon from '@mui/icons-material/AssignmentTurnedIn';
import { LicenseList } from './LicenseList.tsx';
import { LicenseShow } from './LicenseShow.tsx';

export const licenses = {
  list: LicenseList,
  show: LicenseShow,
  icon: AssignmentTurnedInIcon,
  recordRepresentation: 'license_id',
};

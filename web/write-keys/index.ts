import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { WriteKeyCreate } from './WriteKeyCreate.tsx';
import { WriteKeyEdit } from './WriteKeyEdit.tsx';
import { WriteKeyList } from './WriteKeyList.tsx';

export const writeKeys = {
  list: WriteKeyList,
  create: WriteKeyCreate,
  edit: WriteKeyEdit,
  icon: VpnKeyIcon,
  recordRepresentation: 'label',
};

import TokenIcon from '@mui/icons-material/Token';
import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { WriteKeyCreate } from './WriteKeyCreate.tsx';
import { WriteKeyEdit } from './WriteKeyEdit.tsx';
import { WriteKeyList } from './WriteKeyList.tsx';

/** ingestion write keys; the pages take their resource from the route, so service tokens share them */
export const writeKeys = {
  list: WriteKeyList,
  create: WriteKeyCreate,
  edit: WriteKeyEdit,
  icon: VpnKeyIcon,
  recordRepresentation: 'label',
};

/** the platform's service tokens (the licence check): the same pages as write keys, on their own resource */
export const serviceTokens = { ...writeKeys, icon: TokenIcon };

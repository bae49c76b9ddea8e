import ListAltIcon from '@mui/icons-material/ListAlt';
import { EnumList } from './EnumList.tsx';
import { EnumShow } from './EnumShow.tsx';

export const enums = {
  list: EnumList,
  show: EnumShow,
  icon: ListAltIcon,
  recordRepresentation: 'name',
};

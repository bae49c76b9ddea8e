import WorkHistoryIcon from '@mui/icons-material/WorkHistory';
import { TaskList } from './TaskList.tsx';
import { TaskShow } from './TaskShow.tsx';

export const tasks = {
  list: TaskList,
  show: TaskShow,
  icon: WorkHistoryIcon,
  recordRepresentation: 'task_id',
};

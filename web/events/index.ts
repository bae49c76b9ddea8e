import EventNoteIcon from '@mui/icons-material/EventNote';
import { EventList } from './EventList.tsx';
import { EventShow } from './EventShow.tsx';

export const events = {
  list: EventList,
  show: EventShow,
  icon: EventNoteIcon,
  recordRepresentation: 'event_id',
};

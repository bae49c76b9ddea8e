import { SelectArrayInput, TextInput } from 'react-admin';
import { TASK_STATUSES } from '../../server/tasks/schemas.ts';
import { EnumSelectInput } from '../enums/EnumSelectInput.tsx';

export const taskStatusChoices = TASK_STATUSES.map((status) => ({
  id: status,
  name: `resources.tasks.status.${status}`,
}));

export const taskFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  // several at once (the API takes a list): queued and stale together are the tasks still without an outcome
  <SelectArrayInput
    key="status"
    source="status"
    choices={taskStatusChoices}
    alwaysOn
    sx={{ minWidth: 180 }}
  />,
  <EnumSelectInput key="queue_type" source="queue_type" enumName="queue_type" />,
  <EnumSelectInput key="failure_code" source="failure_code" enumName="failure_code" />,
  <TextInput key="template_id" source="template_id" />,
];

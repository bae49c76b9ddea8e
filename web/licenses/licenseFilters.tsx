import { DateInput, NullableBooleanInput, SelectInput, TextInput } from 'react-admin';
import { LICENSE_STATUSES } from '../../server/licenses/schemas.ts';
import { EnumSelectInput } from '../enums/EnumSelectInput.tsx';

export const statusChoices = LICENSE_STATUSES.map((status) => ({
  id: status,
  name: `licenses.status.${status}`,
}));

/** the queue opens on pending applications; clearing the status shows every application */
export const licenseFilterDefaults = { status: 'pending' };

export const licenseFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} alwaysOn />,
  <NullableBooleanInput key="is_fast_track" source="is_fast_track" alwaysOn />,
  <NullableBooleanInput key="sla_breached" source="sla_breached" alwaysOn />,
  <EnumSelectInput key="persona_tag" source="persona_tag" enumName="persona_tag" />,
  <EnumSelectInput key="policy_tag" source="policy_tag" enumName="policy_tag" />,
  <TextInput key="template_id" source="template_id" />,
  // a UTC+8 day, as the applications' `day`
  <DateInput key="day_gte" source="day_gte" />,
  <DateInput key="day_lte" source="day_lte" />,
];

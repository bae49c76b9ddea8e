import { NullableBooleanInput, SelectInput, TextInput } from 'react-admin';
import { ALERT_STATES } from '../../server/alerts/schemas.ts';
import { EnumSelectInput } from '../enums/EnumSelectInput.tsx';

export const stateChoices = ALERT_STATES.map((state) => ({
  id: state,
  name: `resources.alerts.state.${state}`,
}));

/** how old an alert is, by the hours since it was raised (the server's `age_hours_gte`) */
export const AGE_THRESHOLDS = [4, 24, 72] as const;
const ageChoices = AGE_THRESHOLDS.map((hours) => ({
  id: hours,
  name: `resources.alerts.age.older_than_${hours}`,
}));

export const alertFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  <SelectInput key="state" source="state" choices={stateChoices} alwaysOn />,
  <EnumSelectInput key="risk_level" source="risk_level" enumName="risk_level" alwaysOn />,
  <EnumSelectInput key="policy_tag" source="policy_tag" enumName="policy_tag" alwaysOn />,
  <EnumSelectInput key="escalation_level" source="escalation_level" enumName="escalation_level" alwaysOn />,
  <SelectInput key="age_hours_gte" source="age_hours_gte" choices={ageChoices} alwaysOn />,
  <EnumSelectInput key="action_required" source="action_required" enumName="action_required" />,
  <NullableBooleanInput key="auto_escalated" source="auto_escalated" />,
  <TextInput key="task_id" source="task_id" />,
];

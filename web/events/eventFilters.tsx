import { DateInput, NullableBooleanInput, ReferenceInput, SelectInput, TextInput } from 'react-admin';
import { ruleSchema } from '../../server/plan/schemas.ts';

const ruleChoices = ruleSchema.options.map((rule) => ({ id: rule, name: `rules.${rule}` }));

export const eventFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  // an event of the tracking plan, in plan order (a plan event's id is its name)
  <ReferenceInput
    key="event"
    source="event"
    reference="tracking-plan"
    sort={{ field: 'position', order: 'ASC' }}
    perPage={100}
    alwaysOn
  >
    <SelectInput optionText="name" label="resources.events.fields.event" />
  </ReferenceInput>,
  <NullableBooleanInput key="has_violation" source="has_violation" alwaysOn />,
  <DateInput key="day_gte" source="day_gte" />,
  <DateInput key="day_lte" source="day_lte" />,
  <SelectInput key="rule" source="rule" choices={ruleChoices} />,
  <TextInput key="field" source="field" />,
  <TextInput key="source" source="source" />,
];

import { DateInput, SelectInput, TextInput } from 'react-admin';
import { auditRecordSchema } from '../../server/audit/schemas.ts';

const HOUR_MS = 3_600_000;

const outcomeChoices = auditRecordSchema.shape.outcome.options.map((outcome) => ({
  id: outcome,
  name: `audit.outcome.${outcome}`,
}));

/** the UTC+8 day of an instant, as the date input shows it */
const dayOf = (instant: unknown) =>
  typeof instant === 'string' && instant
    ? new Date(Date.parse(instant) + 8 * HOUR_MS).toISOString().slice(0, 10)
    : '';

/**
 * A day picked is a UTC+8 day (the console's 日切); the API compares `at` as an ISO instant, so the filter
 * carries the first and the last millisecond of that day.
 */
const startOfDay = (day: string) => (day ? new Date(`${day}T00:00:00.000+08:00`).toISOString() : '');
const endOfDay = (day: string) => (day ? new Date(`${day}T23:59:59.999+08:00`).toISOString() : '');

export const auditFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  <SelectInput key="outcome" source="outcome" choices={outcomeChoices} alwaysOn />,
  <DateInput key="at_gte" source="at_gte" parse={startOfDay} format={dayOf} alwaysOn />,
  <DateInput key="at_lte" source="at_lte" parse={endOfDay} format={dayOf} alwaysOn />,
  <TextInput key="actor" source="actor" />,
  <TextInput key="action" source="action" />,
  <TextInput key="resource" source="resource" />,
  <TextInput key="resource_id" source="resource_id" />,
];

import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { alpha } from '@mui/material/styles';
import {
  BooleanField,
  DateField,
  FunctionField,
  Show,
  SimpleShowLayout,
  TextField,
  useTranslate,
} from 'react-admin';
import type { StoredEvent } from '../../server/events/schemas.ts';
import type { Rule } from '../../server/plan/schemas.ts';
import { SHANGHAI } from './EventList.tsx';
import { ViolationChips } from './ViolationChips.tsx';

export const EventShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="id" />
      <TextField source="event_id" />
      <TextField source="event" />
      <TextField source="day" />
      <DateField source="occurred_at" showTime options={SHANGHAI} />
      <DateField source="received_at" showTime options={SHANGHAI} />
      <TextField source="source" />
      <BooleanField source="planned" />
      <FunctionField<StoredEvent>
        source="violations"
        render={(record) => <ViolationChips violations={record.violations} />}
      />
      <FunctionField<StoredEvent>
        source="properties"
        render={(record) => <PropertiesTable event={record} />}
      />
      <FunctionField<StoredEvent>
        label="events.json"
        render={(record) => (
          <Box component="pre" sx={{ m: 0, fontSize: 13 }}>
            {JSON.stringify(record.properties, null, 2)}
          </Box>
        )}
      />
    </SimpleShowLayout>
  </Show>
);

/** every property, and every field a violation names even when it was not sent; the broken ones in red */
const PropertiesTable = ({ event }: { event: StoredEvent }) => {
  const translate = useTranslate();
  const rulesByField = new Map<string, Rule[]>();
  for (const { field, rule } of event.violations)
    rulesByField.set(field, [...(rulesByField.get(field) ?? []), rule]);
  // the envelope's own violation (an unplanned event name) is shown with the envelope, not here
  rulesByField.delete('event');
  const names = [...new Set([...Object.keys(event.properties), ...rulesByField.keys()])];
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{translate('events.property')}</TableCell>
          <TableCell>{translate('events.value')}</TableCell>
          <TableCell>{translate('resources.events.fields.violations')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {names.map((name) => {
          const rules = rulesByField.get(name) ?? [];
          const broken = rules.length > 0;
          return (
            <TableRow
              key={name}
              data-testid={`property-${name}`}
              data-violation={broken}
              sx={broken ? { bgcolor: (theme) => alpha(theme.palette.error.main, 0.12) } : undefined}
            >
              <TableCell sx={broken ? { color: 'error.main', fontWeight: 'bold' } : undefined}>
                {name}
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace', color: broken ? 'error.main' : undefined }}>
                {name in event.properties
                  ? JSON.stringify(event.properties[name])
                  : translate('events.not_present')}
              </TableCell>
              <TableCell>
                {rules.map((rule) => (
                  <Chip key={rule} size="small" color="error" label={translate(`rules.${rule}`)} />
                ))}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};

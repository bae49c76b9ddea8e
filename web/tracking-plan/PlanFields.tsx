import { Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Link, useCreatePath, useRecordContext, useTranslate } from 'react-admin';
import type { PlanEventRecord } from '../../server/plan/schemas.ts';

/** the fields of one event of the plan: type, enum, presence, when null is allowed, sensitivity */
export const PlanFields = () => {
  const record = useRecordContext<PlanEventRecord>();
  const translate = useTranslate();
  const createPath = useCreatePath();
  if (!record) return null;
  return (
    <Table size="small" aria-label={translate('resources.tracking-plan.fields.fields')}>
      <TableHead>
        <TableRow>
          {(['name', 'type', 'enum', 'presence', 'nullable', 'sensitive', 'description'] as const).map(
            (key) => (
              <TableCell key={key}>{translate(`plan.field.${key}`)}</TableCell>
            ),
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {record.fields.map((field) => (
          <TableRow key={field.name} data-testid={`plan-field-${field.name}`}>
            <TableCell sx={{ fontFamily: 'monospace' }}>{field.name}</TableCell>
            <TableCell>{translate(`plan.types.${field.type}`, { _: field.type })}</TableCell>
            <TableCell>
              {field.enum && (
                <Link to={createPath({ resource: 'enums', id: field.enum, type: 'show' })}>{field.enum}</Link>
              )}
            </TableCell>
            <TableCell>
              {field.required ? (
                <Chip size="small" label={translate('plan.required')} />
              ) : (
                <Chip size="small" variant="outlined" label={translate('plan.optional')} />
              )}
            </TableCell>
            <TableCell>
              {field.nullable_unless &&
                translate('plan.nullable_unless', {
                  field: field.nullable_unless.field,
                  value: field.nullable_unless.equals,
                })}
            </TableCell>
            <TableCell>
              {field.sensitive && (
                <Chip size="small" color="warning" label={translate('plan.field.sensitive')} />
              )}
            </TableCell>
            <TableCell>{field.description}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

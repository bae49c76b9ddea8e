import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import type { EnumRecord, EnumValueRecord } from '../../server/plan/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { formatInstant } from '../layout/ShowSection.tsx';
import { RiskChip } from './RiskChip.tsx';
import { useEnumUsage } from './useEnum.ts';

const POLICY_COLUMNS = [
  'policy_group',
  'default_risk_level',
  'default_action_required',
  'min_escalation_level',
];

/** the seed's values are valid from the epoch: that date says nothing, so it is not shown */
const SEED_EPOCH = '1970-01-01T00:00:00.000Z';

export const ValueStatusChip = ({ value }: { value: Pick<EnumValueRecord, 'status'> }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      variant="outlined"
      color={value.status === 'active' ? 'success' : 'default'}
      label={translate(`enums.status.${value.status}`)}
    />
  );
};

/**
 * The values of one enum table (the record in context, or `values` given): code, label in the current locale
 * with its description, status with the dates that bound it, and policy_tag's mapping (group, default risk in
 * its colour, default action, minimum escalation). With `usage`, how many stored events of the last 7 and
 * 30 days carry each value; with `action`, a per-value control (propose a change).
 */
export const EnumValues = ({
  values: given,
  name: givenName,
  usage = false,
  action,
}: {
  values?: readonly EnumValueRecord[];
  name?: string;
  usage?: boolean;
  action?: (value: EnumValueRecord) => ReactNode;
}) => {
  const record = useRecordContext<EnumRecord>();
  const translate = useTranslate();
  const localized = useLocalized();
  const name = givenName ?? record?.name;
  const { data: counts } = useEnumUsage(usage ? name : undefined);
  const values = given ?? record?.values;
  if (!values) return null;
  const isPolicy = values.some((value) => value.policy_group !== null);
  // the risk_level enum's own codes are risk levels: they get the risk colours too
  const isRiskLevel = name === 'risk_level';
  const countOf = (code: string) => counts?.values.find((v) => v.code === code);
  const columns = [
    'code',
    'label',
    'status',
    'valid',
    ...(isPolicy ? POLICY_COLUMNS : []),
    ...(usage ? ['usage_7d', 'usage_30d'] : []),
  ];
  return (
    <Table size="small" aria-label={translate('resources.enums.fields.values')}>
      <TableHead>
        <TableRow>
          {columns.map((key) => (
            <TableCell key={key} align={key.startsWith('usage') ? 'right' : undefined}>
              {translate(`enums.value.${key}`)}
            </TableCell>
          ))}
          {action && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {values.map((value) => (
          <TableRow
            key={value.code}
            data-testid={`enum-value-${value.code}`}
            data-status={value.status}
            sx={value.status === 'deprecated' ? { opacity: 0.65 } : undefined}
          >
            <TableCell sx={{ fontFamily: 'monospace' }}>
              {isRiskLevel ? <RiskChip level={value.code} /> : value.code}
            </TableCell>
            <TableCell>
              {localized(value.label_en, value.label_zh)}
              {value.description && (
                <Typography variant="body2" color="text.secondary">
                  {value.description}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <ValueStatusChip value={value} />
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {value.valid_from !== SEED_EPOCH &&
                translate('enums.value.valid_from', { at: formatInstant(value.valid_from) })}
              {value.deprecated_at && (
                <Typography variant="body2" color="text.secondary">
                  {translate('enums.value.deprecated_at', { at: formatInstant(value.deprecated_at) })}
                </Typography>
              )}
            </TableCell>
            {isPolicy && (
              <>
                <TableCell>{value.policy_group}</TableCell>
                <TableCell>
                  {value.default_risk_level && <RiskChip level={value.default_risk_level} />}
                </TableCell>
                <TableCell>{value.default_action_required}</TableCell>
                <TableCell>{value.min_escalation_level}</TableCell>
              </>
            )}
            {usage && (
              <>
                <TableCell align="right" data-testid={`usage-7d-${value.code}`}>
                  {countOf(value.code)?.last_7d.toLocaleString() ?? '…'}
                </TableCell>
                <TableCell align="right" data-testid={`usage-30d-${value.code}`}>
                  {countOf(value.code)?.last_30d.toLocaleString() ?? '…'}
                </TableCell>
              </>
            )}
            {action && <TableCell align="right">{action(value)}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

import { Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { EnumRecord } from '../../server/plan/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { RiskChip } from './RiskChip.tsx';

const POLICY_COLUMNS = [
  'policy_group',
  'default_risk_level',
  'default_action_required',
  'min_escalation_level',
];

/** the values of one enum; policy_tag's carry their mapping (group, risk, action, minimum escalation) */
export const EnumValues = () => {
  const record = useRecordContext<EnumRecord>();
  const translate = useTranslate();
  const localized = useLocalized();
  if (!record) return null;
  const isPolicy = record.values.some((value) => value.policy_group !== null);
  // the risk_level enum's own codes are risk levels: they get the risk colours too
  const isRiskLevel = record.name === 'risk_level';
  return (
    <Table size="small" aria-label={translate('resources.enums.fields.values')}>
      <TableHead>
        <TableRow>
          {['code', 'label', 'status', ...(isPolicy ? POLICY_COLUMNS : [])].map((key) => (
            <TableCell key={key}>{translate(`enums.value.${key}`)}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {record.values.map((value) => (
          <TableRow key={value.code} data-testid={`enum-value-${value.code}`}>
            <TableCell sx={{ fontFamily: 'monospace' }}>
              {isRiskLevel ? <RiskChip level={value.code} /> : value.code}
            </TableCell>
            <TableCell>{localized(value.label_en, value.label_zh)}</TableCell>
            <TableCell>
              <Chip
                size="small"
                variant="outlined"
                color={value.status === 'active' ? 'success' : 'default'}
                label={translate(`enums.status.${value.status}`)}
              />
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
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

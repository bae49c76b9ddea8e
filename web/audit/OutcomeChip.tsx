import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { AuditRecord } from '../../server/audit/schemas.ts';

/** success green, failure amber, denied red */
const OUTCOME_COLOR = { success: 'success', failure: 'warning', denied: 'error' } as const;

export const OutcomeChip = ({ outcome }: { outcome: AuditRecord['outcome'] }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`outcome-${outcome}`}
      color={OUTCOME_COLOR[outcome]}
      label={translate(`audit.outcome.${outcome}`)}
    />
  );
};

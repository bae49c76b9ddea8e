import { Box, Chip, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { LedgerKind, LedgerStatus } from '../../server/ledger/schemas.ts';
import { formatAmount } from './format.ts';

const STATUS_COLOR = {
  posted: 'success',
  pending_approval: 'warning',
  rejected: 'default',
} as const satisfies Record<LedgerStatus, string>;

/** an entry's status; one awaiting approval stands out (filled amber), a rejected one is greyed */
export const LedgerStatusChip = ({ status }: { status: LedgerStatus }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`ledger-status-${status}`}
      color={STATUS_COLOR[status]}
      variant={status === 'pending_approval' ? 'filled' : 'outlined'}
      sx={status === 'pending_approval' ? { fontWeight: 'bold' } : undefined}
      label={translate(`resources.ledger.status.${status}`)}
    />
  );
};

export const LedgerKindLabel = ({ kind }: { kind: LedgerKind }) => {
  const translate = useTranslate();
  return <span data-kind={kind}>{translate(`resources.ledger.kind.${kind}`)}</span>;
};

/** an amount in credits: a charge (negative) in red, a refund (positive) in green */
export const LedgerAmount = ({ amount, struck = false }: { amount: number; struck?: boolean }) => {
  const translate = useTranslate();
  const sign = amount < 0 ? 'charge' : 'refund';
  return (
    <Tooltip title={translate(`resources.ledger.sign.${sign}`)}>
      <Box
        component="span"
        data-testid="ledger-amount"
        data-sign={sign}
        sx={{
          color: amount < 0 ? 'error.main' : 'success.main',
          fontVariantNumeric: 'tabular-nums',
          whiteSpace: 'nowrap',
          textDecoration: struck ? 'line-through' : undefined,
        }}
      >
        {formatAmount(amount)}
      </Box>
    </Tooltip>
  );
};

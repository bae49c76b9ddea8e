import { Chip, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { EnumAction, ProposalRecord } from '../../server/enums/schemas.ts';

const ACTION_COLOR: Record<EnumAction, 'success' | 'info' | 'warning' | 'default' | 'primary'> = {
  add: 'success',
  relabel: 'info',
  update_mapping: 'primary',
  deprecate: 'warning',
  reactivate: 'default',
};

export const ActionChip = ({ action }: { action: EnumAction }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      variant="outlined"
      color={ACTION_COLOR[action]}
      label={translate(`enums.action.${action}`)}
      data-testid={`proposal-action-${action}`}
    />
  );
};

const STATUS_COLOR = { pending: 'warning', approved: 'success', rejected: 'error' } as const;

export const ProposalStatusChip = ({ status }: { status: ProposalRecord['status'] }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={STATUS_COLOR[status]}
      label={translate(`enums.proposal_status.${status}`)}
      data-testid={`proposal-status-${status}`}
    />
  );
};

/** the roles' names joined ("Compliance reviewer and Product planner") */
export function useRoleList() {
  const translate = useTranslate();
  return (roles: readonly string[]) =>
    roles.map((r) => translate(`roles.${r}`, { _: r })).join(translate('enums.and'));
}

/** how far its approvals are: who approved (as which role), and the roles still awaited */
export const ApprovalProgress = ({ proposal }: { proposal: ProposalRecord }) => {
  const translate = useTranslate();
  const roleList = useRoleList();
  return (
    <Stack data-testid={`approvals-${proposal.id}`}>
      {proposal.approvals.map((a) => (
        <Typography key={a.username} variant="body2">
          ✓ {a.username} ({translate(`roles.${a.role}`, { _: a.role })})
        </Typography>
      ))}
      {proposal.status === 'pending' && proposal.missing_roles.length > 0 && (
        <Typography variant="body2" color="warning.dark">
          {translate('enums.proposals.awaiting', { roles: roleList(proposal.missing_roles) })}
        </Typography>
      )}
    </Stack>
  );
};

/** what a proposal changes, in one line: `field: value` for each field it sets */
export const ChangeSummary = ({ proposal }: { proposal: ProposalRecord }) => {
  const translate = useTranslate();
  const entries = Object.entries(proposal.changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return <>—</>;
  return (
    <Typography variant="body2" sx={{ maxWidth: 360 }}>
      {entries.map(([field, value]) => `${translate(`enums.field.${field}`)}: ${value ?? '∅'}`).join(' · ')}
    </Typography>
  );
};

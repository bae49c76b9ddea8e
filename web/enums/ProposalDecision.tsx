import CheckIcon from '@mui/icons-material/Check';
import DoNotDisturbIcon from '@mui/icons-material/DoNotDisturb';
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Typography,
} from '@mui/material';
import { type MouseEvent, useContext, useState } from 'react';
import {
  Form,
  Button as RaButton,
  required,
  TextInput,
  useCanAccess,
  useDataProvider,
  useGetIdentity,
  useNotify,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { useFormState } from 'react-hook-form';
import type { ProposalRecord } from '../../server/enums/schemas.ts';
import type { ConsoleIdentity } from '../authProvider.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { ConflictContext } from '../layout/ConflictShow.tsx';
import { serverFailure, splitErrors, useNotifyServerError } from '../useNotifyServerError.ts';
import { approvalStanding, mayReject } from './governance.ts';
import { ActionChip, ChangeSummary, useRoleList } from './ProposalChips.tsx';

type DecisionKind = 'approve' | 'reject';

/** a click inside stays here: the buttons sit in clickable list rows, and the dialogs' events bubble to them */
const stop = (event: MouseEvent) => event.stopPropagation();

/**
 * Approve and Reject on a pending proposal for a user whose approval it needs: never its proposer, never twice
 * by the same person, and only while one of their roles is still awaited (a failure_code change needs a
 * planner and a compliance reviewer, two different people). Everyone else reads why they cannot. The server
 * applies the same rule and refuses (403 / 409) whatever this shows.
 */
export const ProposalDecision = ({ proposal }: { proposal: ProposalRecord }) => {
  const translate = useTranslate();
  const roleList = useRoleList();
  const { identity, isPending } = useGetIdentity();
  const { canAccess, isPending: accessPending } = useCanAccess({
    resource: 'enum-proposals',
    action: 'approve',
  });
  const [open, setOpen] = useState<DecisionKind | null>(null);
  // until the permission check answers, the standing is unknown (not "awaiting someone else's role")
  if (proposal.status !== 'pending' || isPending || accessPending || !identity) return null;
  const user = identity as ConsoleIdentity;
  const standing = canAccess ? approvalStanding(proposal, user) : 'role';
  const rejectable = canAccess && mayReject(proposal, user);
  if (standing !== 'may' && !rejectable) {
    const why =
      standing === 'own'
        ? translate('enums.proposals.own')
        : standing === 'approved'
          ? translate('enums.proposals.approved_by_you', { roles: roleList(proposal.missing_roles) })
          : translate('enums.proposals.awaiting', { roles: roleList(proposal.missing_roles) });
    return (
      <Stack
        direction="row"
        spacing={0.5}
        sx={{ alignItems: 'center', color: 'warning.dark' }}
        data-testid={`proposal-waiting-${proposal.id}`}
        data-standing={standing}
      >
        <HourglassTopIcon fontSize="small" />
        <Typography variant="body2">{why}</Typography>
      </Stack>
    );
  }
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only keeps clicks from reaching the list row
    // biome-ignore lint/a11y/useKeyWithClickEvents: idem
    <span onClick={stop}>
      <Stack direction="row" spacing={0.5}>
        {standing === 'may' && (
          <RaButton
            label="enums.proposals.approve.button"
            color="success"
            variant="outlined"
            size="small"
            onClick={() => setOpen('approve')}
            data-testid={`proposal-approve-${proposal.id}`}
          >
            <CheckIcon />
          </RaButton>
        )}
        {rejectable && (
          <RaButton
            label="enums.proposals.reject.button"
            color="error"
            variant="outlined"
            size="small"
            onClick={() => setOpen('reject')}
            data-testid={`proposal-reject-${proposal.id}`}
          >
            <DoNotDisturbIcon />
          </RaButton>
        )}
      </Stack>
      {open && <DecisionDialog kind={open} proposal={proposal} onClose={() => setOpen(null)} />}
    </span>
  );
};

/**
 * The decision's form, on the version read: approving asks for a confirmation (it may apply the change to
 * the table at once), rejecting for the reason. A 409 (decided or changed by someone else first) closes it,
 * says so above the page and shows the proposal as it is now; other refusals stay on screen.
 */
const DecisionDialog = ({
  kind,
  proposal,
  onClose,
}: {
  kind: DecisionKind;
  proposal: ProposalRecord;
  onClose: () => void;
}) => {
  const translate = useTranslate();
  const roleList = useRoleList();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const reportConflict = useContext(ConflictContext);
  const [problem, setProblem] = useState<string | null>(null);
  // the last approval applies the change; an earlier one only records this role's consent
  const applies = proposal.missing_roles.length <= 1;

  const submit = async (values: Record<string, unknown>) => {
    setProblem(null);
    const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
    try {
      const decided =
        kind === 'approve'
          ? await dataProvider.approveEnumProposal(proposal.id, { version: proposal.version })
          : await dataProvider.rejectEnumProposal(proposal.id, { reason, version: proposal.version });
      const done =
        kind === 'reject'
          ? 'enums.proposals.reject.done'
          : decided.status === 'approved'
            ? 'enums.proposals.approve.applied'
            : 'enums.proposals.approve.recorded';
      notify(done, {
        type: 'success',
        messageArgs: {
          id: decided.id,
          version: decided.applied_version ?? '',
          roles: roleList(decided.missing_roles),
        },
      });
      onClose();
      refresh();
      return undefined;
    } catch (error) {
      const failure = serverFailure(error);
      notifyError(error);
      if (failure.status === 409) {
        reportConflict(failure.message);
        onClose();
        refresh();
        return undefined;
      }
      setProblem(failure.message);
      return splitErrors(failure.errors, ['reason']).fieldErrors;
    }
  };

  return (
    <Dialog open onClose={onClose} data-testid={`proposal-${kind}-dialog`} maxWidth="sm" fullWidth>
      <Form record={{}} onSubmit={submit}>
        <DialogTitle>{translate(`enums.proposals.${kind}.title`, { id: proposal.id })}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <ActionChip action={proposal.action} />
              <Typography sx={{ fontFamily: 'monospace' }}>
                {proposal.enum}.{proposal.code}
              </Typography>
            </Stack>
            <ChangeSummary proposal={proposal} />
            <Typography color="text.secondary" sx={{ whiteSpace: 'pre-wrap' }}>
              {translate('enums.proposals.by', { user: proposal.proposed_by })}: {proposal.rationale}
            </Typography>
            {kind === 'approve' && (
              <Alert severity={applies ? 'warning' : 'info'} data-testid="proposal-approve-effect">
                {applies
                  ? translate('enums.proposals.approve.effect_apply')
                  : translate('enums.proposals.approve.effect_record', {
                      roles: roleList(proposal.missing_roles),
                    })}
              </Alert>
            )}
            {problem && (
              <Alert severity="error" data-testid="proposal-decision-error">
                {problem}
              </Alert>
            )}
            {kind === 'reject' && (
              <TextInput
                source="reason"
                id="proposal-reject-reason"
                label="enums.proposals.reject.reason"
                validate={required('enums.proposals.reject.reason_required')}
                multiline
                minRows={2}
                fullWidth
              />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <ConfirmButton kind={kind} />
        </DialogActions>
      </Form>
    </Dialog>
  );
};

const ConfirmButton = ({ kind }: { kind: DecisionKind }) => {
  const translate = useTranslate();
  const { isSubmitting } = useFormState();
  return (
    <Button
      type="submit"
      variant="contained"
      color={kind === 'approve' ? 'success' : 'error'}
      disabled={isSubmitting}
      data-testid={`proposal-${kind}-confirm`}
      startIcon={
        isSubmitting ? (
          <CircularProgress size={16} color="inherit" />
        ) : kind === 'approve' ? (
          <CheckIcon />
        ) : (
          <DoNotDisturbIcon />
        )
      }
    >
      {translate(`enums.proposals.${kind}.confirm`)}
    </Button>
  );
};

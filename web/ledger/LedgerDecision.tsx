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
import { type MouseEvent, useState } from 'react';
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
import type { LedgerEntry } from '../../server/ledger/schemas.ts';
import type { ConsoleIdentity } from '../authProvider.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { serverFailure, splitErrors, useNotifyServerError } from '../useNotifyServerError.ts';
import { formatAmount } from './format.ts';

type DecisionKind = 'approve' | 'reject';

/** a click inside stays here: the buttons sit in clickable list rows, and the dialogs' events bubble to them */
const stop = (event: MouseEvent) => event.stopPropagation();

/**
 * Four-eyes on a pending manual entry: Approve and Reject for a user who may decide (ledger:approve) and is
 * not the one who requested it; for everyone else the entry says it awaits a second approver. The server
 * refuses the requester too (403); hiding the buttons only spares them the attempt.
 */
export const LedgerDecision = ({ entry }: { entry: LedgerEntry }) => {
  const translate = useTranslate();
  const { identity, isPending } = useGetIdentity();
  const { canAccess } = useCanAccess({ resource: 'ledger', action: 'approve' });
  const [open, setOpen] = useState<DecisionKind | null>(null);
  if (entry.status !== 'pending_approval' || isPending) return null;
  const own = (identity as ConsoleIdentity | undefined)?.username === entry.created_by;
  if (!canAccess || own)
    return (
      <Stack
        direction="row"
        spacing={0.5}
        sx={{ alignItems: 'center', color: 'warning.dark' }}
        data-testid={`ledger-awaiting-${entry.id}`}
      >
        <HourglassTopIcon fontSize="small" />
        <Typography variant="body2">
          {translate(own ? 'resources.ledger.awaiting_other' : 'resources.ledger.awaiting_second')}
        </Typography>
      </Stack>
    );
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only keeps clicks from reaching the list row
    // biome-ignore lint/a11y/useKeyWithClickEvents: idem
    <span onClick={stop}>
      <Stack direction="row" spacing={0.5}>
        <RaButton
          label="resources.ledger.approve.button"
          color="success"
          variant="outlined"
          size="small"
          onClick={() => setOpen('approve')}
          data-testid={`ledger-approve-${entry.id}`}
        >
          <CheckIcon />
        </RaButton>
        <RaButton
          label="resources.ledger.reject.button"
          color="error"
          variant="outlined"
          size="small"
          onClick={() => setOpen('reject')}
          data-testid={`ledger-reject-${entry.id}`}
        >
          <DoNotDisturbIcon />
        </RaButton>
      </Stack>
      {open && <DecisionDialog kind={open} entry={entry} onClose={() => setOpen(null)} />}
    </span>
  );
};

/**
 * The decision's form: an optional note to approve, a required reason to reject. A 409 (someone decided
 * first) closes it and shows the entry as it is now; other refusals stay on screen with the server's words.
 */
const DecisionDialog = ({
  kind,
  entry,
  onClose,
}: {
  kind: DecisionKind;
  entry: LedgerEntry;
  onClose: () => void;
}) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const [problem, setProblem] = useState<string | null>(null);
  const field = kind === 'approve' ? 'note' : 'reason';

  const submit = async (values: Record<string, unknown>) => {
    setProblem(null);
    const text = typeof values[field] === 'string' ? values[field].trim() : '';
    try {
      const decided =
        kind === 'approve'
          ? await dataProvider.approveLedgerEntry(entry.id, text ? { note: text } : {})
          : await dataProvider.rejectLedgerEntry(entry.id, { reason: text });
      notify(`resources.ledger.${kind}.done`, { type: 'success', messageArgs: { id: decided.id } });
      onClose();
      refresh();
      return undefined;
    } catch (error) {
      const failure = serverFailure(error);
      notifyError(error);
      if (failure.status === 409) {
        onClose();
        refresh();
        return undefined;
      }
      setProblem(failure.message);
      return splitErrors(failure.errors, [field]).fieldErrors;
    }
  };

  return (
    <Dialog open onClose={onClose} data-testid={`ledger-${kind}-dialog`} maxWidth="sm" fullWidth>
      <Form record={{}} onSubmit={submit}>
        <DialogTitle>{translate(`resources.ledger.${kind}.title`, { id: entry.id })}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <Typography data-testid="ledger-decision-summary">
              {translate('resources.ledger.decision_summary', {
                amount: formatAmount(entry.amount),
                task_id: entry.task_id,
                created_by: entry.created_by,
              })}
            </Typography>
            {entry.reason && (
              <Typography color="text.secondary" sx={{ whiteSpace: 'pre-wrap' }}>
                {entry.reason}
              </Typography>
            )}
            {problem && (
              <Alert severity="error" data-testid="ledger-decision-error">
                {problem}
              </Alert>
            )}
            <TextInput
              source={field}
              id={`ledger-decision-${field}`}
              label={`resources.ledger.${kind}.${field}`}
              validate={kind === 'reject' ? required('resources.ledger.reject.reason_required') : undefined}
              multiline
              minRows={2}
              fullWidth
            />
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
      data-testid={`ledger-${kind}-confirm`}
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
      {translate(`resources.ledger.${kind}.confirm`)}
    </Button>
  );
};

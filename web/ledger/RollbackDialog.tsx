import UndoIcon from '@mui/icons-material/Undo';
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
} from '@mui/material';
import { useState } from 'react';
import {
  Form,
  minValue,
  NumberInput,
  Button as RaButton,
  required,
  TextInput,
  useCanAccess,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { useFormState, useWatch } from 'react-hook-form';
import { needsSecondApproval } from '../../server/ledger/bounds.ts';
import type { TaskDetail } from '../../server/tasks/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { EnumSelectInput } from '../enums/EnumSelectInput.tsx';
import { useEnum } from '../enums/useEnum.ts';
import { serverFailure, splitErrors } from '../useNotifyServerError.ts';
import { formatCredits } from './format.ts';

/** the fields of the rollback form, as the server names them in its per-field reasons */
const FIELDS = ['amount', 'policy_tag', 'reason'] as const;

interface RollbackValues {
  amount?: number | null;
  policy_tag?: string | null;
  reason?: string | null;
}

/**
 * "Roll back credits" on a task's page, for those who may (ledger:write, ops). Disabled when nothing is
 * left to refund.
 */
export const RollbackButton = () => {
  const task = useRecordContext<TaskDetail>();
  const { canAccess } = useCanAccess({ resource: 'ledger', action: 'rollback' });
  const [open, setOpen] = useState(false);
  if (!task || !canAccess) return null;
  return (
    <>
      <RaButton
        label="resources.tasks.rollback.button"
        variant="outlined"
        disabled={task.charge.refundable <= 0}
        onClick={() => setOpen(true)}
        data-testid="task-rollback"
      >
        <UndoIcon />
      </RaButton>
      {open && <RollbackDialog task={task} onClose={() => setOpen(false)} />}
    </>
  );
};

/**
 * A fresh random key. crypto.randomUUID exists only in secure contexts (HTTPS, localhost); a console served
 * over plain HTTP on another host still has getRandomValues.
 */
export const newIdempotencyKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A refund of part or all of the task's charge: how much (the refundable amount is the hint; the server
 * holds the bound), under which policy tag, and why. Above the approval limit it says before anything is
 * sent that a second person must approve it.
 *
 * The Idempotency-Key is made once, when the dialog opens, and sent with every submission from it: when an
 * answer is lost (network error, 5xx) the person submits again and the server, knowing the key, replays its
 * first answer instead of refunding twice. A new rollback means closing the dialog and opening it again.
 */
export const RollbackDialog = ({ task, onClose }: { task: TaskDetail; onClose: () => void }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<{ message: string; severity: 'error' | 'warning' } | null>(null);
  const { values: tags } = useEnum('policy_tag');
  // it starts from the task's own policy tag when that one may still be chosen (the task's page has read the
  // tags already); fixed when the dialog opens, so nothing typed is reset
  const [defaults] = useState<RollbackValues>(() =>
    task.policy_tag && tags?.some((t) => t.code === task.policy_tag && t.status === 'active')
      ? { policy_tag: task.policy_tag }
      : {},
  );
  const { charge } = task;

  const submit = async (values: RollbackValues) => {
    setProblem(null);
    try {
      const entry = await dataProvider.rollbackCredits(
        {
          task_id: task.task_id,
          amount: Number(values.amount),
          policy_tag: values.policy_tag ?? '',
          reason: values.reason?.trim() ?? '',
        },
        idempotencyKey,
      );
      const pending = entry.status === 'pending_approval';
      notify(`resources.tasks.rollback.${pending ? 'pending' : 'posted'}`, {
        type: pending ? 'info' : 'success',
        messageArgs: { amount: formatCredits(entry.amount), task_id: entry.task_id },
      });
      onClose();
      refresh();
      return undefined;
    } catch (error) {
      const failure = serverFailure(error);
      if (failure.status === undefined || failure.status >= 500) {
        // no answer, or not one to trust: the same submission again is safe, it carries the same key
        setProblem({
          severity: 'warning',
          message: translate('resources.tasks.rollback.retry', { message: failure.message }),
        });
        return undefined;
      }
      if (failure.status === 409) {
        // the key already made an entry, from a submission with other values: show the ledger as it is
        setProblem({ severity: 'error', message: translate('resources.tasks.rollback.key_reused') });
        refresh();
        return undefined;
      }
      const { fieldErrors, others } = splitErrors(failure.errors, FIELDS);
      // reasons the form can place go under their field; anything else above it
      if (!fieldErrors || others) setProblem({ severity: 'error', message: failure.message });
      return fieldErrors;
    }
  };

  return (
    <Dialog open onClose={onClose} data-testid="rollback-dialog" maxWidth="sm" fullWidth>
      {/* a record of its own, so the task being shown does not fill the form */}
      <Form
        record={defaults as Record<string, unknown>}
        onSubmit={(values: Record<string, unknown>) => submit(values as RollbackValues)}
      >
        <DialogTitle>{translate('resources.tasks.rollback.title', { task_id: task.task_id })}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            {problem && (
              <Alert severity={problem.severity} data-testid="rollback-error">
                {problem.message}
              </Alert>
            )}
            <NumberInput
              source="amount"
              id="rollback-amount"
              label="resources.tasks.rollback.amount"
              validate={[required(), minValue(0.01)]}
              min={0.01}
              step={0.01}
              helperText={translate(
                charge.pending_refunds > 0
                  ? 'resources.tasks.rollback.amount_hint_pending'
                  : 'resources.tasks.rollback.amount_hint',
                {
                  refundable: formatCredits(charge.refundable),
                  net_charge: formatCredits(charge.net_charge),
                  pending: formatCredits(charge.pending_refunds),
                },
              )}
              fullWidth
            />
            <SecondApprovalNotice limit={task.approval_limit} entries={task.ledger} />
            <EnumSelectInput
              source="policy_tag"
              id="rollback-policy_tag"
              label="resources.tasks.rollback.policy_tag"
              enumName="policy_tag"
              validate={required()}
              fullWidth
            />
            <TextInput
              source="reason"
              id="rollback-reason"
              label="resources.tasks.rollback.reason"
              validate={required('resources.tasks.rollback.reason_required')}
              multiline
              minRows={2}
              fullWidth
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <ConfirmButton />
        </DialogActions>
      </Form>
    </Dialog>
  );
};

/**
 * The server's rule (needsSecondApproval): a manual entry that takes the task's manual entries, posted or
 * waiting, above the limit waits for a second person.
 */
const SecondApprovalNotice = ({ limit, entries }: { limit: number; entries: TaskDetail['ledger'] }) => {
  const translate = useTranslate();
  const amount = useWatch({ name: 'amount' }) as unknown;
  if (typeof amount !== 'number' || !needsSecondApproval(amount, limit, entries)) return null;
  return (
    <Alert severity="info" data-testid="rollback-second-approval">
      {translate('resources.tasks.rollback.second_approval', { limit: formatCredits(limit) })}
    </Alert>
  );
};

/** submits; while the server has not answered it is disabled and spins, so one click sends one request */
const ConfirmButton = () => {
  const translate = useTranslate();
  const { isSubmitting } = useFormState();
  return (
    <Button
      type="submit"
      variant="contained"
      color="warning"
      disabled={isSubmitting}
      aria-busy={isSubmitting}
      data-testid="rollback-confirm"
      startIcon={isSubmitting ? <CircularProgress size={16} color="inherit" /> : <UndoIcon />}
    >
      {translate('resources.tasks.rollback.confirm')}
    </Button>
  );
};

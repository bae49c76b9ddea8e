import CheckIcon from '@mui/icons-material/Check';
import DoNotDisturbIcon from '@mui/icons-material/DoNotDisturb';
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
import type { ReactNode } from 'react';
import { DateTimeInput, Form, minValue, NumberInput, required, TextInput, useTranslate } from 'react-admin';
import { useFormContext, useFormState, useWatch } from 'react-hook-form';
import { EnumSelectInput } from '../enums/EnumSelectInput.tsx';
import { useEnum } from '../enums/useEnum.ts';
import { type DecisionKind, type DecisionValues, expiresAfterEffective } from './decisions.ts';

/** what a decision dialog's submit answers: nothing when done, or the server's reasons per field */
export type DecisionSubmit = (values: DecisionValues) => Promise<Record<string, string> | undefined>;

/**
 * The form of one decision, for one application or a selection. Required fields are checked before anything
 * is sent; the confirm button shows progress until the server answers (pessimistic: nothing changes on
 * screen before it has). Inputs carry the ids `decision-<field>`, unique even beside the list's filters.
 */
export const DecisionDialog = ({
  kind,
  open,
  title,
  intro,
  defaults,
  onClose,
  onSubmit,
}: {
  kind: DecisionKind;
  open: boolean;
  title: string;
  intro?: ReactNode;
  defaults: DecisionValues;
  onClose: () => void;
  onSubmit: DecisionSubmit;
}) => (
  <Dialog open={open} onClose={onClose} data-testid={`license-${kind}-dialog`} maxWidth="sm" fullWidth>
    {/* a record of its own, so the licence being decided does not fill the form */}
    <Form
      record={defaults as Record<string, unknown>}
      onSubmit={(values: Record<string, unknown>) => onSubmit(values as DecisionValues)}
    >
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={1} sx={{ pt: 1 }}>
          {intro}
          {kind === 'approve' ? <ApproveInputs /> : <RefuseInputs kind={kind} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <CancelButton onClose={onClose} />
        <ConfirmButton kind={kind} />
      </DialogActions>
    </Form>
  </Dialog>
);

const fieldId = (source: string) => `decision-${source}`;

/** date-time inputs read and show the browser's own time zone (the rest of the console shows UTC+8) */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const ApproveInputs = () => {
  const translate = useTranslate();
  const expiry = useWatch({ name: 'expiry_type' });
  const zone = translate('licenses.local_time', { zone: browserZone() });
  return (
    <>
      <DateTimeInput
        source="effective_at"
        id={fieldId('effective_at')}
        validate={required()}
        helperText={zone}
        fullWidth
      />
      <EnumSelectInput
        source="expiry_type"
        id={fieldId('expiry_type')}
        enumName="expiry_type"
        validate={required()}
        fullWidth
      />
      {expiry === 'run_limited' && (
        <NumberInput
          source="max_runs"
          id={fieldId('max_runs')}
          validate={[required('licenses.validation.max_runs'), minValue(1)]}
          min={1}
          step={1}
          fullWidth
        />
      )}
      {expiry === 'fixed_term' && (
        <DateTimeInput
          source="expires_at"
          id={fieldId('expires_at')}
          validate={[required('licenses.validation.expires_at'), expiresAfterEffective]}
          helperText={zone}
          fullWidth
        />
      )}
      <TextInput source="note" id={fieldId('note')} multiline minRows={2} fullWidth />
    </>
  );
};

/** reject and revoke: a reason code, a policy tag (whose default action it fills in), the action, a note */
const RefuseInputs = ({ kind }: { kind: DecisionKind }) => {
  const { setValue } = useFormContext();
  const { values: tags } = useEnum('policy_tag');
  const fillAction = (event: { target?: { value?: unknown } } | string) => {
    const code = typeof event === 'string' ? event : event?.target?.value;
    const action = tags?.find((t) => t.code === code)?.default_action_required;
    if (action) setValue('action_required', action, { shouldDirty: true, shouldValidate: true });
  };
  return (
    <>
      <EnumSelectInput
        source="reason_code"
        id={fieldId('reason_code')}
        enumName="reason_code"
        validate={required()}
        fullWidth
      />
      <EnumSelectInput
        source="policy_tag"
        id={fieldId('policy_tag')}
        enumName="policy_tag"
        validate={required()}
        onChange={fillAction}
        helperText="licenses.policy_tag_help"
        fullWidth
      />
      <EnumSelectInput
        source="action_required"
        id={fieldId('action_required')}
        enumName="action_required"
        validate={required()}
        fullWidth
      />
      <TextInput
        source="note"
        id={fieldId('note')}
        multiline
        minRows={2}
        validate={kind === 'revoke' ? required('licenses.validation.note') : undefined}
        fullWidth
      />
    </>
  );
};

const CancelButton = ({ onClose }: { onClose: () => void }) => {
  const translate = useTranslate();
  const { isSubmitting } = useFormState();
  return (
    <Button onClick={onClose} disabled={isSubmitting}>
      {translate('ra.action.cancel')}
    </Button>
  );
};

/** submits the form; while the server has not answered it is disabled and spins */
const ConfirmButton = ({ kind }: { kind: DecisionKind }) => {
  const translate = useTranslate();
  const { isSubmitting } = useFormState();
  return (
    <Button
      type="submit"
      variant="contained"
      color={kind === 'approve' ? 'success' : 'error'}
      disabled={isSubmitting}
      aria-busy={isSubmitting}
      data-testid={`license-${kind}-confirm`}
      startIcon={
        isSubmitting ? (
          <CircularProgress size={16} color="inherit" data-testid="decision-progress" />
        ) : kind === 'approve' ? (
          <CheckIcon />
        ) : (
          <DoNotDisturbIcon />
        )
      }
    >
      {translate(`licenses.${kind}.confirm`)}
    </Button>
  );
};

/** a refusal of the whole request, shown above the fields */
export const DecisionAlert = ({ message }: { message: string | null }) =>
  message ? (
    <Alert severity="error" data-testid="decision-error">
      {message}
    </Alert>
  ) : null;

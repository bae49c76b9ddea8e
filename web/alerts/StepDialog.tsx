import DoneAllIcon from '@mui/icons-material/DoneAll';
import TrendingUpIcon from '@mui/icons-material/TrendingUp';
import VisibilityIcon from '@mui/icons-material/Visibility';
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
} from '@mui/material';
import type { ReactNode } from 'react';
import { Form, maxLength, TextInput, useTranslate } from 'react-admin';
import { useFormState } from 'react-hook-form';
import type { AlertAction } from '../../server/alerts/schemas.ts';
import type { StepValues } from './steps.ts';

/** what a step dialog's submit answers: nothing when done, or the server's reasons per field */
export type StepSubmit = (values: StepValues) => Promise<Record<string, string> | undefined>;

export const STEP_ICONS: Record<AlertAction, ReactNode> = {
  acknowledge: <VisibilityIcon />,
  escalate: <TrendingUpIcon />,
  resolve: <DoneAllIcon />,
};

export const STEP_COLOR = { acknowledge: 'primary', escalate: 'warning', resolve: 'success' } as const;

/** every step needs a note (the server trims it, so blanks are no note either) */
const noteRequired = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : 'resources.alerts.validation.note';

/**
 * The form of one step, for one alert or a selection: a note, required before anything is sent. The confirm
 * button shows progress until the server answers (pessimistic: nothing changes on screen before it has).
 */
export const StepDialog = ({
  action,
  title,
  intro,
  onClose,
  onSubmit,
}: {
  action: AlertAction;
  title: string;
  intro?: ReactNode;
  onClose: () => void;
  onSubmit: StepSubmit;
}) => {
  const translate = useTranslate();
  return (
    <Dialog open onClose={onClose} data-testid={`alert-${action}-dialog`} maxWidth="sm" fullWidth>
      {/* a record of its own, so the alert being stepped does not fill the note with its last one */}
      <Form
        record={{ note: '' }}
        onSubmit={(values: Record<string, unknown>) => onSubmit(values as StepValues)}
      >
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            {intro}
            <TextInput
              source="note"
              id="alert-step-note"
              label="resources.alerts.fields.note"
              helperText={translate('resources.alerts.note_help')}
              validate={[noteRequired, maxLength(2000)]}
              multiline
              minRows={2}
              fullWidth
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <CancelButton onClose={onClose} />
          <ConfirmButton action={action} />
        </DialogActions>
      </Form>
    </Dialog>
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
const ConfirmButton = ({ action }: { action: AlertAction }) => {
  const translate = useTranslate();
  const { isSubmitting } = useFormState();
  return (
    <Button
      type="submit"
      variant="contained"
      color={STEP_COLOR[action]}
      disabled={isSubmitting}
      aria-busy={isSubmitting}
      data-testid={`alert-${action}-confirm`}
      startIcon={
        isSubmitting ? (
          <CircularProgress size={16} color="inherit" data-testid="alert-step-progress" />
        ) : (
          STEP_ICONS[action]
        )
      }
    >
      {translate(`resources.alerts.${action}.confirm`)}
    </Button>
  );
};

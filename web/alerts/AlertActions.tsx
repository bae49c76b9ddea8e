import { Typography } from '@mui/material';
import { useContext, useState } from 'react';
import {
  Button,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import type { AlertAction, AlertRecord } from '../../server/alerts/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useEnumLabel } from '../enums/useEnum.ts';
import { ConflictContext } from '../layout/ConflictShow.tsx';
import { failureOf } from '../licenses/decisions.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { STEP_COLOR, STEP_ICONS, StepDialog } from './StepDialog.tsx';
import { escalationTarget, type StepValues, stepsFor } from './steps.ts';

/**
 * The steps the alert's state allows and the signed-in user may take: Acknowledge while open, Escalate below
 * the compliance committee, Resolve until resolved. Each opens a dialog asking for the note; the step is
 * sent with the version read and the answer replaces the alert on screen. A 409 shows the server's message
 * and reloads the alert; a 400 marks the field the server refused.
 */
export const AlertActions = () => {
  const record = useRecordContext<AlertRecord>();
  const translate = useTranslate();
  const levelLabel = useEnumLabel('escalation_level');
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const setConflict = useContext(ConflictContext);
  const [open, setOpen] = useState<AlertAction | null>(null);
  const allowed: Record<AlertAction, boolean> = {
    acknowledge: useCanAccess({ resource: 'alerts', action: 'acknowledge' }).canAccess === true,
    escalate: useCanAccess({ resource: 'alerts', action: 'escalate' }).canAccess === true,
    resolve: useCanAccess({ resource: 'alerts', action: 'resolve' }).canAccess === true,
  };

  if (!record) return <TopToolbar />;
  const actions = stepsFor(record).filter((action) => allowed[action]);

  const start = (action: AlertAction) => {
    setConflict(null);
    setOpen(action);
  };

  const submit = async (action: AlertAction, values: StepValues) => {
    try {
      const alert = await dataProvider.stepAlert(record.id, action, {
        note: values.note?.trim() ?? '',
        version: record.version,
      });
      notify(`resources.alerts.${action}.done`, {
        type: 'success',
        messageArgs: { alert_id: alert.alert_id },
      });
      setOpen(null);
      refresh();
      return undefined;
    } catch (error) {
      const failure = failureOf(error);
      notifyError(error);
      if (failure.status === 409) {
        // stepped by someone else first, or no longer allowed: say so, close, show the alert as it is now
        setConflict(failure.message);
        setOpen(null);
        refresh();
        return undefined;
      }
      return failure.errors;
    }
  };

  const target = escalationTarget(record);
  return (
    <TopToolbar>
      {actions.map((action) => (
        <Button
          key={action}
          label={`resources.alerts.${action}.button`}
          color={STEP_COLOR[action]}
          variant="outlined"
          onClick={() => start(action)}
          data-testid={`alert-${action}`}
        >
          {STEP_ICONS[action]}
        </Button>
      ))}
      {open && (
        <StepDialog
          action={open}
          title={translate(`resources.alerts.${open}.title`, { alert_id: record.alert_id })}
          intro={
            open === 'escalate' && target ? (
              <Typography data-testid="alert-escalate-target">
                {translate('resources.alerts.escalate.intro', {
                  from: levelLabel(record.escalation_level) || '—',
                  to: levelLabel(target),
                })}
              </Typography>
            ) : undefined
          }
          onClose={() => setOpen(null)}
          onSubmit={(values) => submit(open, values)}
        />
      )}
    </TopToolbar>
  );
};

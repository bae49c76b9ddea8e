import { createContext, useContext, useState } from 'react';
import {
  Button,
  type Identifier,
  useCanAccess,
  useDataProvider,
  useListContext,
  useRefresh,
  useTranslate,
  useUnselectAll,
} from 'react-admin';
import type { z } from 'zod';
import type { AlertRecord, alertBulkResultSchema } from '../../server/alerts/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { BulkResultDialog } from '../layout/BulkResultDialog.tsx';
import { failureOf } from '../licenses/decisions.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { STEP_COLOR, STEP_ICONS, StepDialog } from './StepDialog.tsx';
import { BULK_ACTIONS, type BulkAction, type StepValues } from './steps.ts';

type BulkResult = z.infer<typeof alertBulkResultSchema>['results'][number];

/** what the last bulk step did: each alert stepped, or refused with the server's reason */
export interface BulkStepOutcome {
  action: BulkAction;
  results: BulkResult[];
  /** alert ids (`alert_…`) by record id, to name the refused ones */
  names: Map<Identifier, string>;
}

/**
 * Shows a bulk step's outcome. The list keeps it, not the bulk toolbar: once the selection is cleared the
 * toolbar is gone before the summary is read.
 */
export const BulkStepOutcomeContext = createContext<(outcome: BulkStepOutcome) => void>(() => {});

/** Acknowledge… and Resolve… for the selected alerts, each with one note for all */
export const AlertBulkActions = () => {
  const showOutcome = useContext(BulkStepOutcomeContext);
  return (
    <>
      {BULK_ACTIONS.map((action) => (
        <BulkStepButton key={action} action={action} onDone={showOutcome} />
      ))}
    </>
  );
};

const BulkStepButton = ({
  action,
  onDone,
}: {
  action: BulkAction;
  onDone: (outcome: BulkStepOutcome) => void;
}) => {
  const translate = useTranslate();
  const { selectedIds, data } = useListContext<AlertRecord>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('alerts');
  const { canAccess } = useCanAccess({ resource: 'alerts', action });
  const [open, setOpen] = useState(false);
  if (!canAccess) return null;

  /** the selected alerts with the version each was read at; those off this page are read again */
  const selection = async (): Promise<AlertRecord[]> => {
    const onPage = (data ?? []).filter((a) => selectedIds.includes(a.id));
    const missing = selectedIds.filter((id) => !onPage.some((a) => a.id === id));
    if (missing.length === 0) return onPage;
    const { data: more } = await dataProvider.getMany<AlertRecord>('alerts', { ids: missing });
    return [...onPage, ...more];
  };

  const submit = async (values: StepValues) => {
    try {
      const alerts = await selection();
      const { results } = await dataProvider.bulkStepAlerts({
        action,
        note: values.note?.trim() ?? '',
        items: alerts.map((a) => ({ id: a.id, version: a.version })),
      });
      setOpen(false);
      onDone({ action, results, names: new Map(alerts.map((a) => [a.id, a.alert_id])) });
      unselectAll();
      refresh();
      return undefined;
    } catch (error) {
      notifyError(error);
      return failureOf(error).errors;
    }
  };

  return (
    <>
      <Button
        label={`resources.alerts.${action}.bulk_button`}
        color={STEP_COLOR[action]}
        onClick={() => setOpen(true)}
        data-testid={`alert-bulk-${action}`}
      >
        {STEP_ICONS[action]}
      </Button>
      {open && (
        <StepDialog
          action={action}
          title={translate(`resources.alerts.${action}.bulk_title`, { smart_count: selectedIds.length })}
          onClose={() => setOpen(false)}
          onSubmit={submit}
        />
      )}
    </>
  );
};

export const BulkStepOutcomeDialog = ({
  outcome,
  onClose,
}: {
  outcome: BulkStepOutcome | null;
  onClose: () => void;
}) => {
  const translate = useTranslate();
  return (
    <BulkResultDialog
      results={outcome?.results ?? null}
      title={outcome ? translate(`resources.alerts.bulk.title_${outcome.action}`) : ''}
      summary={(done, refused) => translate('resources.alerts.bulk.summary', { done, refused })}
      nameOf={(id) => outcome?.names.get(id) ?? String(id)}
      testId="alert-bulk"
      doneAttr="done"
      onClose={onClose}
    />
  );
};

import CheckIcon from '@mui/icons-material/Check';
import DoNotDisturbIcon from '@mui/icons-material/DoNotDisturb';
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
import type { bulkResultSchema, LicenseRecord } from '../../server/licenses/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { BulkResultDialog } from '../layout/BulkResultDialog.tsx';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { DecisionDialog } from './DecisionDialog.tsx';
import { approveTerms, type DecisionValues, failureOf, rejectTerms } from './decisions.ts';
import { useDecisionDefaults } from './LicenseActions.tsx';

type BulkKind = 'approve' | 'reject';
type BulkResult = z.infer<typeof bulkResultSchema>['results'][number];

/** what the last bulk decision did: each application decided, or refused with the server's reason */
export interface BulkOutcome {
  kind: BulkKind;
  results: BulkResult[];
  /** licence ids (`lic_12`) by record id, to name the refused ones */
  names: Map<Identifier, string>;
}

/**
 * Approve… and Reject… for the selected applications: the same dialogs as on one licence, then one request
 * (each application decided or refused on its own, on the version the list showed) and a summary of what
 * happened to each.
 */
export const LicenseBulkActions = () => {
  const showOutcome = useContext(BulkOutcomeContext);
  return (
    <>
      <BulkDecisionButton kind="approve" onDone={showOutcome} />
      <BulkDecisionButton kind="reject" onDone={showOutcome} />
    </>
  );
};

/**
 * Shows a bulk decision's outcome. The list keeps it, not the bulk toolbar: once the decided applications
 * leave the queue the toolbar (and the table) may be gone before the summary is read.
 */
export const BulkOutcomeContext = createContext<(outcome: BulkOutcome) => void>(() => {});

const BulkDecisionButton = ({ kind, onDone }: { kind: BulkKind; onDone: (outcome: BulkOutcome) => void }) => {
  const translate = useTranslate();
  const { selectedIds, data } = useListContext<LicenseRecord>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('licenses');
  const defaultsFor = useDecisionDefaults();
  const { canAccess } = useCanAccess({ resource: 'licenses', action: kind });
  const [defaults, setDefaults] = useState<DecisionValues | null>(null);
  if (!canAccess) return null;

  /** the selected licences with the version each was read at; those off this page are read again */
  const selection = async (): Promise<LicenseRecord[]> => {
    const onPage = (data ?? []).filter((l) => selectedIds.includes(l.id));
    const missing = selectedIds.filter((id) => !onPage.some((l) => l.id === id));
    if (missing.length === 0) return onPage;
    const { data: more } = await dataProvider.getMany<LicenseRecord>('licenses', { ids: missing });
    return [...onPage, ...more];
  };

  const start = () => {
    const tags = new Set((data ?? []).filter((l) => selectedIds.includes(l.id)).map((l) => l.policy_tag));
    // a refusal of applications that share one policy tag starts from that tag
    const [tag] = tags.size === 1 ? [...tags] : [null];
    setDefaults(defaultsFor(kind, tag ?? null));
  };

  const submit = async (values: DecisionValues) => {
    try {
      const licenses = await selection();
      const items = licenses.map((l) => ({ id: l.id, version: l.version }));
      const { results } =
        kind === 'approve'
          ? await dataProvider.bulkDecideLicenses({
              action: 'approve',
              items,
              decision: approveTerms(values),
            })
          : await dataProvider.bulkDecideLicenses({ action: 'reject', items, decision: rejectTerms(values) });
      setDefaults(null);
      onDone({ kind, results, names: new Map(licenses.map((l) => [l.id, l.license_id])) });
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
        label={`licenses.${kind}.bulk_button`}
        color={kind === 'approve' ? 'success' : 'error'}
        onClick={start}
        data-testid={`license-bulk-${kind}`}
      >
        {kind === 'approve' ? <CheckIcon /> : <DoNotDisturbIcon />}
      </Button>
      {defaults && (
        <DecisionDialog
          kind={kind}
          open
          title={translate(`licenses.${kind}.bulk_title`, { smart_count: selectedIds.length })}
          defaults={defaults}
          onClose={() => setDefaults(null)}
          onSubmit={submit}
        />
      )}
    </>
  );
};

export const BulkOutcomeDialog = ({
  outcome,
  onClose,
}: {
  outcome: BulkOutcome | null;
  onClose: () => void;
}) => {
  const translate = useTranslate();
  return (
    <BulkResultDialog
      results={outcome?.results ?? null}
      title={outcome ? translate(`licenses.bulk.title_${outcome.kind}`) : ''}
      summary={(decided, refused) => translate('licenses.bulk.summary', { decided, refused })}
      nameOf={(id) => outcome?.names.get(id) ?? `lic_${id}`}
      testId="bulk"
      doneAttr="decided"
      onClose={onClose}
    />
  );
};

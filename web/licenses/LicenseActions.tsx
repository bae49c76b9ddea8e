import BlockIcon from '@mui/icons-material/Block';
import CheckIcon from '@mui/icons-material/Check';
import DoNotDisturbIcon from '@mui/icons-material/DoNotDisturb';
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
import type { LicenseRecord } from '../../server/licenses/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useEnum } from '../enums/useEnum.ts';
import { ConflictContext } from '../layout/ConflictShow.tsx';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { DecisionDialog } from './DecisionDialog.tsx';
import {
  approveTerms,
  type DecisionKind,
  type DecisionValues,
  decisionsFor,
  failureOf,
  rejectTerms,
  revokeTerms,
} from './decisions.ts';

const ICONS = { approve: <CheckIcon />, reject: <DoNotDisturbIcon />, revoke: <BlockIcon /> };

/** the values a decision dialog opens with: now for an approval; for a refusal, the application's tag */
export function useDecisionDefaults() {
  const { values: tags } = useEnum('policy_tag');
  return (kind: DecisionKind, policyTag: string | null): DecisionValues => {
    if (kind === 'approve') return { effective_at: new Date().toISOString() };
    const tag = tags?.find((t) => t.code === policyTag && t.status === 'active');
    return tag ? { policy_tag: tag.code, action_required: tag.default_action_required } : {};
  };
}

/**
 * The decisions the licence's status allows and the signed-in user may make: Approve and Reject while
 * pending, Revoke once approved. Each opens its dialog; the answer replaces the licence on screen. A 409
 * (someone decided first, or it changed) shows the server's message and reloads the licence; a 422 marks
 * the fields the server refused.
 */
export const LicenseActions = () => {
  const record = useRecordContext<LicenseRecord>();
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const setConflict = useContext(ConflictContext);
  const defaultsFor = useDecisionDefaults();
  const [open, setOpen] = useState<DecisionKind | null>(null);
  const [defaults, setDefaults] = useState<DecisionValues>({});
  const allowed = {
    approve: useCanAccess({ resource: 'licenses', action: 'approve' }).canAccess === true,
    reject: useCanAccess({ resource: 'licenses', action: 'reject' }).canAccess === true,
    revoke: useCanAccess({ resource: 'licenses', action: 'revoke' }).canAccess === true,
  };

  if (!record) return <TopToolbar />;
  const kinds = decisionsFor(record.status).filter((kind) => allowed[kind]);

  const start = (kind: DecisionKind) => {
    setConflict(null);
    setDefaults(defaultsFor(kind, record.policy_tag));
    setOpen(kind);
  };

  const submit = async (kind: DecisionKind, values: DecisionValues) => {
    const version = record.version;
    try {
      const license =
        kind === 'approve'
          ? await dataProvider.approveLicense(record.id, { ...approveTerms(values), version })
          : kind === 'reject'
            ? await dataProvider.rejectLicense(record.id, { ...rejectTerms(values), version })
            : await dataProvider.revokeLicense(record.id, { ...revokeTerms(values), version });
      notify(`licenses.${kind}.done`, { type: 'success', messageArgs: { license_id: license.license_id } });
      setOpen(null);
      refresh();
      return undefined;
    } catch (error) {
      const failure = failureOf(error);
      notifyError(error);
      if (failure.status === 409) {
        // decided by someone else first: say so, close, and show the licence as it is now
        setConflict(failure.message);
        setOpen(null);
        refresh();
        return undefined;
      }
      return failure.errors;
    }
  };

  return (
    <TopToolbar>
      {kinds.map((kind) => (
        <Button
          key={kind}
          label={`licenses.${kind}.button`}
          color={kind === 'approve' ? 'success' : 'error'}
          variant="outlined"
          onClick={() => start(kind)}
          data-testid={`license-${kind}`}
        >
          {ICONS[kind]}
        </Button>
      ))}
      {open && (
        <DecisionDialog
          kind={open}
          open
          title={translate(`licenses.${open}.title`, { license_id: record.license_id })}
          defaults={defaults}
          onClose={() => setOpen(null)}
          onSubmit={(values) => submit(open, values)}
        />
      )}
    </TopToolbar>
  );
};

import AutorenewIcon from '@mui/icons-material/Autorenew';
import BlockIcon from '@mui/icons-material/Block';
import { Stack } from '@mui/material';
import { useContext, useState } from 'react';
import {
  Button,
  Confirm,
  useCanAccess,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import type { WriteKeyRecord } from '../../server/write-keys/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { ShowNewKeyContext } from './NewKeyDialog.tsx';
import { useCredentialResource } from './useCredentialResource.ts';

type Step = 'rotate' | 'revoke';

/**
 * Rotate and Revoke on an active key (write key or service token, by the resource of the list), each behind a confirmation. Clicks are kept inside (the dialogs are
 * portals, but React still bubbles their clicks to the row, which would open the edit page).
 */
export const WriteKeyActions = () => {
  const record = useRecordContext<WriteKeyRecord>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const refresh = useRefresh();
  const { resource, name, noun } = useCredentialResource();
  const { canAccess } = useCanAccess({ resource, action: 'rotate' });
  const [confirming, setConfirming] = useState<Step | null>(null);
  const [busy, setBusy] = useState(false);
  const showNewKey = useContext(ShowNewKeyContext);

  if (!record || !canAccess) return null;

  const run = async (step: Step) => {
    setBusy(true);
    try {
      if (step === 'rotate') showNewKey(await dataProvider.rotateCredential(resource, record.id));
      else {
        await dataProvider.revokeCredential(resource, record.id);
        notify('write_keys.revoke.done', { type: 'info', messageArgs: { name } });
      }
      refresh();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: only stops clicks reaching the row
    <span onClick={(event) => event.stopPropagation()}>
      {record.status === 'active' && (
        <Stack direction="row" spacing={1}>
          <Button
            label="write_keys.rotate.button"
            onClick={() => setConfirming('rotate')}
            data-testid={`rotate-write-key-${record.id}`}
          >
            <AutorenewIcon />
          </Button>
          <Button
            label="write_keys.revoke.button"
            color="error"
            onClick={() => setConfirming('revoke')}
            data-testid={`revoke-write-key-${record.id}`}
          >
            <BlockIcon />
          </Button>
        </Stack>
      )}
      <Confirm
        isOpen={confirming !== null}
        loading={busy}
        title={`write_keys.${confirming ?? 'rotate'}.title`}
        content={`write_keys.${confirming ?? 'rotate'}.content`}
        titleTranslateOptions={{ noun, label: record.label }}
        confirmColor="warning"
        onConfirm={() => confirming && run(confirming)}
        onClose={() => setConfirming(null)}
      />
    </span>
  );
};

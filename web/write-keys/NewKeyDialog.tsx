import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Stack,
  Tooltip,
} from '@mui/material';
import { createContext } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import type { z } from 'zod';
import type { newWriteKeySchema } from '../../server/write-keys/schemas.ts';
import { useCredentialResource } from './useCredentialResource.ts';

export type NewWriteKey = z.infer<typeof newWriteKeySchema>;

/**
 * Opens the list's new-key dialog. A row's Rotate hands its key up here rather than showing it itself: the
 * rotated row may leave the list (filtered by status) and would take the key with it before it is copied.
 */
export const ShowNewKeyContext = createContext<(writeKey: NewWriteKey) => void>(() => {});

/**
 * The one time a write key or service token is shown: after creating or rotating it. The key lives only in the state of the
 * page that opened this dialog; closing it drops the key for good.
 */
export const NewKeyDialog = ({
  writeKey,
  onClose,
}: {
  writeKey: NewWriteKey | null;
  onClose: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const { name } = useCredentialResource();
  const copy = async () => {
    if (!writeKey) return;
    try {
      await navigator.clipboard.writeText(writeKey.key);
      notify('write_keys.new_key.copied', { type: 'success' });
    } catch {
      // no clipboard (insecure context, denied): the key stays selectable on screen
    }
  };
  return (
    <Dialog open={writeKey !== null} onClose={onClose} data-testid="new-write-key" maxWidth="sm" fullWidth>
      {writeKey && (
        <>
          <DialogTitle>
            {translate('write_keys.new_key.title', { name, source: writeKey.source })}
          </DialogTitle>
          <DialogContent>
            <Stack spacing={2}>
              <Alert severity="warning">{translate('write_keys.new_key.warning')}</Alert>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Box
                  component="code"
                  data-testid="new-write-key-value"
                  sx={{
                    flex: 1,
                    p: 1,
                    fontFamily: 'monospace',
                    wordBreak: 'break-all',
                    bgcolor: 'action.hover',
                    borderRadius: 1,
                    userSelect: 'all',
                  }}
                >
                  {writeKey.key}
                </Box>
                <Tooltip title={translate('write_keys.new_key.copy')}>
                  <IconButton aria-label={translate('write_keys.new_key.copy')} onClick={copy}>
                    <ContentCopyIcon />
                  </IconButton>
                </Tooltip>
              </Stack>
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button variant="contained" onClick={onClose}>
              {translate('write_keys.new_key.done')}
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
};

import {
  Alert,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  Button as MuiButton,
  Stack,
} from '@mui/material';
import type { Identifier } from 'react-admin';
import { useTranslate } from 'react-admin';

/** one item of a bulk answer: done, or refused with the server's reason */
export interface BulkItemResult {
  id: Identifier;
  ok: boolean;
  message?: string | undefined;
}

/**
 * What a bulk action did to each selected record: a summary (how many done, how many refused) and the refused
 * ones by name with the server's reason. `testId` prefixes the dialog's test ids (`<testId>-result`,
 * `<testId>-result-summary`, `<testId>-refused-<id>`); the summary carries `data-<doneAttr>` and `data-refused`.
 */
export const BulkResultDialog = ({
  results,
  title,
  summary,
  nameOf,
  testId,
  doneAttr,
  onClose,
}: {
  /** null: closed */
  results: readonly BulkItemResult[] | null;
  title: string;
  summary: (done: number, refused: number) => string;
  nameOf: (id: Identifier) => string;
  testId: string;
  doneAttr: string;
  onClose: () => void;
}) => {
  const translate = useTranslate();
  const done = results?.filter((r) => r.ok) ?? [];
  const refused = results?.filter((r) => !r.ok) ?? [];
  return (
    <Dialog
      open={results !== null}
      onClose={onClose}
      data-testid={`${testId}-result`}
      maxWidth="sm"
      fullWidth
    >
      {results && (
        <>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>
            <Stack spacing={1}>
              <Alert
                severity={refused.length === 0 ? 'success' : done.length === 0 ? 'error' : 'warning'}
                data-testid={`${testId}-result-summary`}
                {...{ [`data-${doneAttr}`]: done.length }}
                data-refused={refused.length}
              >
                {summary(done.length, refused.length)}
              </Alert>
              {refused.length > 0 && (
                <List dense disablePadding>
                  {refused.map((r) => (
                    <ListItem key={r.id} data-testid={`${testId}-refused-${r.id}`} disableGutters>
                      <ListItemText
                        primary={nameOf(r.id)}
                        secondary={r.message ?? translate('ra.notification.http_error')}
                      />
                    </ListItem>
                  ))}
                </List>
              )}
            </Stack>
          </DialogContent>
          <DialogActions>
            <MuiButton variant="contained" onClick={onClose}>
              {translate('ra.action.close')}
            </MuiButton>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
};

import DownloadIcon from '@mui/icons-material/Download';
import VerifiedIcon from '@mui/icons-material/VerifiedUser';
import { Alert, Dialog, DialogActions, DialogContent, DialogTitle, Button as MuiButton } from '@mui/material';
import { useState } from 'react';
import {
  Button,
  CanAccess,
  FilterButton,
  TopToolbar,
  useDataProvider,
  useListContext,
  useTranslate,
} from 'react-admin';
import type { z } from 'zod';
import type { auditVerifySchema } from '../../server/audit/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';

/** GET /api/audit/export with the list's current filter: the browser downloads it, the cookie goes along */
export const auditExportUrl = (filter: Record<string, unknown>) =>
  `/api/audit/export?${new URLSearchParams({ filter: JSON.stringify(filter) })}`;

const ExportCsvButton = () => {
  const translate = useTranslate();
  const { filterValues } = useListContext();
  // a plain link: the server answers with Content-Disposition: attachment
  return (
    <MuiButton
      size="small"
      href={auditExportUrl(filterValues)}
      download
      startIcon={<DownloadIcon />}
      data-testid="audit-export"
    >
      {translate('audit.export')}
    </MuiButton>
  );
};

type VerifyResult = z.infer<typeof auditVerifySchema>;

const VerifyChainButton = () => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notifyError = useNotifyServerError();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    try {
      setResult(await dataProvider.verifyAudit());
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button label="audit.verify.button" onClick={verify} disabled={busy} data-testid="audit-verify">
        <VerifiedIcon />
      </Button>
      <Dialog open={result !== null} onClose={() => setResult(null)}>
        <DialogTitle>{translate('audit.verify.title')}</DialogTitle>
        <DialogContent>
          {result && (
            <Alert
              severity={result.ok ? 'success' : 'error'}
              data-testid="audit-verify-result"
              data-ok={result.ok}
            >
              {result.ok || !result.broken
                ? translate('audit.verify.ok', { checked: result.checked })
                : translate('audit.verify.broken', { ...result.broken, checked: result.checked })}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setResult(null)}>{translate('ra.action.close')}</MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
};

export const AuditActions = () => (
  <TopToolbar>
    <FilterButton />
    <VerifyChainButton />
    <CanAccess resource="audit" action="export" error={null}>
      <ExportCsvButton />
    </CanAccess>
  </TopToolbar>
);

import DownloadIcon from '@mui/icons-material/Download';
import {
  Alert,
  Box,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Button as MuiButton,
  Typography,
} from '@mui/material';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import {
  Button,
  CreateButton,
  FilterButton,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useFilterContext,
  useGetResourceLabel,
  useListContext,
  useNotify,
  useResourceDefinition,
  useTranslate,
} from 'react-admin';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { type CsvRow, collectPages, columnsOf, exportFileName, toCsv } from './csv.ts';

/** rows a page of the export asks the API for (the API takes up to 1000) */
export const EXPORT_PAGE_SIZE = 500;
/** the most rows one CSV export holds; a filter matching more is refused, never cut short */
export const EXPORT_CAP = 100_000;

/** hands the file to the browser as a download (a link to a Blob, clicked and dropped) */
export function downloadFile(fileName: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // after the click has been handled: revoking at once can cancel the download in some browsers
  setTimeout(() => URL.revokeObjectURL?.(url), 1000);
}

type State =
  | { step: 'idle' }
  | { step: 'reading'; fetched: number; total: number | undefined }
  | { step: 'refused'; total: number };

export interface CsvExportButtonProps {
  /** rows a page asks for */
  perPage?: number;
  /** the most rows one export may hold */
  cap?: number;
  /** fields never written, whatever the API answers */
  omit?: readonly string[];
  /** more to tell someone whose filter matches more than `cap` rows (read inside the list context) */
  tooManyHint?: ReactNode;
}

/**
 * Exports every row of the list's current filter and sort as CSV (web/layout/csv.ts): it pages through
 * dataProvider.getList until the API's total is reached, so nothing is dropped, showing how far it is with a
 * Cancel button. A filter matching more than `cap` rows is refused with a message instead of cut short. The
 * rows are the API's, masked on the server for the signed-in role as on screen: the file holds what the
 * screen shows. Shown only to those the resource's `export` action (web/authProvider.ts ACCESS) allows.
 */
export const CsvExportButton = ({
  perPage = EXPORT_PAGE_SIZE,
  cap = EXPORT_CAP,
  omit = [],
  tooManyHint,
}: CsvExportButtonProps) => {
  const { resource, filter, filterValues, sort, total } = useListContext();
  const { canAccess } = useCanAccess({ resource, action: 'export' });
  const dataProvider = useDataProvider();
  const translate = useTranslate();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const resourceLabel = useGetResourceLabel()(resource, 2);
  const [state, setState] = useState<State>({ step: 'idle' });
  const running = useRef<AbortController | null>(null);

  // leaving the page stops an export under way
  useEffect(() => () => running.current?.abort(), []);

  if (!canAccess) return null;

  const run = async () => {
    if (total !== undefined && total > cap) {
      setState({ step: 'refused', total });
      return;
    }
    const controller = new AbortController();
    running.current = controller;
    setState({ step: 'reading', fetched: 0, total });
    const query = { sort, filter: filter ? { ...filterValues, ...filter } : filterValues };
    try {
      const result = await collectPages(
        async (page) => {
          const { data, total: counted } = await dataProvider.getList(resource, {
            ...query,
            pagination: { page, perPage },
            signal: controller.signal,
          });
          return { data: data as CsvRow[], total: counted ?? data.length };
        },
        {
          perPage,
          cap,
          signal: controller.signal,
          onProgress: (fetched, counted) => setState({ step: 'reading', fetched, total: counted }),
        },
      );
      if (result.kind === 'too_many') {
        setState({ step: 'refused', total: result.total });
        return;
      }
      const fileName = exportFileName(resource);
      downloadFile(fileName, toCsv(result.rows, columnsOf(result.rows, omit)));
      setState({ step: 'idle' });
      const args = {
        count: result.rows.length.toLocaleString(),
        file: fileName,
        first: result.firstTotal.toLocaleString(),
        last: result.lastTotal.toLocaleString(),
      };
      if (result.changed) notify('exports.done_changed', { type: 'warning', messageArgs: args });
      else notify('exports.done', { type: 'success', messageArgs: args });
    } catch (error) {
      setState({ step: 'idle' });
      if (controller.signal.aborted) notify('exports.cancelled', { type: 'info' });
      else notifyError(error);
    } finally {
      if (running.current === controller) running.current = null;
    }
  };

  const cancel = () => running.current?.abort();
  const close = () => (state.step === 'reading' ? cancel() : setState({ step: 'idle' }));

  return (
    <>
      <Button
        label="exports.button"
        onClick={run}
        disabled={total === 0 || state.step === 'reading'}
        data-testid="csv-export"
      >
        <DownloadIcon />
      </Button>
      <Dialog
        open={state.step !== 'idle'}
        onClose={close}
        maxWidth="sm"
        fullWidth
        data-testid="csv-export-dialog"
      >
        <DialogTitle>{translate('exports.title', { resource: resourceLabel })}</DialogTitle>
        <DialogContent>
          {state.step === 'reading' && (
            <Box
              data-testid="csv-export-progress"
              data-fetched={state.fetched}
              data-total={state.total ?? ''}
            >
              <LinearProgress
                variant={state.total ? 'determinate' : 'indeterminate'}
                value={state.total ? Math.min(100, (100 * state.fetched) / state.total) : 0}
              />
              <Typography variant="body2" sx={{ mt: 1 }}>
                {state.total === undefined
                  ? translate('exports.starting')
                  : translate('exports.progress', {
                      fetched: state.fetched.toLocaleString(),
                      total: state.total.toLocaleString(),
                    })}
              </Typography>
            </Box>
          )}
          {state.step === 'refused' && (
            <Alert severity="warning" data-testid="csv-export-refused" data-total={state.total}>
              {translate('exports.too_many', {
                total: state.total.toLocaleString(),
                cap: cap.toLocaleString(),
              })}
              {tooManyHint && <Box sx={{ mt: 1 }}>{tooManyHint}</Box>}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          {state.step === 'reading' ? (
            <MuiButton onClick={cancel} data-testid="csv-export-cancel">
              {translate('ra.action.cancel')}
            </MuiButton>
          ) : (
            <MuiButton onClick={close}>{translate('ra.action.close')}</MuiButton>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
};

/**
 * A list's toolbar as react-admin's default one (the filter button when the list has filters, Create where
 * the resource has a create page and the user may), with the CSV export in place of the stock export.
 */
export const CsvListActions = ({ children, ...props }: CsvExportButtonProps & { children?: ReactNode }) => {
  const filters = useFilterContext();
  const { hasCreate } = useResourceDefinition();
  return (
    <TopToolbar>
      {filters && filters.length > 0 && <FilterButton />}
      {hasCreate && <CreateButton />}
      {children}
      <CsvExportButton {...props} />
    </TopToolbar>
  );
};

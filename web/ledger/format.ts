import { HttpError } from 'react-admin';

/** credits as people read them: at most two decimals (the ledger keeps cents), grouped */
export const formatCredits = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** a signed ledger amount: refunds with their plus sign, charges with their minus */
export const formatAmount = (n: number) => `${n > 0 ? '+' : ''}${formatCredits(n)}`;

/** a ledger entry's page: the platform's ids are free text (`charge:task_…`, `led_…`) */
export const ledgerPath = (id: string) => `/ledger/${encodeURIComponent(id)}/show`;

/** a task's page */
export const taskPath = (taskId: string) => `/tasks/${encodeURIComponent(taskId)}/show`;

/** a refused or failed request as a dialog shows it */
export interface ServerFailure {
  /** undefined when no answer came (network error) */
  status: number | undefined;
  message: string;
  /** the server's reasons by field */
  errors: Record<string, string> | undefined;
}

export function serverFailure(error: unknown): ServerFailure {
  const message = error instanceof Error && error.message ? error.message : 'ra.notification.http_error';
  if (!(error instanceof HttpError)) return { status: undefined, message, errors: undefined };
  const errors = (error.body as { errors?: Record<string, string> } | undefined)?.errors;
  return { status: error.status, message, errors };
}

/** the server's reasons for the fields a form has (to mark them), and whether some named another field */
export function splitErrors(errors: Record<string, string> | undefined, fields: readonly string[]) {
  const own = Object.entries(errors ?? {}).filter(([field]) => fields.includes(field));
  return {
    fieldErrors: own.length ? Object.fromEntries(own) : undefined,
    others: Object.keys(errors ?? {}).length > own.length,
  };
}

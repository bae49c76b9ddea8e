import { HttpError, useNotify } from 'react-admin';

/**
 * Shows the server's own message (409 stale version or name taken, 422 self-lockout, 403 …) as an error
 * notification. react-admin stays silent in pessimistic mode when the error body names fields (it only marks
 * them), and a custom data-provider call has no notification of its own.
 */
export function useNotifyServerError() {
  const notify = useNotify();
  return (error: unknown) => {
    const message = error instanceof Error && error.message ? error.message : 'ra.notification.http_error';
    notify(message, { type: 'error', messageArgs: { _: message } });
  };
}

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

import { useNotify } from 'react-admin';

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

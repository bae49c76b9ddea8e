import { Alert } from '@mui/material';
import { createContext, type ReactElement, type ReactNode, useState } from 'react';
import { Show } from 'react-admin';

/**
 * Where a record's page keeps the server's answer to an action that came too late (409: someone decided or
 * stepped it first, or its state no longer allows it): the actions report it through this context and it stays
 * on screen above the refreshed record until dismissed, rather than vanishing with the dialog.
 */
export const ConflictContext = createContext<(message: string | null) => void>(() => {});

/** a Show page whose actions may report such a conflict (the banner's test id is `testId`) */
export const ConflictShow = ({
  actions,
  testId,
  children,
}: {
  actions: ReactElement;
  testId: string;
  children: ReactNode;
}) => {
  const [conflict, setConflict] = useState<string | null>(null);
  return (
    <ConflictContext.Provider value={setConflict}>
      <Show actions={actions}>
        {conflict && (
          <Alert
            severity="warning"
            data-testid={testId}
            onClose={() => setConflict(null)}
            sx={{ m: 2, mb: 0 }}
          >
            {conflict}
          </Alert>
        )}
        {children}
      </Show>
    </ConflictContext.Provider>
  );
};

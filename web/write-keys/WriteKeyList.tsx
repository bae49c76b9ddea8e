import { Box } from '@mui/material';
import { useState } from 'react';
import { Datagrid, DateField, FunctionField, List, SelectInput, TextField } from 'react-admin';
import type { WriteKeyRecord } from '../../server/write-keys/schemas.ts';
import { teamChoices } from '../auth/roles.tsx';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvListActions } from '../layout/CsvExportButton.tsx';
import { NewKeyDialog, type NewWriteKey, ShowNewKeyContext } from './NewKeyDialog.tsx';
import { WriteKeyActions } from './WriteKeyActions.tsx';
import { WriteKeyStatus } from './WriteKeyStatus.tsx';

const statusChoices = [
  { id: 'active', name: 'write_keys.status.active' },
  { id: 'revoked', name: 'write_keys.status.revoked' },
];

const writeKeyFilters = [
  <SelectInput key="source" source="source" choices={teamChoices} alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} alwaysOn />,
];

/**
 * The list's rows carry no secret (the key is shown once, at creation; only its first characters are kept in
 * clear): should an answer ever carry one, the CSV leaves it out all the same.
 */
const NEVER_EXPORTED = ['key', 'key_hash'] as const;

/** the ingestion write keys or the service tokens (the page's resource); only their first characters are ever shown again */
export const WriteKeyList = () => {
  const [newKey, setNewKey] = useState<NewWriteKey | null>(null);
  return (
    <ShowNewKeyContext.Provider value={setNewKey}>
      <List
        filters={writeKeyFilters}
        sort={{ field: 'id', order: 'DESC' }}
        actions={<CsvListActions omit={NEVER_EXPORTED} />}
      >
        <Datagrid rowClick="edit" bulkActionButtons={false}>
          <TextField source="id" />
          <TextField source="source" />
          <TextField source="label" />
          <FunctionField<WriteKeyRecord>
            source="key_prefix"
            sortable={false}
            render={(record) => (
              <Box component="code" sx={{ fontFamily: 'monospace' }}>
                {record.key_prefix}…
              </Box>
            )}
          />
          <DateField source="created_at" showTime options={SHANGHAI} />
          <TextField source="created_by" sortable={false} />
          <FunctionField<WriteKeyRecord>
            source="status"
            sortable={false}
            render={(record) => <WriteKeyStatus status={record.status} />}
          />
          <FunctionField source="actions" sortable={false} render={() => <WriteKeyActions />} />
        </Datagrid>
      </List>
      <NewKeyDialog writeKey={newKey} onClose={() => setNewKey(null)} />
    </ShowNewKeyContext.Provider>
  );
};

import { useState } from 'react';
import {
  Create,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useDataProvider,
  useRedirect,
} from 'react-admin';
import { teamChoices } from '../auth/roles.tsx';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { NewKeyDialog, type NewWriteKey } from './NewKeyDialog.tsx';
import { useCredentialResource } from './useCredentialResource.ts';

/**
 * Creates a write key or service token (the page's resource) through the data provider's createCredential
 * (not the stock create, so the key never enters react-admin's cache) and shows it once; closing the dialog
 * goes back to the list.
 */
export const WriteKeyCreate = () => {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notifyError = useNotifyServerError();
  const redirect = useRedirect();
  const { resource } = useCredentialResource();
  const [created, setCreated] = useState<NewWriteKey | null>(null);

  const save = async (values: Record<string, unknown>) => {
    try {
      setCreated(
        await dataProvider.createCredential(resource, {
          source: String(values.source),
          label: String(values.label),
        }),
      );
    } catch (error) {
      notifyError(error);
      // the server's per-field reasons, shown on the inputs
      const body = (error as { body?: { errors?: Record<string, string> } }).body;
      return body?.errors;
    }
  };

  return (
    <Create>
      <SimpleForm onSubmit={save}>
        <SelectInput source="source" choices={teamChoices} validate={required()} />
        <TextInput source="label" validate={required()} />
      </SimpleForm>
      <NewKeyDialog
        writeKey={created}
        onClose={() => {
          setCreated(null);
          redirect('list', resource);
        }}
      />
    </Create>
  );
};

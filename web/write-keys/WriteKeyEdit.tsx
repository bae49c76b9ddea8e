import { Edit, required, SimpleForm, TextInput } from 'react-admin';
import { useNotifyServerError } from '../useNotifyServerError.ts';

/** only the label changes; a key's source is fixed and its secret is replaced by rotating */
export const WriteKeyEdit = () => {
  const onError = useNotifyServerError();
  return (
    <Edit
      mutationMode="pessimistic"
      transform={(data: { label?: string }) => ({ label: data.label })}
      mutationOptions={{ onError }}
    >
      <SimpleForm>
        <TextInput source="source" readOnly />
        <TextInput source="key_prefix" readOnly />
        <TextInput source="label" validate={required()} />
      </SimpleForm>
    </Edit>
  );
};

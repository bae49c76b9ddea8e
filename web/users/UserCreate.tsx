import { Create, minLength, PasswordInput, regex, required, SimpleForm, TextInput } from 'react-admin';
import { MIN_PASSWORD_LENGTH } from '../../server/users/schemas.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { RolesInput, TeamInput } from './userInputs.tsx';

/** as the server's userCreateSchema: 2–64 lowercase letters, digits, dots, dashes or underscores */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export const UserCreate = () => {
  const onError = useNotifyServerError();
  return (
    <Create redirect="list" mutationOptions={{ onError }}>
      <SimpleForm>
        <TextInput source="username" validate={[required(), regex(USERNAME)]} autoComplete="off" />
        <TextInput source="display_name" validate={required()} />
        <RolesInput validate={required()} />
        <TeamInput />
        <PasswordInput
          source="password"
          validate={[required(), minLength(MIN_PASSWORD_LENGTH)]}
          helperText="users.password_help"
          autoComplete="new-password"
        />
      </SimpleForm>
    </Create>
  );
};

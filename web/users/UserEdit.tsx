import { BooleanInput, Edit, minLength, PasswordInput, required, SimpleForm, TextInput } from 'react-admin';
import { MIN_PASSWORD_LENGTH, type UserRecord } from '../../server/users/schemas.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { RolesInput, TeamInput } from './userInputs.tsx';

/**
 * What PUT /api/users/:id takes: the editable fields and the version the form was read at (a stale one is
 * a 409); the password only when a new one was typed.
 */
export const toUserUpdate = (data: Partial<UserRecord> & { password?: string | null }) => ({
  display_name: data.display_name,
  roles: data.roles,
  team: data.team ?? null,
  disabled: data.disabled ?? false,
  version: data.version,
  ...(data.password ? { password: data.password } : {}),
});

export const UserEdit = () => {
  const onError = useNotifyServerError();
  return (
    <Edit mutationMode="pessimistic" transform={toUserUpdate} mutationOptions={{ onError }}>
      <SimpleForm>
        <TextInput source="username" readOnly />
        <TextInput source="display_name" validate={required()} />
        <RolesInput validate={required()} />
        <TeamInput />
        <BooleanInput source="disabled" />
        <PasswordInput
          source="password"
          validate={minLength(MIN_PASSWORD_LENGTH)}
          helperText="users.new_password_help"
          autoComplete="new-password"
        />
      </SimpleForm>
    </Edit>
  );
};

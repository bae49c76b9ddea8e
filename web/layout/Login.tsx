import { LoginForm, PasswordInput, Login as RaLogin, required, TextInput, useTranslate } from 'react-admin';

/**
 * react-admin's stock login page and form; only the inputs are spelled out, to give them fixed ids
 * (`#username`, `#password`) where the stock ones get generated ids, so end-to-end tests can find them.
 */
export const Login = () => {
  const translate = useTranslate();
  return (
    <RaLogin>
      <LoginForm>
        <TextInput
          id="username"
          source="username"
          label={translate('ra.auth.username')}
          autoComplete="username"
          validate={required()}
          autoFocus
        />
        <PasswordInput
          id="password"
          source="password"
          label={translate('ra.auth.password')}
          autoComplete="current-password"
          validate={required()}
        />
      </LoginForm>
    </RaLogin>
  );
};

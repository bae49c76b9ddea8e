import { useState } from 'react';
import { Admin, CustomRoutes, defaultDarkTheme, defaultLightTheme, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { alerts } from './alerts/index.ts';
import { audit } from './audit/index.ts';
import { createAuthProvider } from './authProvider.ts';
import { CompletenessDashboard } from './completeness/CompletenessDashboard.tsx';
import { MetricsBoard } from './dashboard/MetricsBoard.tsx';
import { dataProvider } from './dataProvider.ts';
import { enumProposals, enums } from './enums/index.ts';
import { events } from './events/index.ts';
import { i18nProvider } from './i18n/i18nProvider.ts';
import { Layout } from './layout/Layout.tsx';
import { Login } from './layout/Login.tsx';
import { ledger, ledgerAccounts } from './ledger/index.ts';
import { licenses } from './licenses/index.ts';
import { permissions } from './permissions/index.ts';
import { tasks } from './tasks/index.ts';
import { trackingPlan } from './tracking-plan/index.ts';
import { users } from './users/index.ts';
import { serviceTokens, writeKeys } from './write-keys/index.ts';

/**
 * Everything needs a session (requireAuth: signed out, only the login page renders). What a user may
 * use comes from the server's permissions through authProvider.canAccess; the server checks them again.
 */
export const App = () => {
  // one per mount: the signed-in user it keeps in memory never outlives this console
  const [authProvider] = useState(createAuthProvider);
  return (
    <Admin
      dataProvider={dataProvider}
      authProvider={authProvider}
      requireAuth
      i18nProvider={i18nProvider}
      theme={defaultLightTheme}
      darkTheme={defaultDarkTheme}
      layout={Layout}
      loginPage={Login}
      dashboard={CompletenessDashboard}
      disableTelemetry
    >
      <Resource name="events" {...events} />
      <Resource name="licenses" {...licenses} />
      <Resource name="alerts" {...alerts} />
      <Resource name="tasks" {...tasks} />
      <Resource name="ledger" {...ledger} />
      <Resource name="ledger-accounts" {...ledgerAccounts} />
      <Resource name="tracking-plan" {...trackingPlan} />
      <Resource name="enums" {...enums} />
      <Resource name="enum-proposals" {...enumProposals} />
      <Resource name="users" {...users} />
      <Resource name="write-keys" {...writeKeys} />
      <Resource name="service-tokens" {...serviceTokens} />
      <Resource name="audit" {...audit} />
      <Resource name="permissions" {...permissions} />
      <CustomRoutes>
        <Route path="/metrics" element={<MetricsBoard />} />
      </CustomRoutes>
    </Admin>
  );
};

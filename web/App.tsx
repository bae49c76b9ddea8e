import { Admin, defaultDarkTheme, defaultLightTheme, Resource } from 'react-admin';
import { CompletenessDashboard } from './completeness/CompletenessDashboard.tsx';
import { dataProvider } from './dataProvider.ts';
import { enums } from './enums/index.ts';
import { events } from './events/index.ts';
import { i18nProvider } from './i18n/i18nProvider.ts';
import { Layout } from './layout/Layout.tsx';
import { trackingPlan } from './tracking-plan/index.ts';

export const App = () => (
  <Admin
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    theme={defaultLightTheme}
    darkTheme={defaultDarkTheme}
    layout={Layout}
    dashboard={CompletenessDashboard}
    disableTelemetry
  >
    <Resource name="events" {...events} />
    <Resource name="tracking-plan" {...trackingPlan} />
    <Resource name="enums" {...enums} />
  </Admin>
);

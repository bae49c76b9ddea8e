import { render } from '@testing-library/react';
import { signInAs } from '../../mocks/access.ts';
import { server } from '../../mocks/node.ts';
import type { Role } from '../../server/auth/permissions.ts';
import { App } from '../../web/App.tsx';

/**
 * renders the whole console at a hash route, e.g. `#/events/3/show`, signed in as a mock user with the role
 * `as` (a data analyst, who reads everything, unless told otherwise), or signed out when `as` is null
 */
export function renderApp(hash = '#/', { as = 'data_analyst' }: { as?: Role | null } = {}) {
  if (as) signInAs(as);
  window.location.hash = hash;
  return render(<App />);
}

/** the list of API requests the mock server receives from now on, as URLs */
export function recordRequests(): URL[] {
  const urls: URL[] = [];
  server.events.on('request:start', ({ request }) => {
    urls.push(new URL(request.url));
  });
  return urls;
}

/** the parsed `filter` query parameter of a ra-data-simple-rest request */
export const filterOf = (url: URL): unknown => JSON.parse(url.searchParams.get('filter') ?? '{}');

/** an instant on a UTC+8 day, as an ISO string with the +08:00 offset */
export const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`;

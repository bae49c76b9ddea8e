import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { MOCK_PASSWORD, signOut } from '../../mocks/access.ts';
import { emptyDb, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { utc8Today } from '../../web/completeness/days.ts';
import { at, recordRequests, renderApp } from './helpers.tsx';

/** one landing_view of the engineer's team (frontend-build) and one risk_alert of another team */
function fixture(): MockDb {
  const db = emptyDb();
  recordEvent(db, {
    event: 'landing_view',
    event_id: 'lv-1',
    occurred_at: at(utc8Today()),
    source: 'frontend-build',
    properties: { user_id: 'a3f1'.repeat(8), session_id: 's1', source_channel: 'search', ab_bucket: 'A' },
    violations: [],
  });
  recordEvent(db, {
    event: 'risk_alert',
    event_id: 'ra-1',
    occurred_at: at(utc8Today()),
    source: 'operations-compliance',
    properties: {},
    violations: [],
  });
  return db;
}

const menuItem = (name: string) => screen.queryByRole('menuitem', { name });

describe('signing in', () => {
  beforeEach(() => server.use(...createHandlers(fixture())));

  it('signs in through the login form and lands on the dashboard', async () => {
    const user = userEvent.setup();
    const requests = recordRequests();
    const { container } = renderApp('#/', { as: null });

    // the login form's inputs, by the ids an end-to-end test uses
    const username = await screen.findByLabelText(/Username/);
    expect(username).toBe(container.querySelector('#username'));
    expect(screen.getByLabelText(/Password/)).toBe(container.querySelector('#password'));
    expect(requests.some((url) => url.pathname === '/api/events')).toBe(false);

    await user.type(username, 'planner');
    await user.type(screen.getByLabelText(/Password/), MOCK_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByTestId('live-status')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Event completeness' })).toBeInTheDocument();
    expect(requests.filter((url) => url.pathname === '/api/auth/login')).toHaveLength(1);
  });

  it('says the username or password is wrong, and stays on the login page', async () => {
    const user = userEvent.setup();
    renderApp('#/', { as: null });
    await user.type(await screen.findByLabelText(/Username/), 'planner');
    await user.type(screen.getByLabelText(/Password/), 'not-the-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('Invalid username or password')).toBeInTheDocument();
    expect(screen.getByLabelText(/Username/)).toBeInTheDocument();
    expect(screen.queryByTestId('live-status')).not.toBeInTheDocument();
  });

  it("shows the server's message when sign-in is throttled", async () => {
    const user = userEvent.setup();
    server.use(
      http.post('/api/auth/login', () =>
        HttpResponse.json(
          { message: 'too many failed sign-ins; try again in 15 minute(s)' },
          { status: 429, headers: { 'Retry-After': '900' } },
        ),
      ),
    );
    renderApp('#/', { as: null });
    await user.type(await screen.findByLabelText(/Username/), 'planner');
    await user.type(screen.getByLabelText(/Password/), MOCK_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(
      await screen.findByText('too many failed sign-ins; try again in 15 minute(s)'),
    ).toBeInTheDocument();
  });
});

describe('the menu', () => {
  beforeEach(() => server.use(...createHandlers(fixture())));

  it('shows an engineer what engineers may use, and not users, write keys or the audit log', async () => {
    renderApp('#/tracking-plan', { as: 'engineer' });
    expect(await screen.findByRole('menuitem', { name: 'Permissions' })).toBeInTheDocument();
    for (const name of ['Completeness', 'Events', 'Tracking plan', 'Enums'])
      expect(menuItem(name), name).toBeInTheDocument();
    for (const name of ['Users', 'Write keys', 'Audit log']) expect(menuItem(name), name).toBeNull();
    // the ids end-to-end tests use
    expect(screen.getByTestId('menu-dashboard')).toHaveAttribute('href', '#/');
    expect(screen.getByTestId('menu-permissions')).toHaveAttribute('href', '#/permissions');
    expect(screen.queryByTestId('menu-users')).toBeNull();
  });

  it('shows an admin users, write keys and the audit log', async () => {
    renderApp('#/tracking-plan', { as: 'admin' });
    expect(await screen.findByRole('menuitem', { name: 'Users' })).toBeInTheDocument();
    expect(menuItem('Write keys')).toBeInTheDocument();
    expect(menuItem('Audit log')).toBeInTheDocument();
    expect(menuItem('Permissions')).toBeInTheDocument();
  });

  it('shows the access-denied page for a page the role may not use', async () => {
    renderApp('#/users', { as: 'engineer' });
    expect(await screen.findByText(/right permissions to access this page/)).toBeInTheDocument();
    expect(screen.queryByText('admin')).not.toBeInTheDocument();
  });
});

describe('the session', () => {
  beforeEach(() => server.use(...createHandlers(fixture())));

  it('sends the user back to the login page when an API call answers 401', async () => {
    const user = userEvent.setup();
    renderApp('#/tracking-plan', { as: 'product_planner' });
    await screen.findByText('landing_view');

    // the session ends on the server (expired, or signed out elsewhere)
    signOut();
    await user.click(screen.getByRole('menuitem', { name: 'Enums' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Username/)).toBeInTheDocument();
    expect(menuItem('Enums')).toBeNull();
  });

  it('keeps the user signed in when the server refuses one thing (403)', async () => {
    const user = userEvent.setup();
    server.use(
      http.get('/api/enums', () =>
        HttpResponse.json({ message: 'your role may not do this (needs enums:read)' }, { status: 403 }),
      ),
    );
    renderApp('#/tracking-plan', { as: 'product_planner' });
    await screen.findByText('landing_view');
    await user.click(screen.getByRole('menuitem', { name: 'Enums' }));

    expect(await screen.findByText('your role may not do this (needs enums:read)')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument();
    expect(menuItem('Tracking plan')).toBeInTheDocument();
  });

  it('signs out through the user menu; the next user sees only what they may use', async () => {
    const user = userEvent.setup();
    const requests = recordRequests();
    renderApp('#/tracking-plan', { as: 'admin' });
    await screen.findByText('landing_view');
    expect(await screen.findByRole('menuitem', { name: 'Users' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Profile' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Logout' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(requests.some((url) => url.pathname === '/api/auth/logout')).toBe(true);

    await user.type(screen.getByLabelText(/Username/), 'engineer');
    await user.type(screen.getByLabelText(/Password/), MOCK_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('menuitem', { name: 'Permissions' })).toBeInTheDocument();
    expect(menuItem('Users')).toBeNull();
    expect(menuItem('Audit log')).toBeNull();
  });
});

describe('what the server lets each role read', () => {
  beforeEach(() => server.use(...createHandlers(fixture())));

  it('shows an engineer the hashed ids masked', async () => {
    renderApp('#/events/1/show', { as: 'engineer' });
    const masked = await screen.findByTestId('property-user_id');
    expect(masked).toHaveTextContent('"a3f1••••••"');
    expect(masked).not.toHaveTextContent('a3f1a3f1');
  });

  it('lists only the engineer team’s events', async () => {
    renderApp('#/events', { as: 'engineer' });
    expect(await screen.findByText('lv-1')).toBeInTheDocument();
    expect(screen.queryByText('ra-1')).not.toBeInTheDocument();
  });

  it('shows a data analyst the ids in clear', async () => {
    renderApp('#/events/1/show', { as: 'data_analyst' });
    const clear = await screen.findByTestId('property-user_id');
    expect(clear).toHaveTextContent(`"${'a3f1'.repeat(8)}"`);
    expect(clear).not.toHaveTextContent('••••••');
  });
});

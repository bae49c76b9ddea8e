import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { updateUser } from '../../mocks/access.ts';
import { emptyDb, type MockDb } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { renderApp } from './helpers.tsx';

/** the JSON bodies the mock receives for `METHOD /path` from now on */
function recordBodies(method: string, path: string): unknown[] {
  const bodies: unknown[] = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method === method && new URL(request.url).pathname === path)
      bodies.push(await request.clone().json());
  });
  return bodies;
}

describe('users', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });

  it('lists the users with their roles translated and their team', async () => {
    renderApp('#/users', { as: 'admin' });
    const engineer = (await screen.findByText('Engineer Zhou')).closest('tr') as HTMLElement;
    expect(within(engineer).getByTestId('role-engineer')).toHaveTextContent('Engineer');
    expect(engineer).toHaveTextContent('frontend-build');
    const planner2 = screen.getByText('Planner Yang (lead)').closest('tr') as HTMLElement;
    expect(within(planner2).getByTestId('role-data_analyst')).toHaveTextContent('Data analyst');
  });

  it('asks for a team before creating an engineer, then creates them', async () => {
    const user = userEvent.setup();
    const bodies = recordBodies('POST', '/api/users');
    renderApp('#/users/create', { as: 'admin' });

    await user.type(await screen.findByRole('textbox', { name: 'Username' }), 'newbie');
    await user.type(screen.getByRole('textbox', { name: 'Display name' }), 'New Bie');
    await user.click(screen.getByRole('combobox', { name: 'Roles' }));
    await user.click(await screen.findByRole('option', { name: 'Engineer' }));
    await user.keyboard('{Escape}');
    await user.type(screen.getByLabelText(/^Password/), 'long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/An engineer needs a team/)).toBeInTheDocument();
    expect(bodies).toHaveLength(0);

    await user.click(screen.getByRole('combobox', { name: 'Team' }));
    await user.click(await screen.findByRole('option', { name: 'platform-integration' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('New Bie')).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        username: 'newbie',
        display_name: 'New Bie',
        roles: ['engineer'],
        team: 'platform-integration',
        password: 'long-enough-password',
      },
    ]);
    expect(db.users.at(-1)).toMatchObject({ username: 'newbie', team: 'platform-integration' });
  });

  it('sends the version it read, and shows the server’s message when someone changed the user meanwhile', async () => {
    const user = userEvent.setup();
    const bodies = recordBodies('PUT', '/api/users/3');
    renderApp('#/users/3', { as: 'admin' });
    const name = await screen.findByRole('textbox', { name: 'Display name' });
    await waitFor(() => expect(name).toHaveValue('Ops Wang'));

    // another admin saves first
    updateUser(db, 3, { display_name: 'Ops Wang Sr.', version: 1 }, null);

    await user.clear(name);
    await user.type(name, 'Ops Wang Jr.');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText('user ops was changed by someone else (version 2); reload and try again'),
    ).toBeInTheDocument();
    expect(bodies).toEqual([
      { display_name: 'Ops Wang Jr.', roles: ['ops'], team: null, disabled: false, version: 1 },
    ]);
    expect(db.users.find((u) => u.id === 3)?.display_name).toBe('Ops Wang Sr.');
  });

  it('shows the server’s refusal when an admin would lock themself out', async () => {
    const user = userEvent.setup();
    renderApp('#/users/9', { as: 'admin' });
    const disabled = await screen.findByRole('switch', { name: 'Disabled' });
    await user.click(disabled);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('you cannot disable yourself or take away your own admin role'),
    ).toBeInTheDocument();
    expect(db.users.find((u) => u.id === 9)?.disabled).toBe(false);
  });

  it('sends a new password when one was typed', async () => {
    const user = userEvent.setup();
    const bodies = recordBodies('PUT', '/api/users/1');
    renderApp('#/users/1', { as: 'admin' });
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Display name' })).toHaveValue('Reviewer Li'),
    );
    await user.type(screen.getByLabelText(/^Password/), 'a-new-long-password');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Element updated')).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        display_name: 'Reviewer Li',
        roles: ['compliance_reviewer'],
        team: null,
        disabled: false,
        version: 1,
        password: 'a-new-long-password',
      },
    ]);
    expect(db.passwords.get(1)).toBe('a-new-long-password');
  });
});

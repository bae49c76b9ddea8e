import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyDb, type MockDb } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { recordRequests, renderApp } from './helpers.tsx';

/** the API calls the mock receives from now on, as `METHOD /path` */
function recordCalls(): string[] {
  const calls: string[] = [];
  server.events.on('request:start', ({ request }) => {
    calls.push(`${request.method} ${new URL(request.url).pathname}`);
  });
  return calls;
}

describe('write keys', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });

  it('lists the keys by their prefix only, with their status', async () => {
    renderApp('#/write-keys', { as: 'admin' });
    const row = (await screen.findByText('demo frontend-build')).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('demo-fro…');
    expect(row).not.toHaveTextContent('demo-frontend-build…');
    expect(within(row).getByTestId('write-key-status-active')).toHaveClass('MuiChip-colorSuccess');
  });

  it('shows a new key once, and it is gone after the dialog is closed', async () => {
    const user = userEvent.setup();
    const calls = recordCalls();
    renderApp('#/write-keys/create', { as: 'admin' });

    await user.click(await screen.findByRole('combobox', { name: 'Source team' }));
    await user.click(await screen.findByRole('option', { name: 'platform-integration' }));
    await user.type(screen.getByRole('textbox', { name: 'Label' }), 'ci ingest');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByTestId('new-write-key');
    const key = within(dialog).getByTestId('new-write-key-value').textContent ?? '';
    expect(key).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
    expect(dialog).toHaveTextContent('it will not be shown again');
    expect(calls).toContain('POST /api/write-keys');
    const created = db.writeKeys.at(-1);
    expect(created).toMatchObject({
      source: 'platform-integration',
      label: 'ci ingest',
      key_prefix: key.slice(0, 8),
    });

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));

    // back on the list, which shows the new key by its prefix and nowhere in full
    expect(await screen.findByText('ci ingest')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('new-write-key')).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent(key);
    expect(screen.getByText(`${key.slice(0, 8)}…`)).toBeInTheDocument();
  });

  it('rotates a key only after confirmation, then shows the new key once', async () => {
    const user = userEvent.setup();
    const calls = recordCalls();
    renderApp('#/write-keys', { as: 'admin' });
    await screen.findByText('demo frontend-build');

    await user.click(await screen.findByTestId('rotate-write-key-1'));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('Rotate the write key “demo frontend-build”?');
    expect(calls).not.toContain('POST /api/write-keys/1/rotate');

    await user.click(within(confirm).getByRole('button', { name: 'Confirm' }));
    const dialog = await screen.findByTestId('new-write-key');
    const key = within(dialog).getByTestId('new-write-key-value').textContent ?? '';
    expect(calls).toContain('POST /api/write-keys/1/rotate');
    expect(db.writeKeys.find((k) => k.id === 1)).toMatchObject({ status: 'revoked', replaced_by: 4 });
    expect(db.writeKeys.find((k) => k.id === 4)?.key_prefix).toBe(key.slice(0, 8));
    // the confirmation did not open the row's edit page
    expect(window.location.hash).toBe('#/write-keys');

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByTestId('new-write-key')).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent(key);
    const old = screen.getByTestId('write-key-status-revoked').closest('tr') as HTMLElement;
    expect(old).toHaveTextContent('demo-fro…');
  });

  it('keeps the new key on screen when the rotated key leaves a list filtered to active keys', async () => {
    const user = userEvent.setup();
    renderApp(`#/write-keys?${new URLSearchParams({ filter: JSON.stringify({ status: 'active' }) })}`, {
      as: 'admin',
    });
    await user.click(await screen.findByTestId('rotate-write-key-1'));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirm' }));

    const dialog = await screen.findByTestId('new-write-key');
    // the list has refreshed without the revoked key, and the new key is still there to copy
    await waitFor(() => expect(screen.queryByTestId('rotate-write-key-1')).not.toBeInTheDocument());
    expect(await screen.findByTestId('rotate-write-key-4')).toBeInTheDocument();
    expect(within(dialog).getByTestId('new-write-key-value')).toHaveTextContent(/^wk_/);
  });

  it('revokes a key after confirmation; cancelling changes nothing', async () => {
    const user = userEvent.setup();
    const requests = recordRequests();
    renderApp('#/write-keys', { as: 'admin' });
    await screen.findByText('demo platform-integration');

    await user.click(await screen.findByTestId('revoke-write-key-2'));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(db.writeKeys.find((k) => k.id === 2)?.status).toBe('active');

    await user.click(screen.getByTestId('revoke-write-key-2'));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Write key revoked')).toBeInTheDocument();
    expect(requests.filter((url) => url.pathname === '/api/write-keys/2/revoke')).toHaveLength(1);
    expect(db.writeKeys.find((k) => k.id === 2)?.status).toBe('revoked');
    await waitFor(() => expect(screen.queryByTestId('revoke-write-key-2')).not.toBeInTheDocument());
  });

  it('changes a key’s label', async () => {
    const user = userEvent.setup();
    renderApp('#/write-keys/3', { as: 'admin' });
    const label = await screen.findByRole('textbox', { name: 'Label' });
    await waitFor(() => expect(label).toHaveValue('demo operations-compliance'));
    await user.clear(label);
    await user.type(label, 'compliance tooling');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('compliance tooling')).toBeInTheDocument();
    expect(db.writeKeys.find((k) => k.id === 3)?.label).toBe('compliance tooling');
  });
});

describe('service tokens', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });

  it('are in the menu for an admin, and a new token (`st_…`) is shown once', async () => {
    const user = userEvent.setup();
    const calls = recordCalls();
    renderApp('#/service-tokens', { as: 'admin' });

    expect(await screen.findByTestId('menu-service-tokens')).toHaveAttribute('href', '#/service-tokens');
    const demo = (await screen.findByText('demo licence check')).closest('tr') as HTMLElement;
    expect(demo).toHaveTextContent('platform-integration');
    expect(demo).toHaveTextContent('demo-pla…');

    await user.click(screen.getByRole('link', { name: 'Create' }));
    await user.click(await screen.findByRole('combobox', { name: 'Source team' }));
    await user.click(await screen.findByRole('option', { name: 'platform-integration' }));
    await user.type(screen.getByRole('textbox', { name: 'Label' }), 'licence check v2');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByTestId('new-write-key');
    expect(dialog).toHaveTextContent('Service token for platform-integration');
    const key = within(dialog).getByTestId('new-write-key-value').textContent ?? '';
    expect(key).toMatch(/^st_[A-Za-z0-9_-]{32}$/);
    expect(calls).toContain('POST /api/service-tokens');
    expect(calls).not.toContain('POST /api/write-keys');
    expect(db.serviceTokens.at(-1)).toMatchObject({ label: 'licence check v2', key_prefix: key.slice(0, 8) });
    // a service token is not a write key
    expect(db.writeKeys.map((k) => k.label)).not.toContain('licence check v2');

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(await screen.findByText('licence check v2')).toBeInTheDocument();
    expect(window.location.hash).toBe('#/service-tokens');
    await waitFor(() => expect(screen.queryByTestId('new-write-key')).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent(key);
  });

  it('revokes a token through its own endpoint, naming it a service token', async () => {
    const user = userEvent.setup();
    const calls = recordCalls();
    renderApp('#/service-tokens', { as: 'admin' });
    await screen.findByText('demo licence check');

    await user.click(await screen.findByTestId('revoke-write-key-1'));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('Revoke the service token “demo licence check”?');
    await user.click(within(confirm).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Service token revoked')).toBeInTheDocument();
    expect(calls).toContain('POST /api/service-tokens/1/revoke');
    expect(db.serviceTokens[0]?.status).toBe('revoked');
    expect(db.writeKeys.find((k) => k.id === 1)?.status).toBe('active');
  });

  it('are not in the menu of a non-admin', async () => {
    renderApp('#/', { as: 'compliance_reviewer' });
    expect(await screen.findByTestId('menu-licenses')).toBeInTheDocument();
    expect(screen.queryByTestId('menu-service-tokens')).toBeNull();
    expect(screen.queryByTestId('menu-write-keys')).toBeNull();
  });
});

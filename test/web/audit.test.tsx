import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyDb, type MockDb } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { diffRows } from '../../web/audit/diff.ts';
import { renderApp } from './helpers.tsx';

describe('audit log', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });

  it('lists the newest entries first with their outcome in colour', async () => {
    renderApp('#/audit', { as: 'admin' });
    const update = (await screen.findByText('user.update')).closest('tr') as HTMLElement;
    expect(within(update).getByTestId('outcome-success')).toHaveClass('MuiChip-colorSuccess');
    const actions = screen.getAllByText(/^(user|write_key)\./).map((cell) => cell.textContent);
    expect(actions[0]).toBe('user.update');
    expect(actions.at(-1)).toBe('user.create');
  });

  it('shows an entry’s before and after as a table with the changed fields highlighted', async () => {
    const row = db.audit.find((r) => r.action === 'user.update');
    renderApp(`#/audit/${row?.id}/show`, { as: 'admin' });

    const name = await screen.findByTestId('audit-diff-display_name');
    expect(name).toHaveAttribute('data-changed', 'true');
    expect(name).toHaveTextContent('Planner Yang');
    expect(name).toHaveTextContent('Planner Yang (lead)');
    expect(screen.getByTestId('audit-diff-roles')).toHaveAttribute('data-changed', 'true');
    expect(screen.getByTestId('audit-diff-version')).toHaveAttribute('data-changed', 'true');
    const username = screen.getByTestId('audit-diff-username');
    expect(username).toHaveAttribute('data-changed', 'false');
    expect(username).toHaveTextContent('planner2');
    // nested values as pretty JSON
    const [before, after] = screen.getByTestId('audit-diff-roles').querySelectorAll('pre');
    expect(before).toHaveTextContent('[ "product_planner" ]');
    expect(after).toHaveTextContent('[ "product_planner", "data_analyst" ]');
  });

  it('verifies the hash chain: intact, then broken at the row that was edited', async () => {
    const user = userEvent.setup();
    renderApp('#/audit', { as: 'admin' });
    await screen.findByText('user.update');

    await user.click(screen.getByRole('button', { name: 'Verify chain' }));
    const intact = await screen.findByTestId('audit-verify-result');
    expect(intact).toHaveTextContent(`Chain intact: ${db.audit.length} rows checked`);
    expect(intact).toHaveAttribute('data-ok', 'true');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId('audit-verify-result')).not.toBeInTheDocument());

    // someone edits row 5 behind the log's back
    const edited = db.audit[4];
    if (edited) edited.reason = 'nothing to see here';
    await user.click(await screen.findByRole('button', { name: 'Verify chain' }));
    const broken = await screen.findByTestId('audit-verify-result');
    expect(broken).toHaveTextContent(
      'Chain broken at row 5: its content does not match its hash (4 rows before it are intact)',
    );
    expect(broken).toHaveAttribute('data-ok', 'false');
    expect(broken).toHaveClass('MuiAlert-colorError');
  });

  it('exports the current filter as CSV', async () => {
    const user = userEvent.setup();
    renderApp('#/audit', { as: 'admin' });
    await screen.findByText('user.update');
    const exportLink = await screen.findByRole('link', { name: 'Export CSV' });
    expect(exportLink).toHaveAttribute('href', '/api/audit/export?filter=%7B%7D');

    await user.click(screen.getByRole('combobox', { name: 'Outcome' }));
    await user.click(await screen.findByRole('option', { name: 'Denied' }));
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
        'href',
        `/api/audit/export?${new URLSearchParams({ filter: JSON.stringify({ outcome: 'denied' }) })}`,
      ),
    );

    const csv = await fetch(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href') ?? '');
    expect(csv.headers.get('Content-Type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'id,at,actor,action,resource,resource_id,outcome,reason,request_id,ip,before,after,hash',
    );
  });

  it('sends a UTC+8 day range as instants', async () => {
    const user = userEvent.setup();
    const asked: unknown[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/audit') asked.push(JSON.parse(url.searchParams.get('filter') ?? '{}'));
    });
    renderApp('#/audit', { as: 'admin' });
    await screen.findByText('user.update');
    const from = screen.getByLabelText('From day');
    await user.type(from, '2026-01-06');
    await user.tab();
    await waitFor(() => expect(asked.at(-1)).toEqual({ at_gte: '2026-01-05T16:00:00.000Z' }));
    // the seeded users and keys were made on 5 January (UTC+8), the one change on the 6th
    await waitFor(() => expect(screen.queryByText('user.create')).not.toBeInTheDocument());
    expect(screen.getByText('user.update')).toBeInTheDocument();
  });
});

describe('audit diff', () => {
  it('compares records field by field, a missing side as absent', () => {
    expect(diffRows(null, { a: 1 })).toEqual([{ key: 'a', before: undefined, after: 1, changed: true }]);
    expect(diffRows({ a: 1, b: [1] }, { a: 1, b: [1, 2] })).toEqual([
      { key: 'a', before: 1, after: 1, changed: false },
      { key: 'b', before: [1], after: [1, 2], changed: true },
    ]);
    expect(diffRows({ a: { x: 1 } }, { a: { x: 1 } })[0]?.changed).toBe(false);
    expect(diffRows('x', 'y')).toEqual([{ key: '', before: 'x', after: 'y', changed: true }]);
    expect(diffRows(null, null)).toEqual([]);
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyDb, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { utc8Today } from '../../web/completeness/days.ts';
import { at, filterOf, recordRequests, renderApp } from './helpers.tsx';

const today = utc8Today();

const riskAlert = (properties: Record<string, unknown>) => ({
  alert_id: 'al_1',
  task_id: 'task_1',
  risk_level: 'high',
  policy_tag: 'C2',
  action_required: 'escalate_review',
  escalation_level: 'ops_review',
  ...properties,
});

/** three risk alerts: one valid, one with an unknown policy tag, one D3 escalated too low and no task id */
function fixture(): MockDb {
  const db = emptyDb();
  const alert = (
    event_id: string,
    properties: Record<string, unknown>,
    violations: (typeof db.events)[0]['violations'],
  ) =>
    recordEvent(db, {
      event: 'risk_alert',
      event_id,
      occurred_at: at(today),
      source: 'compliance',
      properties,
      violations,
    });
  alert('alert-ok', riskAlert({}), []);
  alert('alert-enum', riskAlert({ policy_tag: 'Z9' }), [{ field: 'policy_tag', rule: 'out_of_enum' }]);
  const { task_id: _, ...withoutTask } = riskAlert({ policy_tag: 'D3' });
  alert('alert-d3', withoutTask, [
    { field: 'task_id', rule: 'missing' },
    { field: 'escalation_level', rule: 'escalation_below_policy' },
  ]);
  return db;
}

describe('events', () => {
  beforeEach(() => server.use(...createHandlers(fixture())));

  it('lists the stored events, newest first, with their violations as chips', async () => {
    renderApp('#/events');
    const row = (await screen.findByText('alert-enum')).closest('tr') as HTMLElement;
    expect(within(row).getByText('policy_tag: Out of enum')).toBeInTheDocument();
    expect(
      within(screen.getByText('alert-ok').closest('tr') as HTMLElement).getByText('Valid'),
    ).toBeInTheDocument();
    const ids = screen.getAllByText(/^alert-/).map((cell) => cell.textContent);
    expect(ids).toEqual(['alert-d3', 'alert-enum', 'alert-ok']);
  });

  it('asks the API for the chosen rule when filtering by rule', async () => {
    const user = userEvent.setup();
    const requests = recordRequests();
    renderApp('#/events');
    await screen.findByText('alert-ok');

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    await user.click(await screen.findByRole('menuitemcheckbox', { name: 'Rule' }));
    await user.click(await screen.findByRole('combobox', { name: 'Rule' }));
    await user.click(await screen.findByRole('option', { name: 'Escalation below policy' }));

    await waitFor(() => expect(screen.queryByText('alert-ok')).not.toBeInTheDocument());
    expect(screen.getByText('alert-d3')).toBeInTheDocument();
    expect(screen.queryByText('alert-enum')).not.toBeInTheDocument();
    const filters = requests.filter((url) => url.pathname === '/api/events').map(filterOf);
    expect(filters.at(-1)).toEqual({ rule: 'escalation_below_policy' });
  });

  it('shows an event with its violating properties marked in red and the rule named', async () => {
    renderApp('#/events/3/show');
    const level = await screen.findByTestId('property-escalation_level');
    expect(level).toHaveAttribute('data-violation', 'true');
    expect(within(level).getByText('Escalation below policy')).toBeInTheDocument();

    const task = screen.getByTestId('property-task_id');
    expect(task).toHaveAttribute('data-violation', 'true');
    expect(within(task).getByText('(not present)')).toBeInTheDocument();
    expect(within(task).getByText('Missing')).toBeInTheDocument();

    const tag = screen.getByTestId('property-policy_tag');
    expect(tag).toHaveAttribute('data-violation', 'false');
    expect(tag).toHaveTextContent('"D3"');
  });
});

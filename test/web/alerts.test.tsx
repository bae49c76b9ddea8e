import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { z } from 'zod';
import { signInAs } from '../../mocks/access.ts';
import { type StoredAlert, stepAlert } from '../../mocks/alerts.ts';
import { emptyDb, generateDb, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { type AlertRecord, alertBulkResultSchema, alertSchema } from '../../server/alerts/schemas.ts';
import { errorBodySchema } from '../../server/http/schemas.ts';
import { filterOf, renderApp } from './helpers.tsx';

const HOUR_MS = 3_600_000;
const ACCOUNT = 'a3f1'.repeat(8);

/** stores one event `hoursAgo`, as the platform would have sent it */
function record(db: MockDb, event: string, hoursAgo: number, properties: Record<string, unknown>) {
  recordEvent(db, {
    event,
    event_id: `${event}-${db.events.length + 1}`,
    occurred_at: new Date(Date.now() - hoursAgo * HOUR_MS).toISOString(),
    source: event === 'risk_alert' ? 'operations-compliance' : 'platform-integration',
    properties,
    violations: [],
  });
}

/** a risk_alert `hoursAgo`, which opens an alert in the inbox (id 1, 2, … in the order raised) */
function raise(
  db: MockDb,
  {
    hoursAgo,
    risk = 'high',
    tag = 'D1',
    level = 'ops_review',
    task = `task_${db.alerts.length + 1}`,
  }: { hoursAgo: number; risk?: string; tag?: string; level?: string; task?: string },
): StoredAlert {
  record(db, 'risk_alert', hoursAgo, {
    alert_id: `al-${db.alerts.length + 1}`,
    task_id: task,
    risk_level: risk,
    policy_tag: tag,
    action_required: 'remove_asset',
    escalation_level: level,
  });
  return db.alerts.at(-1) as StoredAlert;
}

/** the second mock reviewer, working an alert behind the first one's back */
const reviewer2 = { id: 2, username: 'reviewer2' };

/** the bodies of the POSTs the mock receives from now on, by path */
function recordPosts(): Array<{ path: string; body: unknown }> {
  const posts: Array<{ path: string; body: unknown }> = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method !== 'POST') return;
    const entry = { path: new URL(request.url).pathname, body: undefined as unknown };
    posts.push(entry);
    entry.body = await request.clone().json();
  });
  return posts;
}

/** types a note into the step dialog's note field (pasted: typing it key by key is slow in jsdom) */
async function writeNote(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, text: string) {
  await user.click(within(dialog).getByLabelText(/Note/));
  await user.paste(text);
}

const rowIds = () => screen.getAllByTestId(/^alert-row-/).map((row) => row.dataset.testid);
const row = (id: number) => screen.getByTestId(`alert-row-${id}`);

async function pick(
  user: ReturnType<typeof userEvent.setup>,
  scope: HTMLElement,
  field: string,
  option: string,
) {
  await user.click(within(scope).getByRole('combobox', { name: field }));
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('risk alert inbox', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });

  it('lists open alerts first, high risk first and oldest first, in the risk colours, with task and licence', async () => {
    const requests: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/alerts') requests.push(url);
    });
    // the licence the task ran under: the account's application for the template
    record(db, 'license_apply', 50, {
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      is_fast_track: false,
      persona_tag: 'creator_studio',
      policy_tag: 'A1',
    });
    record(db, 'task_start', 40, {
      task_id: 'task 7/a',
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      estimated_credits: 10,
      queue_type: 'standard',
    });
    raise(db, { hoursAgo: 30, risk: 'low', tag: 'A1', level: 'none' }); // 1: open, low
    raise(db, { hoursAgo: 2, risk: 'high', task: 'task 7/a' }); // 2: open, high, newer
    raise(db, { hoursAgo: 20, risk: 'medium', tag: 'B2' }); // 3: open, medium
    raise(db, { hoursAgo: 10, risk: 'high', tag: 'D3', level: 'ops_review' }); // 4: open, high, raised to committee
    const acknowledged = raise(db, { hoursAgo: 40, risk: 'high' }); // 5: acknowledged
    stepAlert(db, acknowledged.id, 1, 'acknowledge', 'on it', reviewer2);
    const resolved = raise(db, { hoursAgo: 50, risk: 'high' }); // 6: resolved
    stepAlert(db, resolved.id, 1, 'resolve', 'false alarm', reviewer2);

    renderApp('#/alerts', { as: 'compliance_reviewer' });
    await screen.findByTestId('alert-row-6');
    expect(rowIds()).toEqual([
      'alert-row-4',
      'alert-row-2',
      'alert-row-3',
      'alert-row-1',
      'alert-row-5',
      'alert-row-6',
    ]);
    expect(JSON.parse(requests[0]?.searchParams.get('sort') ?? '')).toEqual(['inbox', 'ASC']);

    expect(within(row(2)).getByTestId('risk-high')).toHaveClass('MuiChip-colorError');
    expect(within(row(2)).getByTestId('risk-high')).toHaveTextContent('High');
    expect(within(row(3)).getByTestId('risk-medium')).toHaveClass('MuiChip-colorWarning');
    expect(within(row(1)).getByTestId('risk-low')).toHaveClass('MuiChip-colorSuccess');
    // the same colours as the policy tags of the licence queue
    expect(within(row(3)).getByTestId('policy-tag-B2')).toHaveClass('MuiChip-colorWarning');

    expect(within(row(1)).getByTestId('alert-state-open')).toHaveTextContent('Open');
    expect(within(row(5)).getByTestId('alert-state-acknowledged')).toBeInTheDocument();
    expect(within(row(6)).getByTestId('alert-state-resolved')).toBeInTheDocument();

    // D3 was sent at ops_review and raised on arrival to the compliance committee, which stands out
    const committee = within(row(4)).getByTestId('escalation-compliance_committee');
    expect(committee).toHaveClass('MuiChip-colorError');
    expect(committee).toHaveAttribute('data-auto', 'true');
    expect(row(4)).toHaveAttribute('data-committee', 'true');
    expect(within(row(2)).getByTestId('escalation-ops_review')).toHaveAttribute('data-auto', 'false');

    expect(within(row(2)).getByTestId('alert-task')).toHaveAttribute('href', '#/tasks/task%207%2Fa/show');
    expect(within(row(2)).getByTestId('alert-license')).toHaveAttribute('href', '#/licenses/1/show');
    expect(within(row(1)).queryByTestId('alert-license')).toBeNull();
    expect(within(row(1)).getByTestId('alert-age')).toHaveTextContent('30.0 h');
    // a resolved alert's age stops when it was resolved: 50 h, shown in days
    expect(within(row(6)).getByTestId('alert-age')).toHaveTextContent('2.1 d');
  });

  it('filters the inbox by risk level and by age', async () => {
    const user = userEvent.setup();
    const requests: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/alerts') requests.push(url);
    });
    raise(db, { hoursAgo: 30, risk: 'low', tag: 'A1', level: 'none' });
    raise(db, { hoursAgo: 2, risk: 'high' });
    raise(db, { hoursAgo: 80, risk: 'high' });
    raise(db, { hoursAgo: 5, risk: 'medium', tag: 'B2' });
    renderApp('#/alerts', { as: 'compliance_reviewer' });
    await screen.findByTestId('alert-row-4');
    expect(rowIds()).toHaveLength(4);

    await pick(user, document.body, 'Risk level', 'High');
    await waitFor(() => expect(rowIds()).toEqual(['alert-row-3', 'alert-row-2']));
    expect(filterOf(requests.at(-1) as URL)).toEqual({ risk_level: 'high' });

    await pick(user, document.body, 'Age', 'Older than 72 h');
    await waitFor(() => expect(rowIds()).toEqual(['alert-row-3']));
    expect(filterOf(requests.at(-1) as URL)).toEqual({ risk_level: 'high', age_hours_gte: 72 });
  });

  it('acknowledges an alert with a note, on the version read, and shows its new state and history', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    raise(db, { hoursAgo: 3 });
    renderApp('#/alerts/1/show', { as: 'compliance_reviewer' });

    expect(await screen.findByTestId('alert-state-open')).toBeInTheDocument();
    await user.click(await screen.findByTestId('alert-acknowledge'));
    const dialog = await screen.findByTestId('alert-acknowledge-dialog');
    expect(dialog).toHaveTextContent('Acknowledge al-1');
    await writeNote(user, dialog, 'asset taken down, checking the account');
    await user.click(within(dialog).getByTestId('alert-acknowledge-confirm'));

    expect(await screen.findByTestId('alert-state-acknowledged')).toBeInTheDocument();
    expect(posts).toEqual([
      {
        path: '/api/alerts/1/acknowledge',
        body: { note: 'asset taken down, checking the account', version: 1 },
      },
    ]);
    expect(db.alerts[0]).toMatchObject({
      state: 'acknowledged',
      acknowledged_by: 'reviewer',
      last_note: 'asset taken down, checking the account',
      version: 2,
    });
    expect(await screen.findByText('Alert al-1 acknowledged')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-acknowledge-dialog')).toBeNull();
    // the step is in the history, and the alert now offers only Escalate and Resolve
    const history = await screen.findByTestId('alert-history');
    await waitFor(() => expect(history).toHaveTextContent('Acknowledged'));
    expect(history).toHaveTextContent('reviewer');
    expect(history).toHaveTextContent('asset taken down, checking the account');
    expect(screen.queryByTestId('alert-acknowledge')).toBeNull();
    expect(screen.getByTestId('alert-escalate')).toBeInTheDocument();
    expect(screen.getByTestId('alert-resolve')).toBeInTheDocument();
  });

  it('sends no step without a note', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    raise(db, { hoursAgo: 3 });
    renderApp('#/alerts/1/show', { as: 'compliance_reviewer' });

    await user.click(await screen.findByTestId('alert-resolve'));
    const dialog = await screen.findByTestId('alert-resolve-dialog');
    await user.click(within(dialog).getByTestId('alert-resolve-confirm'));
    expect(await within(dialog).findByText('A note is required')).toBeInTheDocument();
    // blanks are no note either: the server trims it
    await writeNote(user, dialog, '   ');
    await user.click(within(dialog).getByTestId('alert-resolve-confirm'));
    expect(within(dialog).getByText('A note is required')).toBeInTheDocument();
    expect(posts).toHaveLength(0);
    expect(db.alerts[0]).toMatchObject({ state: 'open', version: 1 });
  });

  it('shows the server’s message when another reviewer stepped the alert first', async () => {
    const user = userEvent.setup();
    const alert = raise(db, { hoursAgo: 3 });
    renderApp('#/alerts/1/show', { as: 'compliance_reviewer' });
    await user.click(await screen.findByTestId('alert-escalate'));
    const dialog = await screen.findByTestId('alert-escalate-dialog');
    expect(within(dialog).getByTestId('alert-escalate-target')).toHaveTextContent(
      'From Ops review to Compliance committee',
    );
    await writeNote(user, dialog, 'regulator asked');

    stepAlert(db, alert.id, 1, 'resolve', 'duplicate of al-0', reviewer2);
    await user.click(within(dialog).getByTestId('alert-escalate-confirm'));

    const conflict = await screen.findByTestId('alert-conflict');
    expect(conflict).toHaveTextContent(
      'alert al-1 was changed by reviewer2 since you read it (it is resolved now); reload it',
    );
    expect(await screen.findByTestId('alert-state-resolved')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-escalate-dialog')).toBeNull();
    // resolved: no step is left to take
    expect(screen.queryByTestId('alert-acknowledge')).toBeNull();
    expect(screen.queryByTestId('alert-escalate')).toBeNull();
    expect(screen.queryByTestId('alert-resolve')).toBeNull();
    expect(db.alerts[0]).toMatchObject({
      state: 'resolved',
      resolved_by: 'reviewer2',
      escalation_level: 'ops_review',
    });
  });

  it('does not offer Escalate on an alert at the compliance committee, and shows why it got there', async () => {
    raise(db, { hoursAgo: 3, tag: 'D3', level: 'ops_review' });
    renderApp('#/alerts/1/show', { as: 'compliance_reviewer' });

    expect(await screen.findByTestId('alert-acknowledge')).toBeInTheDocument();
    expect(screen.getByTestId('alert-resolve')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-escalate')).toBeNull();
    expect(screen.getByTestId('escalation-compliance_committee')).toHaveAttribute('data-auto', 'true');
    expect(screen.getByTestId('alert-arrived')).toHaveTextContent('Ops review · raised on arrival');
    // the raise on arrival is in the history, by the system
    const history = await screen.findByTestId('alert-history');
    await waitFor(() => expect(history).toHaveTextContent('Raised on arrival'));
    expect(history).toHaveTextContent('system');
    expect(history).toHaveTextContent('policy_tag D3 requires compliance_committee on arrival');
  });

  it('shows ops the inbox with accounts masked, and no way to step an alert', async () => {
    const user = userEvent.setup();
    record(db, 'task_start', 5, {
      task_id: 'task_1',
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      estimated_credits: 10,
      queue_type: 'standard',
    });
    raise(db, { hoursAgo: 3, task: 'task_1' });
    renderApp('#/alerts', { as: 'ops' });
    expect(await screen.findByTestId('menu-alerts')).toHaveAttribute('href', '#/alerts');
    const first = await screen.findByTestId('alert-row-1');
    expect(within(first).queryByRole('checkbox')).toBeNull();
    expect(screen.queryByTestId('alert-bulk-acknowledge')).toBeNull();

    await user.click(within(first).getByTestId('alert-state-open'));
    expect(await screen.findByTestId('alert-account')).toHaveTextContent('a3f1••••••');
    expect(screen.getByTestId('alert-state-open')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-acknowledge')).toBeNull();
    expect(screen.queryByTestId('alert-escalate')).toBeNull();
    expect(screen.queryByTestId('alert-resolve')).toBeNull();
    // ops may not read the audit log: no history panel
    expect(screen.queryByTestId('alert-history')).toBeNull();
  });

  it('does not show an engineer the inbox', async () => {
    renderApp('#/tracking-plan', { as: 'engineer' });
    expect(await screen.findByRole('menuitem', { name: 'Permissions' })).toBeInTheDocument();
    expect(screen.queryByTestId('menu-alerts')).toBeNull();
  });

  it('acknowledges a selection in bulk and lists what was done and what was refused', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    raise(db, { hoursAgo: 5 });
    const second = raise(db, { hoursAgo: 4 });
    raise(db, { hoursAgo: 3 });
    renderApp('#/alerts', { as: 'compliance_reviewer' });
    await screen.findByTestId('alert-row-3');

    for (const id of [1, 2, 3]) await user.click(within(row(id)).getByRole('checkbox'));
    stepAlert(db, second.id, 1, 'acknowledge', 'mine', reviewer2);
    await user.click(screen.getByTestId('alert-bulk-acknowledge'));
    const dialog = await screen.findByTestId('alert-acknowledge-dialog');
    expect(dialog).toHaveTextContent('Acknowledge 3 alerts');
    await user.click(within(dialog).getByTestId('alert-acknowledge-confirm'));
    expect(await within(dialog).findByText('A note is required')).toBeInTheDocument();
    expect(posts).toHaveLength(0);
    await writeNote(user, dialog, 'batch of takedowns');
    await user.click(within(dialog).getByTestId('alert-acknowledge-confirm'));

    const result = await screen.findByTestId('alert-bulk-result');
    expect(within(result).getByTestId('alert-bulk-result-summary')).toHaveTextContent('2 done, 1 refused');
    const refused = within(result).getByTestId('alert-bulk-refused-2');
    expect(refused).toHaveTextContent('al-2');
    expect(refused).toHaveTextContent('alert al-2 was changed by reviewer2 since you read it');
    expect(posts).toEqual([
      {
        path: '/api/alerts/bulk',
        body: {
          action: 'acknowledge',
          note: 'batch of takedowns',
          items: [
            { id: 1, version: 1 },
            { id: 2, version: 1 },
            { id: 3, version: 1 },
          ],
        },
      },
    ]);
    expect(db.alerts.map((a) => [a.state, a.acknowledged_by])).toEqual([
      ['acknowledged', 'reviewer'],
      ['acknowledged', 'reviewer2'],
      ['acknowledged', 'reviewer'],
    ]);
    await waitFor(() => expect(within(row(1)).getByTestId('alert-state-acknowledged')).toBeInTheDocument());
  });

  it('labels the inbox and its steps in Chinese once the console is switched to Chinese', async () => {
    const user = userEvent.setup();
    raise(db, { hoursAgo: 3 });
    renderApp('#/alerts', { as: 'compliance_reviewer' });
    await screen.findByTestId('alert-row-1');
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(await screen.findByRole('menuitem', { name: '中文' }));

    await waitFor(() => expect(screen.getByTestId('menu-alerts')).toHaveTextContent('风险告警'));
    const head = document.querySelector('thead') as HTMLElement;
    await waitFor(() => expect(head).toHaveTextContent('风险等级'));
    expect(head).toHaveTextContent('升级级别');
    expect(head).toHaveTextContent('策略标签');
    expect(within(row(1)).getByTestId('alert-state-open')).toHaveTextContent('待处理');
    expect(within(row(1)).getByTestId('risk-high')).toHaveTextContent('高');
    expect(within(row(1)).getByTestId('escalation-ops_review')).toHaveTextContent('运营复核');

    await user.click(within(row(1)).getByTestId('alert-state-open'));
    expect(await screen.findByTestId('alert-acknowledge')).toHaveTextContent('确认');
    expect(screen.getByTestId('alert-escalate')).toHaveTextContent('升级');
    expect(screen.getByTestId('alert-resolve')).toHaveTextContent('解决');
    await user.click(screen.getByTestId('alert-resolve'));
    const dialog = await screen.findByTestId('alert-resolve-dialog');
    expect(dialog).toHaveTextContent('解决 al-1');
    await user.click(within(dialog).getByTestId('alert-resolve-confirm'));
    expect(await within(dialog).findByText('备注为必填项')).toBeInTheDocument();
  });
});

describe('mock alert API', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });
  const post = (path: string, body: unknown) =>
    fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a step without the permission, without a note, or that the state machine does not allow', async () => {
    raise(db, { hoursAgo: 1, tag: 'D3' });
    signInAs('ops');
    expect((await fetch('/api/alerts/1')).status).toBe(200);
    expect((await post('/api/alerts/1/acknowledge', { note: 'x', version: 1 })).status).toBe(403);

    signInAs('compliance_reviewer');
    const noNote = await post('/api/alerts/1/acknowledge', { note: '  ', version: 1 });
    expect(noNote.status).toBe(400);
    expect(errorBodySchema.parse(await noNote.json()).errors).toEqual({
      note: 'is required: every step needs a note',
    });
    const noVersion = await post('/api/alerts/1/acknowledge', { note: 'seen' });
    expect(noVersion.status).toBe(400);
    expect(errorBodySchema.parse(await noVersion.json()).errors).toEqual({ version: 'is required' });

    const escalate = await post('/api/alerts/1/escalate', { note: 'higher', version: 1 });
    expect(escalate.status).toBe(409);
    expect(errorBodySchema.parse(await escalate.json()).message).toBe(
      'alert al-1 is at compliance_committee, the highest escalation; it cannot be escalated',
    );
    expect(db.alerts[0]).toMatchObject({
      state: 'open',
      version: 1,
      escalation_level: 'compliance_committee',
    });

    const resolved = await post('/api/alerts/1/resolve', { note: 'done', version: 1 });
    expect(alertSchema.parse(await resolved.json())).toMatchObject({
      state: 'resolved',
      resolved_by: 'reviewer',
    });
    const again = await post('/api/alerts/1/acknowledge', { note: 'late', version: 2 });
    expect(again.status).toBe(409);
    expect(errorBodySchema.parse(await again.json()).message).toBe(
      'alert al-1 is resolved (last step by reviewer); it cannot be acknowledged',
    );
  });

  it('steps each alert of a bulk request on its own', async () => {
    raise(db, { hoursAgo: 1 });
    raise(db, { hoursAgo: 1 });
    signInAs('compliance_reviewer');
    const response = await post('/api/alerts/bulk', {
      action: 'resolve',
      note: 'cleared',
      items: [
        { id: 1, version: 1 },
        { id: 2, version: 7 },
        { id: 9, version: 1 },
      ],
    });
    const { results } = alertBulkResultSchema.parse(await response.json());
    expect(results.map((r) => [r.id, r.ok, r.status])).toEqual([
      [1, true, 200],
      [2, false, 409],
      [9, false, 404],
    ]);
    expect(results[0]?.alert?.state).toBe('resolved');
    expect(db.audit.at(-1)).toMatchObject({
      action: 'alert.resolve',
      resource: 'alert',
      resource_id: '1',
      actor: 'reviewer',
      reason: 'cleared',
    });
  });

  it('filters by the alert or task id prefix and by age', async () => {
    raise(db, { hoursAgo: 30, task: 'task_abc' });
    raise(db, { hoursAgo: 2, task: 'task_xyz' });
    signInAs('ops');
    const list = async (filter: object) => {
      const response = await fetch(`/api/alerts?${new URLSearchParams({ filter: JSON.stringify(filter) })}`);
      return z
        .array(alertSchema)
        .parse(await response.json())
        .map((a) => a.alert_id);
    };
    expect(await list({ q: 'task_x' })).toEqual(['al-2']);
    expect(await list({ q: 'al-1' })).toEqual(['al-1']);
    expect(await list({ age_hours_gte: 24 })).toEqual(['al-1']);
    expect(await list({ age_hours_gte: 1 })).toEqual(['al-1', 'al-2']);
  });
});

describe('mock alert data', () => {
  it('opens one alert per generated risk_alert, raises D3 to the committee, works some, and serves them', async () => {
    const generated = generateDb(Date.parse('2026-11-25T12:00:00+08:00'));
    // one per alert_id; one without an alert_id is kept under its event_id
    const alertIds = new Set(
      generated.events
        .filter((e) => e.event === 'risk_alert')
        .map((e) =>
          typeof e.properties.alert_id === 'string' && e.properties.alert_id.trim()
            ? e.properties.alert_id
            : `event:${e.event_id}`,
        ),
    );
    expect(generated.alerts).toHaveLength(alertIds.size);
    // every D3 alert is at the committee; those sent below it were raised on arrival
    const d3 = generated.alerts.filter((a) => a.policy_tag === 'D3');
    expect(d3.length).toBeGreaterThan(0);
    expect(d3.every((a) => a.escalation_level === 'compliance_committee')).toBe(true);
    expect(d3.filter((a) => a.auto_escalated)).toEqual(
      d3.filter((a) => a.arrived_escalation !== 'compliance_committee'),
    );
    expect(generated.alerts.some((a) => a.auto_escalated)).toBe(true);
    expect(generated.audit.filter((r) => r.action === 'alert.auto_escalate')).toHaveLength(
      generated.alerts.filter((a) => a.auto_escalated).length,
    );
    expect(new Set(generated.alerts.map((a) => a.state))).toEqual(
      new Set(['open', 'acknowledged', 'resolved']),
    );

    // the default handlers: every alert parsed with the server's schema, in inbox order, masked for ops
    signInAs('ops');
    const response = await fetch(`/api/alerts?${new URLSearchParams({ range: '[0,999]' })}`);
    expect(response.status).toBe(200);
    const inbox = z.array(alertSchema).parse(await response.json());
    const rank = (a: AlertRecord) => ['open', 'acknowledged', 'resolved'].indexOf(a.state);
    expect(inbox.map(rank)).toEqual(inbox.map(rank).sort());
    expect(inbox.filter((a) => a.account_id !== null).every((a) => a.account_id?.endsWith('••••••'))).toBe(
      true,
    );
  });
});

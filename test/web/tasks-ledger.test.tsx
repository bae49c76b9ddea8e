import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { z } from 'zod';
import { currentUser, MOCK_USERS, signIn, signInAs } from '../../mocks/access.ts';
import { emptyDb, generateDb, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { generateLedgerRequests, ledgerEntries, manualEntryOnce, requestEntry } from '../../mocks/ledger.ts';
import { server } from '../../mocks/node.ts';
import type { Violation } from '../../server/events/schemas.ts';
import type { SessionUser } from '../../server/http/env.ts';
import { errorBodySchema } from '../../server/http/schemas.ts';
import {
  type LedgerEntry,
  ledgerAccountSchema,
  ledgerEntrySchema,
  rollbackSchema,
} from '../../server/ledger/schemas.ts';
import { taskDetailSchema, taskSchema } from '../../server/tasks/schemas.ts';
import { renderApp } from './helpers.tsx';

const MINUTE_MS = 60_000;
const ACCOUNT = 'a3f1'.repeat(8);
/** pages and server round trips under a loaded test run: more than the default second */
const WAIT = { timeout: 5000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** one stored event `minutesAgo`, as the platform sent it */
function record(
  db: MockDb,
  event: string,
  minutesAgo: number,
  properties: Record<string, unknown>,
  violations: Violation[] = [],
) {
  recordEvent(db, {
    event,
    event_id: `${event}-${db.events.length + 1}`,
    occurred_at: new Date(Date.now() - minutesAgo * MINUTE_MS).toISOString(),
    source: event === 'risk_alert' ? 'operations-compliance' : 'platform-integration',
    properties,
    violations,
  });
  return db.events.at(-1)!;
}

const start = (db: MockDb, taskId: string, minutesAgo: number, estimated = 40) =>
  record(db, 'task_start', minutesAgo, {
    task_id: taskId,
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    estimated_credits: estimated,
    queue_type: 'standard',
  });

const complete = (db: MockDb, taskId: string, minutesAgo: number, spent: number) =>
  record(db, 'task_completed', minutesAgo, {
    task_id: taskId,
    template_id: 'tpl_001',
    credits_spent: spent,
    duration_ms: 95_000,
    output_count: 4,
  });

/**
 * An account's licence (lic_1) and its tasks: `task_done` charged 50 and a tail deduction of 5 (whose event
 * broke the plan), with a high-risk alert; `task_failed`; `task_stale`, started three hours ago with no
 * outcome; `task_queued`, started five minutes ago; `task_big`, charged 5000.
 */
function fixture(): MockDb {
  const db = emptyDb();
  record(db, 'license_apply', 600, {
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    is_fast_track: false,
    persona_tag: 'creator_studio',
    policy_tag: 'A1',
  });
  start(db, 'task_done', 300);
  complete(db, 'task_done', 290, 50);
  record(db, 'risk_alert', 289, {
    alert_id: 'al_done',
    task_id: 'task_done',
    risk_level: 'high',
    policy_tag: 'D1',
    action_required: 'remove_asset',
    escalation_level: 'ops_review',
  });
  record(
    db,
    'credits_updated',
    285,
    { ledger_id: 'led_tail_1', task_id: 'task_done', policy_tag: 'Z9', adjust_amount: -5 },
    [{ field: 'policy_tag', rule: 'out_of_enum' }],
  );
  start(db, 'task_failed', 250);
  record(db, 'task_failed', 245, {
    task_id: 'task_failed',
    template_id: 'tpl_001',
    failure_code: 'safety_block',
    sub_status: 'nsfw_filter',
    policy_tag: 'D1',
    action_required: 'remove_asset',
  });
  start(db, 'task_stale', 180);
  start(db, 'task_big', 120, 4000);
  complete(db, 'task_big', 110, 5000);
  start(db, 'task_queued', 5);
  return db;
}

/** a mock user by username, with the id the mock gives them */
const userNamed = (username: string): SessionUser => {
  const index = MOCK_USERS.findIndex((u) => u.username === username);
  const user = MOCK_USERS[index]!;
  return { ...user, id: index + 1, roles: [...user.roles] };
};

interface Post {
  path: string;
  key: string | null;
  body: unknown;
}

/** the POSTs the mock receives from now on: path, Idempotency-Key header and body */
function recordPosts(): Post[] {
  const posts: Post[] = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method !== 'POST') return;
    const post: Post = {
      path: decodeURIComponent(new URL(request.url).pathname),
      key: request.headers.get('Idempotency-Key'),
      body: undefined,
    };
    posts.push(post);
    post.body = await request.clone().json();
  });
  return posts;
}

const manualEntries = (db: MockDb) => ledgerEntries(db).filter((e) => e.created_by !== 'platform');

async function pick(
  user: ReturnType<typeof userEvent.setup>,
  scope: HTMLElement,
  field: RegExp,
  option: string,
) {
  await user.click(within(scope).getByRole('combobox', { name: field }));
  await user.click(await screen.findByRole('option', { name: option }));
}

/** opens the rollback dialog of the task page on screen and fills it in */
async function fillRollback(
  user: ReturnType<typeof userEvent.setup>,
  { amount, reason = 'dup output' }: { amount: string; reason?: string },
) {
  await user.click(await screen.findByTestId('task-rollback', {}, WAIT));
  const dialog = await screen.findByTestId('rollback-dialog', {}, WAIT);
  await user.type(within(dialog).getByLabelText(/Credits to refund/), amount);
  await pick(user, dialog, /Policy tag/, 'B1 · Exaggerated copy');
  if (reason) await user.type(within(dialog).getByLabelText(/Reason/), reason);
  return dialog;
}

describe('tasks', () => {
  let db: MockDb;
  beforeEach(() => {
    db = fixture();
    server.use(...createHandlers(db));
  });

  it('lists the tasks newest first with their status, stale included, credits and open alerts', async () => {
    renderApp('#/tasks');
    const row = (id: string) => screen.getByTestId(`task-row-${id}`);
    // the first page of the file: a cold start
    await screen.findByTestId('task-row-task_done', {}, WAIT);
    expect(screen.getAllByTestId(/^task-row-/).map((r) => r.dataset.testid)).toEqual([
      'task-row-task_queued',
      'task-row-task_big',
      'task-row-task_stale',
      'task-row-task_failed',
      'task-row-task_done',
    ]);
    expect(within(row('task_queued')).getByTestId('task-status-queued')).toHaveTextContent('Queued');
    expect(within(row('task_stale')).getByTestId('task-status-stale')).toHaveTextContent('Stale');
    expect(within(row('task_failed')).getByTestId('task-status-failed')).toBeInTheDocument();
    expect(within(row('task_failed')).getByText('Safety block')).toBeInTheDocument();
    expect(within(row('task_done')).getByTestId('task-status-succeeded')).toBeInTheDocument();
    // spent more than estimated: flagged
    expect(within(row('task_done')).getByTestId('task-spent')).toHaveAttribute('data-over', 'true');
    expect(within(row('task_big')).getByTestId('task-spent')).toHaveTextContent('5,000');
    expect(within(row('task_done')).getByTestId('task-net-charge')).toHaveTextContent('55');
    expect(within(row('task_done')).getByText('1 min 35 s')).toBeInTheDocument();
    expect(within(row('task_done')).getByTestId('task-open-alerts')).toHaveTextContent('1');
    expect(within(row('task_stale')).queryByTestId('task-open-alerts')).toBeNull();

    // a row opens the task's page, which waits for the task itself rather than showing the list's record
    await userEvent.setup().click(within(row('task_done')).getByText('task_done'));
    expect(await screen.findByTestId('charge-net_charge', {}, WAIT)).toHaveTextContent('55');
    expect(screen.getByTestId('task-events')).toBeInTheDocument();
  });

  it("shows a task's events with violations highlighted, its alerts, ledger entries, charge and licence", async () => {
    renderApp('#/tasks/task_done/show');
    const events = await screen.findByTestId('task-events', {}, WAIT);
    const rows = within(events).getAllByTestId(/^task-event-/);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]?.textContent)).toEqual([
      'task_start',
      'task_completed',
      'risk_alert',
      'credits_updated',
    ]);
    const broken = rows[3]!;
    expect(broken).toHaveAttribute('data-violations', '1');
    expect(broken).toHaveStyle({ backgroundColor: 'rgba(211, 47, 47, 0.08)' });
    expect(within(broken).getByText('policy_tag: Out of enum')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Valid')).toBeInTheDocument();
    const tail = db.events.find((e) => e.event === 'credits_updated')!;
    expect(within(broken).getByRole('link', { name: tail.event_id })).toHaveAttribute(
      'href',
      `#/events/${tail.id}/show`,
    );

    const alerts = screen.getByTestId('task-alerts');
    const alert = db.alerts[0]!;
    expect(within(alerts).getByRole('link', { name: 'al_done' })).toHaveAttribute(
      'href',
      `#/alerts/${alert.id}/show`,
    );
    expect(within(alerts).getByTestId('risk-high')).toBeInTheDocument();

    const ledger = screen.getByTestId('task-ledger');
    const charge = within(ledger).getByTestId('task-ledger-charge:task_done');
    expect(charge).toHaveTextContent('Task charge');
    expect(within(charge).getByTestId('ledger-amount')).toHaveTextContent('-50');
    expect(within(charge).getByTestId('ledger-amount')).toHaveAttribute('data-sign', 'charge');
    expect(within(charge).getByRole('link', { name: 'charge:task_done' })).toHaveAttribute(
      'href',
      '#/ledger/charge%3Atask_done/show',
    );
    expect(within(ledger).getByTestId('task-ledger-led_tail_1')).toHaveTextContent('Tail deduction');

    expect(screen.getByTestId('charge-charged')).toHaveTextContent('55');
    expect(screen.getByTestId('charge-net_charge')).toHaveTextContent('55');
    expect(screen.getByTestId('charge-refundable')).toHaveTextContent('55');
    expect(screen.getByTestId('task-license')).toHaveAttribute('href', '#/licenses/1/show');
    // an analyst reads the account in clear, and may not roll back
    expect(screen.getByTestId('task-account')).toHaveTextContent(ACCOUNT);
    expect(screen.queryByTestId('task-rollback')).toBeNull();
  });

  it('lets ops roll back part of the charge with an Idempotency-Key; the entry shows and the net charge drops', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    renderApp('#/tasks/task_done/show', { as: 'ops' });
    expect(await screen.findByTestId('task-account', {}, WAIT)).toHaveTextContent('a3f1••••••');
    const dialog = await fillRollback(user, { amount: '20' });
    expect(within(dialog).getByText('At most 55 (the net charge)')).toBeInTheDocument();
    expect(within(dialog).queryByTestId('rollback-second-approval')).toBeNull();
    await user.click(within(dialog).getByTestId('rollback-confirm'));

    expect(await screen.findByText('Rolled back 20 credits of task_done', {}, WAIT)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('charge-net_charge')).toHaveTextContent('35'));
    expect(screen.getByTestId('charge-refunded')).toHaveTextContent('20');
    expect(posts).toEqual([
      {
        path: '/api/ledger/rollbacks',
        key: expect.stringMatching(UUID),
        body: { task_id: 'task_done', amount: 20, policy_tag: 'B1', reason: 'dup output' },
      },
    ]);
    const [entry] = manualEntries(db);
    expect(entry).toMatchObject({
      kind: 'manual_rollback',
      amount: 20,
      status: 'posted',
      created_by: 'ops',
      reverses: 'charge:task_done',
    });
    const row = await screen.findByTestId(`task-ledger-${entry!.id}`, {}, WAIT);
    expect(row).toHaveTextContent('Rollback');
    expect(within(row).getByTestId('ledger-amount')).toHaveTextContent('+20');
    expect(within(row).getByTestId('ledger-amount')).toHaveAttribute('data-sign', 'refund');
    expect(within(row).getByTestId('ledger-status-posted')).toBeInTheDocument();
    // the posted rollback went into the event stream as a credits_updated, listed with the task's events
    expect(db.events.at(-1)).toMatchObject({
      event: 'credits_updated',
      source: 'console',
      properties: { ledger_id: entry!.id, adjust_amount: 20 },
    });
    expect(db.audit.at(-1)).toMatchObject({
      action: 'ledger.rollback',
      actor: 'ops',
      resource_id: entry!.id,
    });
  });

  it('retries a submission whose answer was lost with the same key, and the refund is made once', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    // the first request reaches the server, which makes the entry; its answer is lost on the way back
    server.use(
      http.post(
        '/api/ledger/rollbacks',
        async ({ request }) => {
          const body = rollbackSchema.parse(await request.json());
          manualEntryOnce(
            db,
            'manual_rollback',
            request.headers.get('Idempotency-Key') ?? '',
            body,
            currentUser()!,
          );
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    renderApp('#/tasks/task_done/show', { as: 'ops' });
    const dialog = await fillRollback(user, { amount: '20' });
    await user.click(within(dialog).getByTestId('rollback-confirm'));

    const warning = await within(dialog).findByTestId('rollback-error', {}, WAIT);
    expect(warning).toHaveTextContent('No answer came back');
    expect(warning).toHaveTextContent('Submit again: it goes with the same key');
    expect(manualEntries(db)).toHaveLength(1);

    await user.click(within(dialog).getByTestId('rollback-confirm'));
    expect(await screen.findByText('Rolled back 20 credits of task_done', {}, WAIT)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('rollback-dialog')).toBeNull());

    expect(posts).toHaveLength(2);
    expect(posts[0]?.key).toMatch(UUID);
    expect(posts[1]?.key).toBe(posts[0]?.key);
    expect(posts[1]?.body).toEqual(posts[0]?.body);
    // one refund, not two
    expect(manualEntries(db)).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId('charge-net_charge')).toHaveTextContent('35'));

    // a new opening of the dialog is a new request: a new key
    await fillRollback(user, { amount: '5' });
    await user.click(within(screen.getByTestId('rollback-dialog')).getByTestId('rollback-confirm'));
    expect(await screen.findByText('Rolled back 5 credits of task_done', {}, WAIT)).toBeInTheDocument();
    expect(posts).toHaveLength(3);
    expect(posts[2]?.key).toMatch(UUID);
    expect(posts[2]?.key).not.toBe(posts[0]?.key);
    expect(manualEntries(db).map((e) => e.amount)).toEqual([20, 5]);
  });

  it("shows the server's refusal of an over-refund on the amount", async () => {
    const user = userEvent.setup();
    renderApp('#/tasks/task_done/show', { as: 'ops' });
    const dialog = await fillRollback(user, { amount: '60' });
    await user.click(within(dialog).getByTestId('rollback-confirm'));

    expect(
      await within(dialog).findByText('exceeds what may be refunded: 55 (net charge 55)', {}, WAIT),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Credits to refund/)).toHaveAttribute('aria-invalid', 'true');
    expect(manualEntries(db)).toHaveLength(0);
    expect(within(dialog).getByTestId('rollback-confirm')).toBeEnabled();
  });

  it('says before submitting that an amount above the limit needs a second approver, then it waits for one', async () => {
    const user = userEvent.setup();
    renderApp('#/tasks/task_big/show', { as: 'ops' });
    const dialog = await fillRollback(user, { amount: '1000' });
    // the limit itself is not above the limit
    expect(within(dialog).queryByTestId('rollback-second-approval')).toBeNull();
    await user.type(within(dialog).getByLabelText(/Credits to refund/), '.5');
    expect(await within(dialog).findByTestId('rollback-second-approval', {}, WAIT)).toHaveTextContent(
      'With this task’s other manual entries this goes above 1,000 credits: a second person (ops or compliance, not you) must approve it',
    );
    await user.click(within(dialog).getByTestId('rollback-confirm'));

    expect(
      await screen.findByText(
        'The rollback of 1,000.5 credits of task_big awaits a second approver',
        {},
        WAIT,
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('charge-pending_refunds')).toHaveTextContent('1,000.5'));
    // nothing refunded yet: the net charge stands, and what may still be refunded is reserved
    expect(screen.getByTestId('charge-net_charge')).toHaveTextContent('5,000');
    expect(screen.getByTestId('charge-refundable')).toHaveTextContent('3,999.5');
    const [entry] = manualEntries(db);
    expect(entry).toMatchObject({ status: 'pending_approval', amount: 1000.5 });
    // the requester is not offered the decision on their own request
    const row = await screen.findByTestId(`task-ledger-${entry!.id}`, {}, WAIT);
    expect(within(row).getByTestId('ledger-status-pending_approval')).toBeInTheDocument();
    expect(within(row).queryByTestId(`ledger-approve-${entry!.id}`)).toBeNull();
    expect(within(row).getByTestId(`ledger-awaiting-${entry!.id}`)).toHaveTextContent('you requested it');

    // a small one now: with the one waiting, the task's manual entries are above the limit, so it waits too
    await user.click(screen.getByTestId('task-rollback'));
    const next = await screen.findByTestId('rollback-dialog', {}, WAIT);
    await user.type(within(next).getByLabelText(/Credits to refund/), '1');
    expect(await within(next).findByTestId('rollback-second-approval', {}, WAIT)).toBeInTheDocument();
  });

  it('asks for a reason before sending a rollback', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    renderApp('#/tasks/task_done/show', { as: 'ops' });
    const dialog = await fillRollback(user, { amount: '10', reason: '' });
    await user.click(within(dialog).getByTestId('rollback-confirm'));
    expect(
      await within(dialog).findByText('Say why the credits are given back', {}, WAIT),
    ).toBeInTheDocument();
    expect(posts).toHaveLength(0);
  });
});

describe('credits ledger', () => {
  let db: MockDb;
  let pending: LedgerEntry;
  beforeEach(() => {
    db = fixture();
    server.use(...createHandlers(db));
    pending = requestEntry(
      db,
      'manual_rollback',
      { task_id: 'task_big', amount: 1500, policy_tag: 'C2', reason: 'the run was billed twice' },
      userNamed('ops'),
    );
  });

  it('lists the entries coloured by sign; the requester gets no decision on their own entry, another ops approves it', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    const first = renderApp('#/ledger', { as: 'ops' });
    const row = await screen.findByTestId(`ledger-row-${pending.id}`, {}, WAIT);
    expect(within(row).getByTestId('ledger-status-pending_approval')).toHaveTextContent('Awaiting approval');
    expect(within(row).getByTestId('ledger-amount')).toHaveAttribute('data-sign', 'refund');
    expect(within(row).getByRole('link', { name: 'task_big' })).toHaveAttribute(
      'href',
      '#/tasks/task_big/show',
    );
    expect(within(row).queryByTestId(`ledger-approve-${pending.id}`)).toBeNull();
    expect(within(row).queryByTestId(`ledger-reject-${pending.id}`)).toBeNull();
    expect(within(row).getByTestId(`ledger-awaiting-${pending.id}`)).toHaveTextContent(
      'Awaiting a second approver (you requested it)',
    );
    const charge = screen.getByTestId('ledger-row-charge:task_big');
    expect(within(charge).getByTestId('ledger-amount')).toHaveAttribute('data-sign', 'charge');
    expect(within(charge).getByTestId('ledger-amount')).toHaveTextContent('-5,000');
    expect(charge).toHaveTextContent('a3f1••••••');
    first.unmount();

    signIn(userNamed('ops2'));
    renderApp('#/ledger', { as: null });
    await screen.findByTestId(`ledger-row-${pending.id}`, {}, WAIT);
    // the second approvers' queue, one click away
    await user.click(within(screen.getByTestId('ledger-sidebar')).getByText('Awaiting approval'));
    await waitFor(() => expect(screen.getAllByTestId(/^ledger-row-/)).toHaveLength(1));
    await user.click(screen.getByTestId(`ledger-approve-${pending.id}`));
    const dialog = await screen.findByTestId('ledger-approve-dialog', {}, WAIT);
    expect(dialog).toHaveTextContent('+1,500 credits for task_big, requested by ops');
    expect(dialog).toHaveTextContent('the run was billed twice');
    await user.type(within(dialog).getByLabelText('Note'), 'checked export');
    await user.click(within(dialog).getByTestId('ledger-approve-confirm'));

    expect(
      await screen.findByText(`Ledger entry ${pending.id} approved and posted`, {}, WAIT),
    ).toBeInTheDocument();
    expect(posts).toEqual([
      {
        path: `/api/ledger/${pending.id}/approve`,
        key: null,
        body: { note: 'checked export' },
      },
    ]);
    expect(db.audit.at(-1)).toMatchObject({ action: 'ledger.approve', actor: 'ops2', outcome: 'success' });
    expect(manualEntries(db)[0]).toMatchObject({ status: 'posted', decided_by: 'ops2' });
    // posted now: it left the awaiting-approval queue
    await waitFor(() => expect(screen.queryByTestId(`ledger-row-${pending.id}`)).toBeNull());
  });

  it('rejects a pending entry only with a reason', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    renderApp('#/ledger', { as: 'compliance_reviewer' });
    await user.click(await screen.findByTestId(`ledger-reject-${pending.id}`, {}, WAIT));
    const dialog = await screen.findByTestId('ledger-reject-dialog', {}, WAIT);
    await user.click(within(dialog).getByTestId('ledger-reject-confirm'));
    expect(await within(dialog).findByText('Say why it is rejected', {}, WAIT)).toBeInTheDocument();
    expect(posts).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/Reason/), 'billed once');
    await user.click(within(dialog).getByTestId('ledger-reject-confirm'));
    await waitFor(() =>
      expect(
        within(screen.getByTestId(`ledger-row-${pending.id}`)).getByTestId('ledger-status-rejected'),
      ).toBeInTheDocument(),
    );
    expect(screen.getByTestId(`ledger-row-${pending.id}`)).toHaveTextContent('reviewer');
    expect(posts).toEqual([
      { path: `/api/ledger/${pending.id}/reject`, key: null, body: { reason: 'billed once' } },
    ]);
    expect(manualEntries(db)[0]).toMatchObject({
      status: 'rejected',
      decided_by: 'reviewer',
      decision_note: 'billed once',
    });
  });

  it('offers an analyst no decision and no rollback', async () => {
    const first = renderApp('#/ledger', { as: 'data_analyst' });
    const row = await screen.findByTestId(`ledger-row-${pending.id}`, {}, WAIT);
    expect(within(row).getByTestId(`ledger-awaiting-${pending.id}`)).toHaveTextContent(
      'Awaiting a second approver',
    );
    expect(within(row).queryByRole('button', { name: 'Approve' })).toBeNull();
    // an analyst reads the account in clear
    expect(row).toHaveTextContent('a3f1a3f1a3f1…');
    first.unmount();

    renderApp('#/tasks/task_big/show', { as: 'data_analyst' });
    expect(await screen.findByTestId('charge-pending_refunds', {}, WAIT)).toHaveTextContent('1,500');
    expect(screen.queryByTestId('task-rollback')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Roll back credits' })).toBeNull();
  });

  it('lists the balance per account', async () => {
    renderApp('#/ledger-accounts', { as: 'data_analyst' });
    const balance = await screen.findByTestId('account-balance', {}, WAIT);
    // 55 on task_done and 5000 on task_big, the pending refund not counted
    expect(balance).toHaveTextContent('-5,055');
    expect(screen.getByText(ACCOUNT)).toBeInTheDocument();
  });
});

// last of the pages: the locale chosen stays with the i18n provider for the rest of the file
describe('tasks and ledger in Chinese', () => {
  beforeEach(() => server.use(...createHandlers(fixture())));

  it('labels the task page and the rollback in Chinese', async () => {
    const user = userEvent.setup();
    renderApp('#/tasks/task_done/show', { as: 'ops' });
    await screen.findByTestId('task-rollback', {}, WAIT);
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(await screen.findByRole('menuitem', { name: '中文' }));

    expect(await screen.findByRole('menuitem', { name: '任务' })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: '积分账本' })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: '账户余额' })).toBeInTheDocument();
    expect(screen.getByTestId('task-status-succeeded')).toHaveTextContent('已完成');
    expect(screen.getByTestId('task-charge')).toHaveTextContent('净扣费');
    expect(
      within(screen.getByTestId('task-ledger-charge:task_done')).getByText('任务扣费'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '回滚积分' }));
    const dialog = await screen.findByTestId('rollback-dialog', {}, WAIT);
    expect(dialog).toHaveTextContent('回滚 task_done 的积分');
    expect(dialog).toHaveTextContent('最多 55（即净扣费）');
    await user.type(within(dialog).getByLabelText(/退还积分/), '2000');
    expect(await within(dialog).findByTestId('rollback-second-approval', {}, WAIT)).toHaveTextContent(
      '连同本任务其他人工调整累计超过 1,000 积分：须由另一位运营或合规人员（不能是你）审批后才会入账。',
    );
    await user.click(within(dialog).getByRole('combobox', { name: /策略标签/ }));
    expect(await screen.findByRole('option', { name: 'B1 · 文案夸大宣传' })).toBeInTheDocument();
  });
});

describe('mock ledger API', () => {
  let db: MockDb;
  beforeEach(() => {
    db = fixture();
    server.use(...createHandlers(db));
  });
  const post = (path: string, body: unknown, key?: string) =>
    fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body: JSON.stringify(body),
    });
  const rollback = { task_id: 'task_done', amount: 10, policy_tag: 'B1', reason: 'goodwill' };

  it('makes a rollback once per Idempotency-Key: a replay answers the same, another body is 409', async () => {
    signInAs('ops');
    const missing = await post('/api/ledger/rollbacks', rollback);
    expect(missing.status).toBe(400);
    expect(errorBodySchema.parse(await missing.json()).errors).toEqual({ 'Idempotency-Key': 'is required' });

    const first = await post('/api/ledger/rollbacks', rollback, 'key-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBe('false');
    const entry = ledgerEntrySchema.parse(await first.json());
    const again = await post('/api/ledger/rollbacks', rollback, 'key-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(ledgerEntrySchema.parse(await again.json())).toEqual(entry);

    const other = await post('/api/ledger/rollbacks', { ...rollback, amount: 11 }, 'key-1');
    expect(other.status).toBe(409);
    expect(errorBodySchema.parse(await other.json()).errors).toEqual({
      'Idempotency-Key': 'was used for a different request',
    });
    expect(manualEntries(db)).toHaveLength(1);
    // another user's key is their own
    signIn(userNamed('ops2'));
    expect((await post('/api/ledger/rollbacks', rollback, 'key-1')).headers.get('Idempotent-Replayed')).toBe(
      'false',
    );
    expect(manualEntries(db)).toHaveLength(2);
  });

  it('refuses a refund above the refundable amount, an unknown policy tag, and a role without ledger:write', async () => {
    signInAs('ops');
    const over = await post('/api/ledger/rollbacks', { ...rollback, amount: 55.01 }, 'k-over');
    expect(over.status).toBe(422);
    expect(errorBodySchema.parse(await over.json()).errors).toEqual({
      amount: 'exceeds what may be refunded: 55 (net charge 55)',
    });
    const tag = await post('/api/ledger/rollbacks', { ...rollback, policy_tag: 'Z9' }, 'k-tag');
    expect(tag.status).toBe(422);
    expect(errorBodySchema.parse(await tag.json()).errors).toEqual({
      policy_tag: 'Z9 is not a value of policy_tag',
    });
    const negative = await post('/api/ledger/rollbacks', { ...rollback, amount: -3 }, 'k-neg');
    expect(negative.status).toBe(400);
    expect(errorBodySchema.parse(await negative.json()).errors).toHaveProperty('amount');
    // a pending refund is reserved: what is left may be refunded, not more
    const big = await post(
      '/api/ledger/rollbacks',
      { ...rollback, task_id: 'task_big', amount: 4000 },
      'k-big',
    );
    expect(ledgerEntrySchema.parse(await big.json()).status).toBe('pending_approval');
    const rest = await post(
      '/api/ledger/rollbacks',
      { ...rollback, task_id: 'task_big', amount: 1001 },
      'k-rest',
    );
    expect(errorBodySchema.parse(await rest.json()).errors?.amount).toBe(
      'exceeds what may be refunded: 1000 (net charge 5000, 4000 awaiting approval)',
    );
    // a charge added by adjustment is negative and needs no refund bound
    const adjust = await post('/api/ledger/adjustments', { ...rollback, amount: -7 }, 'k-adj');
    expect(ledgerEntrySchema.parse(await adjust.json())).toMatchObject({
      kind: 'manual_adjustment',
      amount: -7,
    });

    signInAs('compliance_reviewer');
    expect((await post('/api/ledger/rollbacks', rollback, 'k-rev')).status).toBe(403);
    expect(db.audit.at(-1)).toMatchObject({ action: 'access.denied', outcome: 'denied' });
  });

  it('never gives a console entry an id the platform already used', async () => {
    // the platform's ledger ids are free text: this one looks like the console's next
    record(db, 'credits_updated', 1, {
      ledger_id: 'led_console_5',
      task_id: 'task_done',
      policy_tag: 'B1',
      adjust_amount: -1,
    });
    signInAs('ops');
    const made = ledgerEntrySchema.parse(
      await (await post('/api/ledger/rollbacks', rollback, 'k-id')).json(),
    );
    expect(made).toMatchObject({ id: 'led_console_5_2', seq: 5, kind: 'manual_rollback' });
    expect(ledgerEntries(db).find((e) => e.id === 'led_console_5')).toMatchObject({ kind: 'tail_deduction' });
  });

  it('lets only a second person decide a pending entry, once', async () => {
    const entry = requestEntry(
      db,
      'manual_rollback',
      { task_id: 'task_big', amount: 1200, policy_tag: 'C2', reason: 'billed twice' },
      userNamed('ops'),
    );
    const path = `/api/ledger/${encodeURIComponent(entry.id)}`;
    signIn(userNamed('ops'));
    const own = await post(`${path}/approve`, {});
    expect(own.status).toBe(403);
    expect(errorBodySchema.parse(await own.json()).message).toBe(
      `${entry.id} was requested by you; a second person must approve it`,
    );
    expect(db.audit.at(-1)).toMatchObject({ action: 'ledger.approve', outcome: 'denied', actor: 'ops' });

    signIn(userNamed('ops2'));
    expect((await post(`${path}/reject`, {})).status).toBe(400);
    const approved = await post(`${path}/approve`, { note: 'ok' });
    expect(ledgerEntrySchema.parse(await approved.json())).toMatchObject({
      status: 'posted',
      decided_by: 'ops2',
      decision_note: 'ok',
    });
    const twice = await post(`${path}/reject`, { reason: 'too late' });
    expect(twice.status).toBe(409);
    expect(errorBodySchema.parse(await twice.json()).message).toBe(
      `${entry.id} is posted by ops2; only an entry pending approval can be decided`,
    );
    const task = taskDetailSchema.parse(await (await fetch('/api/tasks/task_big')).json());
    expect(task.charge).toEqual({
      charged: 5000,
      refunded: 1200,
      net_charge: 3800,
      pending_refunds: 0,
      refundable: 3800,
    });
    expect(task.net_charge).toBe(3800);
    expect(task.account_id).toBe('a3f1••••••');
  });

  it('reads one entry by its free-text id and the balances per account, masked for ops', async () => {
    signInAs('data_analyst');
    const one = await fetch(`/api/ledger/${encodeURIComponent('charge:task_done')}`);
    expect(ledgerEntrySchema.parse(await one.json())).toMatchObject({ amount: -50, account_id: ACCOUNT });
    const clear = z.array(ledgerAccountSchema).parse(await (await fetch('/api/ledger-accounts')).json());
    expect(clear).toEqual([
      {
        id: ACCOUNT,
        account_id: ACCOUNT,
        balance: -5055,
        charged: 5055,
        refunded: 0,
        pending_refunds: 0,
        entries: 3,
        tasks: 2,
        last_entry_at: expect.any(String),
      },
    ]);
    signInAs('ops');
    const masked = z.array(ledgerAccountSchema).parse(await (await fetch('/api/ledger-accounts')).json());
    expect(masked[0]).toMatchObject({ id: 'row_1', account_id: 'a3f1••••••' });
    const tasks = z
      .array(taskSchema)
      .parse(
        await (
          await fetch(
            `/api/tasks?${new URLSearchParams({ filter: JSON.stringify({ status: ['stale', 'queued'] }) })}`,
          )
        ).json(),
      );
    expect(tasks.map((t) => [t.task_id, t.status])).toEqual([
      ['task_queued', 'queued'],
      ['task_stale', 'stale'],
    ]);
  });
});

describe('mock task and ledger data', () => {
  it('derives tasks and ledger entries from the generated traffic, each parsed with the server schema', async () => {
    const generated = generateLedgerRequests(generateDb(Date.now()), Date.now());
    server.use(...createHandlers(generated));
    signInAs('data_analyst');
    const list = async (resource: string) =>
      (await fetch(`/api/${resource}?${new URLSearchParams({ range: '[0,9999]' })}`)).json();
    const tasks = z.array(taskSchema).parse(await list('tasks'));
    const statuses = new Set(tasks.map((t) => t.status));
    expect(statuses).toContain('succeeded');
    expect(statuses).toContain('failed');
    const entries = z.array(ledgerEntrySchema).parse(await list('ledger'));
    const charges = entries.filter((e) => e.kind === 'task_charge');
    // one charge per succeeded task that spent credits
    expect(charges.length).toBe(new Set(charges.map((e) => e.task_id)).size);
    expect(charges.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.kind === 'tail_deduction')).toBe(true);
    const done = tasks.find((t) => t.status === 'succeeded' && (t.credits_spent ?? 0) > 0)!;
    expect(charges.find((e) => e.task_id === done.task_id)?.amount).toBe(-(done.credits_spent ?? 0));
    const detail = taskDetailSchema.parse(await (await fetch(`/api/tasks/${done.task_id}`)).json());
    expect(detail.events.map((e) => e.event)).toContain('task_completed');
    expect(detail.charge.net_charge).toBe(done.net_charge);
    // the seeded manual entries: a posted rollback, and one awaiting a second approver from each of ops and ops2
    const manual = entries.filter((e) => e.created_by !== 'platform');
    expect(manual.map((e) => [e.kind, e.status, e.created_by]).sort()).toEqual([
      ['manual_adjustment', 'pending_approval', 'ops'],
      ['manual_adjustment', 'pending_approval', 'ops2'],
      ['manual_rollback', 'posted', 'ops'],
    ]);
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { z } from 'zod';
import { signInAs } from '../../mocks/access.ts';
import { emptyDb, generateDb, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { decideLicense, type StoredLicense } from '../../mocks/licenses.ts';
import { server } from '../../mocks/node.ts';
import type { SessionUser } from '../../server/http/env.ts';
import { errorBodySchema } from '../../server/http/schemas.ts';
import { bulkResultSchema, type LicenseRecord, licenseSchema } from '../../server/licenses/schemas.ts';
import { renderApp } from './helpers.tsx';

const HOUR_MS = 3_600_000;
const ACCOUNT = 'a3f1'.repeat(8);

/** a license_apply event `hoursAgo`, which opens a pending application (lic_<n> in the order applied) */
function apply(
  db: MockDb,
  {
    hoursAgo,
    fast = false,
    tag = 'A1',
    account = ACCOUNT,
    template = 'tpl_001',
  }: {
    hoursAgo: number;
    fast?: boolean;
    tag?: string;
    account?: string;
    template?: string;
  },
): StoredLicense {
  recordEvent(db, {
    event: 'license_apply',
    event_id: `apply-${db.events.length + 1}`,
    occurred_at: new Date(Date.now() - hoursAgo * HOUR_MS).toISOString(),
    source: 'platform-integration',
    properties: {
      template_id: template,
      account_id: account,
      is_fast_track: fast,
      persona_tag: 'creator_studio',
      policy_tag: tag,
    },
    violations: [],
  });
  return db.licenses.at(-1) as StoredLicense;
}

/** the second mock reviewer, deciding behind the first one's back */
const reviewer2: SessionUser = {
  id: 2,
  username: 'reviewer2',
  display_name: 'Reviewer Zhao',
  roles: ['compliance_reviewer'],
  team: null,
};
const rejectAs2 = (db: MockDb, license: StoredLicense) =>
  decideLicense(
    db,
    license.id,
    license.version,
    {
      action: 'reject',
      terms: { reason_code: 'fraud_suspected', policy_tag: 'C2', action_required: 'escalate_review' },
    },
    reviewer2,
  );

/** the bodies of the POSTs the mock receives from now on, by path */
function recordPosts(): Array<{ path: string; body: unknown }> {
  const posts: Array<{ path: string; body: unknown }> = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method !== 'POST') return;
    const path = new URL(request.url).pathname;
    const entry = { path, body: undefined as unknown };
    posts.push(entry);
    entry.body = await request.clone().json();
  });
  return posts;
}

const rowIds = () => screen.getAllByTestId(/^license-row-/).map((row) => row.dataset.testid);

async function pick(
  user: ReturnType<typeof userEvent.setup>,
  scope: HTMLElement,
  field: string,
  option: string,
) {
  await user.click(within(scope).getByRole('combobox', { name: field }));
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('licence review', () => {
  let db: MockDb;
  beforeEach(() => {
    db = emptyDb();
    server.use(...createHandlers(db));
  });

  it('lists the pending queue fast track first, oldest first, with SLA age and policy risk in colour', async () => {
    const requests: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/licenses') requests.push(url);
    });
    apply(db, { hoursAgo: 30, tag: 'A2' }); // lic_1: standard, past its 24 h target
    apply(db, { hoursAgo: 1, fast: true, tag: 'C2' }); // lic_2: fast track, well within 4 h
    apply(db, { hoursAgo: 20 }); // lic_3: standard, in the last quarter of 24 h
    apply(db, { hoursAgo: 3.5, fast: true }); // lic_4: fast track, in the last quarter of 4 h
    rejectAs2(db, apply(db, { hoursAgo: 50 })); // lic_5: decided, not in the queue

    renderApp('#/licenses', { as: 'compliance_reviewer' });
    await screen.findByTestId('license-row-4');
    expect(rowIds()).toEqual(['license-row-4', 'license-row-2', 'license-row-1', 'license-row-3']);
    expect(JSON.parse(requests[0]?.searchParams.get('sort') ?? '')).toEqual(['queue', 'ASC']);
    expect(JSON.parse(requests[0]?.searchParams.get('filter') ?? '')).toEqual({ status: 'pending' });

    const row = (id: number) => screen.getByTestId(`license-row-${id}`);
    const sla = (id: number) => within(row(id)).getByTestId('sla-age');
    expect(sla(1)).toHaveAttribute('data-sla', 'breached');
    expect(sla(1)).toHaveTextContent('30.0 h');
    expect(sla(3)).toHaveAttribute('data-sla', 'near');
    expect(sla(4)).toHaveAttribute('data-sla', 'near');
    expect(sla(2)).toHaveAttribute('data-sla', 'ok');
    expect(sla(1)).toHaveStyle({ color: 'rgb(211, 47, 47)' });
    expect(sla(3)).toHaveStyle({ color: 'rgb(237, 108, 2)' });

    expect(within(row(2)).getByTestId('fast-track')).toBeInTheDocument();
    expect(within(row(1)).queryByTestId('fast-track')).toBeNull();
    expect(within(row(1)).getByTestId('policy-tag-A2')).toHaveClass('MuiChip-colorWarning');
    expect(within(row(2)).getByTestId('policy-tag-C2')).toHaveClass('MuiChip-colorError');
    expect(within(row(3)).getByTestId('policy-tag-A1')).toHaveClass('MuiChip-colorSuccess');
    expect(within(row(3)).getByTestId('license-status-pending')).toBeInTheDocument();
    expect(screen.queryByTestId('license-row-5')).toBeNull();
    // a reviewer reads the hashed account id in clear
    expect(row(1)).toHaveTextContent('a3f1a3f1a3f1…');
  });

  it('asks for max_runs before approving a run-limited licence, then sends the terms with the version read', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    apply(db, { hoursAgo: 2 });
    renderApp('#/licenses/1/show', { as: 'compliance_reviewer' });

    await user.click(await screen.findByTestId('license-approve'));
    const dialog = await screen.findByTestId('license-approve-dialog');
    expect(within(dialog).getByLabelText(/Effective from/)).not.toHaveValue('');
    await pick(user, dialog, 'Expiry', 'Run limited');
    await user.click(within(dialog).getByTestId('license-approve-confirm'));
    expect(await within(dialog).findByText('Required for a run-limited licence')).toBeInTheDocument();
    expect(posts).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/Max runs/), '10');
    await user.click(within(dialog).getByTestId('license-approve-confirm'));

    expect(await screen.findByTestId('license-status-approved')).toBeInTheDocument();
    expect(posts.map((p) => p.path)).toEqual(['/api/licenses/1/approve']);
    const body = posts[0]?.body as Record<string, unknown>;
    expect(body).toEqual({
      effective_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      expiry_type: 'run_limited',
      max_runs: 10,
      version: 1,
    });
    expect(Math.abs(Date.parse(String(body.effective_at)) - Date.now())).toBeLessThan(2 * 60_000);
    expect(db.licenses[0]).toMatchObject({
      status: 'approved',
      max_runs: 10,
      decided_by: 'reviewer',
      version: 2,
    });
    expect(await screen.findByText('Licence lic_1 approved')).toBeInTheDocument();
    // the decision is in the history, and the licence now offers only Revoke
    const history = await screen.findByTestId('decision-history');
    await waitFor(() => expect(history).toHaveTextContent('Approved'));
    expect(history).toHaveTextContent('reviewer');
    expect(screen.queryByTestId('license-approve')).toBeNull();
    expect(screen.getByTestId('license-revoke')).toBeInTheDocument();
  });

  it('fills in action_required from the chosen policy tag and sends the reason code', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    apply(db, { hoursAgo: 2, tag: 'A1' });
    renderApp('#/licenses/1/show', { as: 'compliance_reviewer' });

    await user.click(await screen.findByTestId('license-reject'));
    const dialog = await screen.findByTestId('license-reject-dialog');
    // it starts from the application's own tag and that tag's default action
    expect(within(dialog).getByRole('combobox', { name: 'Policy tag' })).toHaveTextContent('A1');
    expect(within(dialog).getByRole('combobox', { name: 'Action required' })).toHaveTextContent(
      'Resubmit material',
    );
    await pick(user, dialog, 'Reason', 'Copyright unverified');
    await pick(user, dialog, 'Policy tag', 'C2 · Suspected fraud');
    expect(within(dialog).getByRole('combobox', { name: 'Action required' })).toHaveTextContent(
      'Escalate review',
    );
    await user.type(within(dialog).getByLabelText('Note'), 'same asset as last week');
    await user.click(within(dialog).getByTestId('license-reject-confirm'));

    expect(await screen.findByTestId('license-status-rejected')).toBeInTheDocument();
    expect(posts).toEqual([
      {
        path: '/api/licenses/1/reject',
        body: {
          reason_code: 'copyright_unverified',
          policy_tag: 'C2',
          action_required: 'escalate_review',
          note: 'same asset as last week',
          version: 1,
        },
      },
    ]);
    expect(db.audit.at(-1)).toMatchObject({
      action: 'license.reject',
      resource: 'license',
      resource_id: '1',
      actor: 'reviewer',
      reason: 'copyright_unverified: same asset as last week',
    });
  });

  it('says who decided first when another reviewer got there before, and shows the licence as it is now', async () => {
    const user = userEvent.setup();
    const license = apply(db, { hoursAgo: 2 });
    renderApp('#/licenses/1/show', { as: 'compliance_reviewer' });
    await user.click(await screen.findByTestId('license-approve'));
    const dialog = await screen.findByTestId('license-approve-dialog');
    await pick(user, dialog, 'Expiry', 'Permanent');

    rejectAs2(db, license);
    await user.click(within(dialog).getByTestId('license-approve-confirm'));

    const conflict = await screen.findByTestId('license-conflict');
    expect(conflict).toHaveTextContent(
      'lic_1 was changed by reviewer2 since you read it (it is rejected now)',
    );
    expect(await screen.findByTestId('license-status-rejected')).toBeInTheDocument();
    expect(screen.queryByTestId('license-approve-dialog')).toBeNull();
    expect(screen.queryByTestId('license-approve')).toBeNull();
    expect(screen.queryByTestId('license-reject')).toBeNull();
    expect(db.licenses[0]).toMatchObject({ status: 'rejected', decided_by: 'reviewer2' });
  });

  it('marks the field the server refuses when a code was deprecated after the dialog opened', async () => {
    const user = userEvent.setup();
    apply(db, { hoursAgo: 2 });
    renderApp('#/licenses/1/show', { as: 'compliance_reviewer' });
    await user.click(await screen.findByTestId('license-reject'));
    const dialog = await screen.findByTestId('license-reject-dialog');
    await pick(user, dialog, 'Reason', 'Other');

    const other = db.enums.find((e) => e.name === 'reason_code')?.values.find((v) => v.code === 'other');
    if (other) other.status = 'deprecated';
    await user.click(within(dialog).getByTestId('license-reject-confirm'));

    expect(await within(dialog).findByText('other is deprecated in reason_code')).toBeInTheDocument();
    expect(await screen.findByText(/unknown or deprecated codes/)).toBeInTheDocument();
    expect(db.licenses[0]?.status).toBe('pending');
    expect(within(dialog).getByTestId('license-reject-confirm')).toBeEnabled();
  });

  it('revokes an approved licence only with a note saying why', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    const license = apply(db, { hoursAgo: 30, tag: 'B2' });
    decideLicense(
      db,
      license.id,
      1,
      { action: 'approve', terms: { effective_at: new Date().toISOString(), expiry_type: 'permanent' } },
      reviewer2,
    );
    renderApp('#/licenses/1/show', { as: 'compliance_reviewer' });
    expect(await screen.findByTestId('license-status-approved')).toBeInTheDocument();
    expect(screen.queryByTestId('license-approve')).toBeNull();

    await user.click(await screen.findByTestId('license-revoke'));
    const dialog = await screen.findByTestId('license-revoke-dialog');
    expect(within(dialog).getByRole('combobox', { name: 'Action required' })).toHaveTextContent(
      'Remove asset',
    );
    await pick(user, dialog, 'Reason', 'Content violation');
    await user.click(within(dialog).getByTestId('license-revoke-confirm'));
    expect(await within(dialog).findByText('Say why the licence is revoked')).toBeInTheDocument();
    expect(posts).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/Note/), 'asset reported by its owner');
    await user.click(within(dialog).getByTestId('license-revoke-confirm'));
    expect(await screen.findByTestId('license-status-revoked')).toBeInTheDocument();
    expect(posts).toEqual([
      {
        path: '/api/licenses/1/revoke',
        body: {
          reason_code: 'content_violation',
          policy_tag: 'B2',
          action_required: 'remove_asset',
          note: 'asset reported by its owner',
          version: 2,
        },
      },
    ]);
    expect(db.licenses[0]).toMatchObject({ status: 'revoked', revoked_by: 'reviewer' });
  });

  it('rejects a selection in bulk and lists what was decided and what was refused', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    apply(db, { hoursAgo: 5 });
    const second = apply(db, { hoursAgo: 4 });
    apply(db, { hoursAgo: 3 });
    renderApp('#/licenses', { as: 'compliance_reviewer' });
    await screen.findByTestId('license-row-3');

    for (const id of [1, 2, 3])
      await user.click(within(screen.getByTestId(`license-row-${id}`)).getByRole('checkbox'));
    rejectAs2(db, second);
    await user.click(screen.getByTestId('license-bulk-reject'));
    const dialog = await screen.findByTestId('license-reject-dialog');
    expect(dialog).toHaveTextContent('Reject 3 applications');
    await pick(user, dialog, 'Reason', 'Material incomplete');
    await user.click(within(dialog).getByTestId('license-reject-confirm'));

    const result = await screen.findByTestId('bulk-result');
    expect(within(result).getByTestId('bulk-result-summary')).toHaveTextContent('2 decided, 1 refused');
    const refused = within(result).getByTestId('bulk-refused-2');
    expect(refused).toHaveTextContent('lic_2');
    expect(refused).toHaveTextContent('was changed by reviewer2');
    expect(posts).toEqual([
      {
        path: '/api/licenses/bulk',
        body: {
          action: 'reject',
          items: [
            { id: 1, version: 1 },
            { id: 2, version: 1 },
            { id: 3, version: 1 },
          ],
          decision: {
            reason_code: 'material_incomplete',
            policy_tag: 'A1',
            action_required: 'resubmit_material',
          },
        },
      },
    ]);
    expect(db.licenses.map((l) => [l.status, l.decided_by])).toEqual([
      ['rejected', 'reviewer'],
      ['rejected', 'reviewer2'],
      ['rejected', 'reviewer'],
    ]);
    // the decided applications have left the pending queue
    await waitFor(() => expect(screen.queryByTestId('license-row-1')).toBeNull());
  });

  it('does not show an engineer the licences', async () => {
    renderApp('#/tracking-plan', { as: 'engineer' });
    expect(await screen.findByRole('menuitem', { name: 'Permissions' })).toBeInTheDocument();
    expect(screen.queryByTestId('menu-licenses')).toBeNull();
    expect(screen.queryByRole('menuitem', { name: 'Licences' })).toBeNull();
  });

  it('shows ops the queue with accounts masked, and no way to decide', async () => {
    apply(db, { hoursAgo: 2 });
    renderApp('#/licenses', { as: 'ops' });
    expect(await screen.findByTestId('menu-licenses')).toHaveAttribute('href', '#/licenses');
    const row = await screen.findByTestId('license-row-1');
    expect(row).toHaveTextContent('a3f1••••••');
    expect(within(row).queryByRole('checkbox')).toBeNull();
    expect(await screen.findByRole('button', { name: 'Export CSV' })).toBeInTheDocument();

    await userEvent.setup().click(row);
    expect(await screen.findByTestId('license-account')).toHaveTextContent('a3f1••••••');
    expect(screen.getByTestId('license-status-pending')).toBeInTheDocument();
    expect(screen.getByTestId('account-licenses')).toHaveTextContent('masked for your role');
    expect(screen.queryByTestId('license-approve')).toBeNull();
    expect(screen.queryByTestId('license-reject')).toBeNull();
    // ops may not read the audit log: no history panel
    expect(screen.queryByTestId('decision-history')).toBeNull();
  });

  it('links the source event, the earlier rejected application and the account’s other applications', async () => {
    const first = apply(db, { hoursAgo: 40 });
    rejectAs2(db, first);
    apply(db, { hoursAgo: 3, template: 'tpl_009' });
    apply(db, { hoursAgo: 2 });
    apply(db, { hoursAgo: 1, account: 'b7c2'.repeat(8) });
    renderApp('#/licenses/3/show', { as: 'compliance_reviewer' });

    expect(await screen.findByTestId('license-previous')).toHaveAttribute('href', '#/licenses/1/show');
    expect(screen.getByTestId('license-source-event')).toHaveAttribute(
      'href',
      `#/events/${db.licenses[2]?.source_event_pk}/show`,
    );
    const others = screen.getByTestId('account-licenses');
    expect(await within(others).findByTestId('account-license-1')).toHaveTextContent('lic_1');
    expect(within(others).getByTestId('account-license-2')).toBeInTheDocument();
    expect(within(others).queryByTestId('account-license-3')).toBeNull();
    expect(within(others).queryByTestId('account-license-4')).toBeNull();
  });

  it("lists the licence's tasks with their outcome and risk alerts, newest first", async () => {
    const license = apply(db, { hoursAgo: 30 });
    const task = (event: string, taskId: string, hoursAgo: number, properties: Record<string, unknown>) =>
      recordEvent(db, {
        event,
        event_id: `${event}-${taskId}`,
        occurred_at: new Date(Date.now() - hoursAgo * HOUR_MS).toISOString(),
        source: 'platform-integration',
        properties: { task_id: taskId, template_id: 'tpl_001', ...properties },
        violations: [],
      });
    task('task_start', 'task-old', 20, {
      account_id: ACCOUNT,
      estimated_credits: 12,
      queue_type: 'standard',
    });
    task('task_completed', 'task-old', 19, { credits_spent: 11, duration_ms: 1000, output_count: 1 });
    task('task_start', 'task-new', 5, { account_id: ACCOUNT, estimated_credits: 30, queue_type: 'fast' });
    task('task_failed', 'task-new', 4, {
      failure_code: 'safety_block',
      sub_status: 'x',
      policy_tag: 'D1',
      action_required: 'remove_asset',
    });
    task('risk_alert', 'task-new', 4, {
      alert_id: 'al-1',
      risk_level: 'high',
      policy_tag: 'D1',
      action_required: 'remove_asset',
      escalation_level: 'ops_review',
    });
    task('task_start', 'someone-else', 3, {
      account_id: 'b7c2'.repeat(8),
      estimated_credits: 5,
      queue_type: 'standard',
    });
    renderApp(`#/licenses/${license.id}/show`, { as: 'ops' });

    const panel = await screen.findByTestId('license-tasks');
    const rows = await within(panel).findAllByTestId(/^license-task-/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['license-task-task-new', 'license-task-task-old']);
    expect(within(rows[0]!).getByText(/Failed · safety_block/)).toHaveAttribute('data-outcome', 'failed');
    expect(within(rows[0]!).getByText('D1 · ops_review')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Completed')).toHaveAttribute('data-outcome', 'completed');
    expect(rows[1]).toHaveTextContent('11');
  });

  it('labels the pickers in Chinese once the console is switched to Chinese', async () => {
    const user = userEvent.setup();
    apply(db, { hoursAgo: 2 });
    renderApp('#/licenses/1/show', { as: 'compliance_reviewer' });
    await screen.findByTestId('license-reject');
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(await screen.findByRole('menuitem', { name: '中文' }));

    await user.click(await screen.findByRole('button', { name: '拒绝' }));
    const dialog = await screen.findByTestId('license-reject-dialog');
    expect(dialog).toHaveTextContent('拒绝 lic_1');
    await user.click(within(dialog).getByRole('combobox', { name: '原因' }));
    expect(await screen.findByRole('option', { name: '材料不完整' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await user.click(within(dialog).getByRole('combobox', { name: '策略标签' }));
    expect(await screen.findByRole('option', { name: 'C2 · 疑似欺诈/刷量' })).toBeInTheDocument();
  });
});

describe('mock licence API', () => {
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

  it('refuses a decision without the permission, with an unknown code, or the state does not allow', async () => {
    apply(db, { hoursAgo: 1 });
    signInAs('ops');
    expect((await fetch('/api/licenses/1')).status).toBe(200);
    const refused = await post('/api/licenses/1/approve', { effective_at: new Date().toISOString() });
    expect(refused.status).toBe(403);

    signInAs('compliance_reviewer');
    const unknown = await post('/api/licenses/1/reject', {
      reason_code: 'bad_vibes',
      policy_tag: 'A1',
      action_required: 'resubmit_material',
      version: 1,
    });
    expect(unknown.status).toBe(422);
    expect(errorBodySchema.parse(await unknown.json()).errors).toEqual({
      reason_code: 'bad_vibes is not a value of reason_code',
    });
    const noRuns = await post('/api/licenses/1/approve', {
      effective_at: new Date().toISOString(),
      expiry_type: 'run_limited',
      version: 1,
    });
    expect(noRuns.status).toBe(422);
    expect(errorBodySchema.parse(await noRuns.json()).errors).toHaveProperty('max_runs');

    const revokePending = await post('/api/licenses/1/revoke', {
      reason_code: 'other',
      policy_tag: 'A1',
      action_required: 'appeal_only',
      note: 'why',
      version: 1,
    });
    expect(revokePending.status).toBe(409);
    expect(errorBodySchema.parse(await revokePending.json()).message).toBe(
      'lic_1 is pending; it cannot be revoked',
    );
    expect(db.licenses[0]?.status).toBe('pending');
  });

  it('decides each application of a bulk request on its own', async () => {
    apply(db, { hoursAgo: 1 });
    apply(db, { hoursAgo: 1 });
    signInAs('compliance_reviewer');
    const response = await post('/api/licenses/bulk', {
      action: 'approve',
      items: [
        { id: 1, version: 1 },
        { id: 2, version: 7 },
        { id: 9, version: 1 },
      ],
      decision: { effective_at: new Date().toISOString(), expiry_type: 'permanent' },
    });
    const { results } = bulkResultSchema.parse(await response.json());
    expect(results.map((r) => [r.id, r.ok, r.status])).toEqual([
      [1, true, 200],
      [2, false, 409],
      [9, false, 404],
    ]);
    expect(licenseSchema.parse(results[0]?.license).status).toBe('approved');
    // the decision went into the stream, as the server's does
    expect(db.events.at(-1)).toMatchObject({ event: 'license_approved', source: 'console' });
  });
});

describe('mock licence data', () => {
  it('opens an application for each generated license_apply, decides some, and serves them in queue order', async () => {
    const generated = generateDb(Date.parse('2026-11-25T12:00:00+08:00'));
    expect(generated.licenses).toHaveLength(
      generated.events.filter((e) => e.event === 'license_apply').length,
    );
    const statuses = new Set(generated.licenses.map((l) => l.status));
    expect([...statuses].sort()).toEqual(['approved', 'pending', 'rejected', 'revoked']);
    expect(generated.audit.filter((r) => r.resource === 'license')).not.toHaveLength(0);

    // the default handlers: two weeks of traffic up to now, every record parsed with the server's schema
    signInAs('ops');
    const response = await fetch(`/api/licenses?${new URLSearchParams({ range: '[0,999]' })}`);
    expect(response.status).toBe(200);
    const queue = z.array(licenseSchema).parse(await response.json());
    const rank = (l: LicenseRecord) => (l.status !== 'pending' ? 2 : l.is_fast_track ? 0 : 1);
    expect(queue.map(rank)).toEqual(queue.map(rank).sort());
    expect(queue.every((l) => l.account_id?.endsWith('••••••'))).toBe(true);
  });
});

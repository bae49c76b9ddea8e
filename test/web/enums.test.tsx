import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { z } from 'zod';
import { MOCK_USERS } from '../../mocks/access.ts';
import { generateDb, ingest, type MockDb } from '../../mocks/data.ts';
import { approveProposal, generateEnumProposals, proposalDetail } from '../../mocks/enums.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import type { Role } from '../../server/auth/permissions.ts';
import {
  enumUsageSchema,
  governedEnumSchema,
  impactSchema,
  type ProposalRecord,
} from '../../server/enums/schemas.ts';
import type { SessionUser } from '../../server/http/env.ts';
import { errorBodySchema } from '../../server/http/schemas.ts';
import type { EnumValueRecord } from '../../server/plan/schemas.ts';
import { diffValues } from '../../web/enums/diff.ts';
import { approvalStanding, mayReject } from '../../web/enums/governance.ts';
import { renderApp } from './helpers.tsx';

const HOUR_MS = 3_600_000;

/**
 * The demo proposals of generateEnumProposals, by id: 1 persona_tag add brand_inhouse by planner, approved by
 * planner2 60 h ago (persona_tag version 2); 2 queue_type add, rejected; 3 policy_tag relabel of B1 by reviewer,
 * pending; 4 failure_code add quota_exceeded by planner, approved by planner2, awaiting a compliance reviewer.
 */
const PERSONA = 1;
const RELABEL_B1 = 3;
const FAILURE = 4;
const PERSONA_APPROVED_HOURS_AGO = 60;
/** the proposal form: a dozen picks and keystrokes, each preview 400 ms after the last; slow on a loaded machine */
const FORM_TIMEOUT = 60_000;
/** the impact preview asks 400 ms after the last keystroke, then renders the answer */
const PREVIEW_WAIT = { timeout: 10_000 };

/** a mock user by username, with the id the mock gives them */
const userNamed = (username: string): SessionUser => {
  const index = MOCK_USERS.findIndex((u) => u.username === username);
  const user = MOCK_USERS[index]!;
  return { ...user, id: index + 1, roles: [...user.roles] };
};

/** a count as the screens print it, and nothing else in the cell */
const exactly = (n: number) => new RegExp(`^${n.toLocaleString()}$`);

/** a value of a table, as the server serves it */
const value = (code: string, over: Partial<EnumValueRecord> = {}): EnumValueRecord => ({
  code,
  label_en: code,
  label_zh: code,
  description: null,
  status: 'active',
  valid_from: '1970-01-01T00:00:00.000Z',
  deprecated_at: null,
  sort_order: 0,
  policy_group: null,
  default_risk_level: null,
  default_action_required: null,
  min_escalation_level: null,
  ...over,
});

/** a pending proposal's approval state, as the list and the show page carry it */
const proposal = (over: Partial<ProposalRecord> = {}) => ({
  status: 'pending' as ProposalRecord['status'],
  proposed_by: 'planner',
  approvals: [] as ProposalRecord['approvals'],
  approve_roles: ['product_planner', 'compliance_reviewer'],
  missing_roles: ['product_planner', 'compliance_reviewer'],
  ...over,
});
const user = (username: string, ...roles: Role[]) => ({ username, roles });

interface Post {
  path: string;
  body: unknown;
}

/** the bodies of the POSTs the mock receives from now on, by path */
function recordPosts(): Post[] {
  const posts: Post[] = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method !== 'POST') return;
    const post: Post = { path: new URL(request.url).pathname, body: undefined };
    posts.push(post);
    post.body = await request.clone().json();
  });
  return posts;
}

const postJson = (path: string, body: unknown) =>
  fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

/** the cell of a table row under the column headed `header` */
function cellUnder(row: HTMLElement, header: string): HTMLElement {
  const table = row.closest('table') as HTMLElement;
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
  const index = heads.indexOf(header);
  expect(index, `column ${header} in ${heads.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return row.querySelectorAll('td')[index] as HTMLElement;
}

/** a moment as the history tab's datetime-local picker takes it: UTC+8 wall time (the console's clock) */
const wallTime = (t: number) => new Date(t + 8 * HOUR_MS).toISOString().slice(0, 19);

/** picks a moment in the history tab's "table at" picker, shows it, and waits for that version's table */
async function showTableAt(t: number, version: number) {
  fireEvent.change(screen.getByTestId('enum-at-input'), { target: { value: wallTime(t) } });
  // (jsdom writes the seconds' fraction out: 10:00:00.000)
  expect((screen.getByTestId('enum-at-input') as HTMLInputElement).value).toMatch(
    new RegExp(`^${wallTime(t)}`),
  );
  await waitFor(() => expect(screen.getByTestId('enum-at-show')).toBeEnabled());
  fireEvent.click(screen.getByTestId('enum-at-show'));
  await waitFor(() =>
    expect(screen.getByTestId('enum-at-table')).toHaveAttribute('data-version', String(version)),
  );
}

async function pick(user: ReturnType<typeof userEvent.setup>, field: RegExp, option: string) {
  await user.click(screen.getByRole('combobox', { name: field }));
  await user.click(await screen.findByRole('option', { name: option }));
}

/** replaces a text input's content with `text` (pasted: typing key by key is slow in jsdom) */
async function fill(user: ReturnType<typeof userEvent.setup>, field: RegExp, text: string) {
  const input = screen.getByRole('textbox', { name: field });
  await user.clear(input);
  await user.click(input);
  await user.paste(text);
}

describe('enum diff and approval standing (pure)', () => {
  it('diffValues lists values added, fields changed with before and after, and values removed; unchanged ones are left out', () => {
    const before = [
      value('A1', { label_en: 'Old', policy_group: 'A', default_risk_level: 'low' }),
      value('A2'),
      value('B1', { description: 'gone soon' }),
    ];
    const after = [
      value('A1', { label_en: 'New', policy_group: 'A', default_risk_level: 'high' }),
      value('A2'),
      value('C1', { label_en: 'Fresh', label_zh: '新' }),
    ];
    const diffs = diffValues(before, after);
    expect(diffs).toEqual([
      {
        kind: 'changed',
        code: 'A1',
        changes: [
          { field: 'label_en', before: 'Old', after: 'New' },
          { field: 'default_risk_level', before: 'low', after: 'high' },
        ],
      },
      { kind: 'added', code: 'C1', value: after[2] },
      { kind: 'removed', code: 'B1', value: before[2] },
    ]);
    expect(diffs.some((d) => d.code === 'A2')).toBe(false);
    // a deprecation shows as the status and date it set; the same table twice shows nothing
    const deprecated = value('A2', { status: 'deprecated', deprecated_at: '2026-11-01T00:00:00.000Z' });
    expect(diffValues([value('A2')], [deprecated])).toEqual([
      {
        kind: 'changed',
        code: 'A2',
        changes: [
          { field: 'status', before: 'active', after: 'deprecated' },
          { field: 'deprecated_at', before: null, after: '2026-11-01T00:00:00.000Z' },
        ],
      },
    ]);
    expect(diffValues(after, after)).toEqual([]);
  });

  it('approvalStanding and mayReject: own, approved, role, may, decided', () => {
    const open = proposal();
    expect(approvalStanding(open, user('planner', 'product_planner'))).toBe('own');
    expect(approvalStanding(open, user('planner2', 'product_planner'))).toBe('may');
    expect(approvalStanding(open, user('reviewer', 'compliance_reviewer'))).toBe('may');
    expect(approvalStanding(open, user('analyst', 'data_analyst'))).toBe('role');

    const half = proposal({
      approvals: [{ username: 'planner2', user_id: 6, role: 'product_planner', at: '2026-11-01T00:00:00Z' }],
      missing_roles: ['compliance_reviewer'],
    });
    expect(approvalStanding(half, user('planner2', 'product_planner'))).toBe('approved');
    // the planner role is satisfied: another planner has nothing left to approve
    expect(approvalStanding(half, user('planner3', 'product_planner'))).toBe('role');
    expect(approvalStanding(half, user('reviewer', 'compliance_reviewer'))).toBe('may');
    for (const status of ['approved', 'rejected'] as const)
      expect(approvalStanding({ ...half, status }, user('reviewer', 'compliance_reviewer'))).toBe('decided');

    // rejecting: any approve role, never the proposer, only while pending, even once one's role is satisfied
    expect(mayReject(half, user('planner3', 'product_planner'))).toBe(true);
    expect(mayReject(half, user('reviewer', 'compliance_reviewer'))).toBe(true);
    expect(mayReject(half, user('planner', 'product_planner'))).toBe(false);
    expect(mayReject(half, user('analyst', 'data_analyst'))).toBe(false);
    expect(mayReject({ ...half, status: 'rejected' }, user('reviewer', 'compliance_reviewer'))).toBe(false);
  });
});

describe('enum governance screens', () => {
  let db: MockDb;
  let now: number;
  beforeEach(() => {
    now = Date.now();
    db = generateEnumProposals(generateDb(now), now);
    server.use(...createHandlers(db));
  });

  /** GET a mock API path as the signed-in user, parsed with `schema` */
  const read = async <T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> => {
    const response = await fetch(path);
    expect(response.status, path).toBe(200);
    return schema.parse(await response.json());
  };

  // first of the rendering tests: each render leaves MUI's styles in the document, and jsdom slows down with them
  it(
    'proposes a persona_tag value with a live impact preview equal to the server’s, sending only what the action takes',
    async () => {
      const user = userEvent.setup();
      // two estimator events carrying an unknown persona: valid but for it, so adding it has an impact
      const template = db.events.find((e) => e.event === 'estimator_interact' && e.valid)!;
      ingest(
        db,
        [1, 2].map((n) => ({
          event: 'estimator_interact',
          event_id: `vip-${n}`,
          occurred_at: new Date(now - n * HOUR_MS).toISOString(),
          source: template.source,
          properties: { ...template.properties, persona_tag: 'vip' },
        })),
      );
      expect(db.events.at(-1)?.violations).toEqual([
        expect.objectContaining({ field: 'persona_tag', rule: 'out_of_enum' }),
      ]);
      const posts = recordPosts();
      renderApp('#/enum-proposals/create', { as: 'product_planner' });

      // a policy_tag addition's group, then another enum: the group is no longer sent
      await waitFor(() =>
        expect(screen.getByRole('combobox', { name: /^Enum/ })).not.toHaveAttribute('aria-disabled'),
      );
      await pick(user, /^Enum/, 'policy_tag');
      await user.click(await screen.findByRole('radio', { name: 'Add' }));
      await pick(user, /^Group/, 'C');
      expect(await screen.findByTestId('proposal-governance')).toHaveTextContent('Compliance reviewer');
      await pick(user, /^Enum/, 'persona_tag');
      await waitFor(() => expect(screen.queryByRole('combobox', { name: /^Group/ })).toBeNull());
      expect(screen.getByTestId('proposal-governance')).toHaveTextContent(
        'Approved by Product planner, never by the proposer.',
      );
      expect(screen.getByRole('radio', { name: 'Add' })).toBeChecked();
      expect(screen.getByTestId('impact-preview')).toHaveTextContent(
        'Choose the enum, the change and the value',
      );

      await fill(user, /^English label/, 'VIP member');
      await fill(user, /^Chinese label/, '会员');

      // an existing code: the server's refusal, in its words
      await fill(user, /^Value/, 'creator_studio');
      const existing = {
        enum: 'persona_tag',
        action: 'add',
        value: 'creator_studio',
        rationale: 'preview',
        label_en: 'VIP member',
        label_zh: '会员',
      };
      const refusal = await postJson('/api/enum-proposals/impact', existing);
      expect(refusal.status).toBe(409);
      const { message, errors } = errorBodySchema.parse(await refusal.json());
      const refused = await screen.findByTestId('impact-refused', {}, PREVIEW_WAIT);
      expect(refused).toHaveTextContent(`The server would refuse this change: ${message}`);
      expect(refused).toHaveTextContent(`value: ${errors?.value}`);
      expect(message).toBe('persona_tag already has creator_studio');

      // a new one: the counts the server gives for the same body
      await fill(user, /^Value/, 'vip');
      const expected = impactSchema.parse(
        await (await postJson('/api/enum-proposals/impact', { ...existing, value: 'vip' })).json(),
      );
      expect(expected.events_using).toBeGreaterThanOrEqual(2);
      expect(expected.becoming_valid).toBeGreaterThanOrEqual(2);
      const preview = screen.getByTestId('impact-preview');
      await waitFor(
        () =>
          expect(within(preview).getByTestId('impact-events-using')).toHaveTextContent(
            exactly(expected.events_using),
          ),
        PREVIEW_WAIT,
      );
      expect(within(preview).queryByTestId('impact-refused')).toBeNull();
      expect(within(preview).getByTestId('impact-becoming-valid')).toHaveTextContent(
        exactly(expected.becoming_valid),
      );
      expect(within(preview).getByTestId('impact-becoming-invalid')).toHaveTextContent(
        exactly(expected.becoming_invalid),
      );
      expect(within(preview).getByTestId('impact-licenses')).toHaveTextContent(
        new RegExp(`^${expected.licenses.total}(\\D|$)`),
      );
      expect(within(preview).getByTestId('impact-alerts')).toHaveTextContent(
        new RegExp(`^${expected.alerts.total}(\\D|$)`),
      );
      // the preview asked the server with the form's body, and stored nothing
      expect(posts.filter((p) => p.path === '/api/enum-proposals/impact').map((p) => p.body)).toContainEqual({
        ...existing,
        value: 'vip',
      });
      expect(posts.some((p) => p.path === '/api/enum-proposals')).toBe(false);

      await fill(user, /^Rationale/, 'The estimator offers a VIP persona');
      await user.click(screen.getByRole('button', { name: 'Save' }));

      expect(await screen.findByTestId('proposal-status-pending')).toBeInTheDocument();
      await waitFor(() => expect(window.location.hash).toBe('#/enum-proposals/5/show'));
      expect(screen.getByTestId('proposal-rationale')).toHaveTextContent(
        'The estimator offers a VIP persona',
      );
      expect(screen.getByTestId('proposal-change-label_en')).toHaveTextContent('VIP member');
      const created = posts.filter((p) => p.path === '/api/enum-proposals');
      expect(created).toEqual([
        {
          path: '/api/enum-proposals',
          body: {
            enum: 'persona_tag',
            action: 'add',
            value: 'vip',
            rationale: 'The estimator offers a VIP persona',
            label_en: 'VIP member',
            label_zh: '会员',
          },
        },
      ]);
      expect(proposalDetail(db, 5)).toMatchObject({
        enum: 'persona_tag',
        code: 'vip',
        status: 'pending',
        proposed_by: 'planner',
        changes: { label_en: 'VIP member', label_zh: '会员' },
      });
    },
    FORM_TIMEOUT,
  );

  it('lists every enum with its owner, governance, version and usage totals equal to the per-value counts', async () => {
    renderApp('#/enums');
    await screen.findByTestId('governance-policy_tag');
    const enums = await read('/api/enums?range=[0,99]', z.array(governedEnumSchema));
    expect(enums.length).toBeGreaterThan(5);
    expect(screen.getAllByTestId(/^governance-/)).toHaveLength(enums.length);

    const totals: Record<string, [number, number]> = {};
    for (const e of enums) {
      const governance = screen.getByTestId(`governance-${e.name}`);
      const row = governance.closest('tr') as HTMLElement;
      expect(cellUnder(row, 'Enum')).toHaveTextContent(e.name);
      expect(cellUnder(row, 'Owner')).toHaveTextContent(e.governance.owner_team);
      expect(cellUnder(row, 'Version')).toHaveTextContent(exactly(e.version));

      const usage = await read(`/api/enums/${e.name}/usage`, enumUsageSchema);
      const sum7 = usage.values.reduce((n, v) => n + v.last_7d, 0);
      const sum30 = usage.values.reduce((n, v) => n + v.last_30d, 0);
      totals[e.name] = [sum7, sum30];
      await waitFor(() =>
        expect(within(row).getByTestId(`usage-total-7d-${e.name}`)).toHaveTextContent(exactly(sum7)),
      );
      expect(within(row).getByTestId(`usage-total-30d-${e.name}`)).toHaveTextContent(exactly(sum30));
    }
    // the traffic uses the enums: the totals are not all zero, and 30 days hold at least the last 7
    expect(totals.policy_tag?.[0]).toBeGreaterThan(0);
    expect(Object.values(totals).every(([d7, d30]) => d30 >= d7)).toBe(true);

    // persona_tag's approved proposal made version 2; everything else is still as seeded
    expect(
      cellUnder(screen.getByTestId('governance-persona_tag').closest('tr') as HTMLElement, 'Version'),
    ).toHaveTextContent(exactly(2));
    expect(enums.find((e) => e.name === 'queue_type')?.version).toBe(1);

    // who proposes (any one role) and who approves (each role), in the reader's words
    const failure = screen.getByTestId('governance-failure_code');
    expect(failure).toHaveTextContent('Propose: Product planner, Compliance reviewer');
    expect(failure).toHaveTextContent('Approve: Product planner + Compliance reviewer');
    expect(screen.getByTestId('governance-policy_tag')).toHaveTextContent('Approve: Compliance reviewer');
    expect(screen.getByTestId('governance-persona_tag')).toHaveTextContent('Propose: Product planner');
    expect(screen.getByTestId('governance-persona_tag')).toHaveTextContent('Approve: Product planner');
  });

  it('shows policy_tag values with risk colours, mapping and usage, and offers proposals to a planner', async () => {
    const user = userEvent.setup();
    renderApp('#/enums/policy_tag/show', { as: 'product_planner' });
    await screen.findByTestId('enum-value-D3');
    const policy = await read('/api/enums/policy_tag', governedEnumSchema);
    const usage = await read('/api/enums/policy_tag/usage', enumUsageSchema);
    const colour = {
      high: 'MuiChip-colorError',
      medium: 'MuiChip-colorWarning',
      low: 'MuiChip-colorSuccess',
    };

    expect(policy.values.length).toBe(9);
    for (const v of policy.values) {
      const row = screen.getByTestId(`enum-value-${v.code}`);
      expect(cellUnder(row, 'Code')).toHaveTextContent(v.code);
      expect(cellUnder(row, 'Label')).toHaveTextContent(v.label_en);
      expect(cellUnder(row, 'Group')).toHaveTextContent(v.policy_group as string);
      const risk = v.default_risk_level as keyof typeof colour;
      const chip = within(cellUnder(row, 'Risk')).getByTestId(`risk-${risk}`);
      expect(chip).toHaveClass(colour[risk]);
      expect(cellUnder(row, 'Default action')).toHaveTextContent(v.default_action_required as string);
      expect(cellUnder(row, 'Minimum escalation')).toHaveTextContent(v.min_escalation_level as string);
      const counts = usage.values.find((c) => c.code === v.code)!;
      await waitFor(() =>
        expect(within(row).getByTestId(`usage-7d-${v.code}`)).toHaveTextContent(exactly(counts.last_7d)),
      );
      expect(within(row).getByTestId(`usage-30d-${v.code}`)).toHaveTextContent(exactly(counts.last_30d));
      expect(within(row).getByTestId(`propose-${v.code}`)).toBeInTheDocument();
    }
    expect(screen.getByTestId('enum-value-D3')).toHaveTextContent('Regulatory escalation');
    expect(within(screen.getByTestId('enum-value-D3')).getByTestId('risk-high')).toHaveTextContent('High');
    expect(usage.values.some((c) => c.last_7d > 0)).toBe(true);
    expect(screen.getByTestId('propose-add')).toBeInTheDocument();

    // a value's own button opens the form on it: policy_tag, its mapping, that value
    await user.click(screen.getByTestId('propose-A1'));
    await waitFor(() => expect(window.location.hash).toBe('#/enum-proposals/create'));
    expect(await screen.findByRole('radio', { name: 'Change mapping' })).toBeChecked();
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: /^Enum/ })).toHaveTextContent('policy_tag'),
    );
    await waitFor(() => expect(screen.getByRole('combobox', { name: /^Value/ })).toHaveTextContent(/^A1 · /));
  });

  it('offers no proposal to an analyst, who may not propose', async () => {
    renderApp('#/enums/policy_tag/show', { as: 'data_analyst' });
    const a1 = await screen.findByTestId('enum-value-A1');
    await waitFor(() => expect(within(a1).getByTestId('usage-7d-A1')).not.toHaveTextContent('…'));
    expect(screen.getByTestId('governance-policy_tag')).toBeInTheDocument();
    expect(screen.queryByTestId('propose-add')).toBeNull();
    expect(screen.queryByTestId('propose-A1')).toBeNull();
    expect(screen.queryAllByTestId(/^propose-/)).toHaveLength(0);
  });

  it('shows persona_tag’s history: version 2 added brand_inhouse, and the table as it stood before and after', async () => {
    renderApp('#/enums/persona_tag/show/history');
    const v2 = await screen.findByTestId('enum-version-2');
    const added = within(v2).getByTestId('diff-brand_inhouse');
    expect(added).toHaveTextContent('Added');
    expect(added).toHaveTextContent('Brand in-house team (C) / 品牌自营团队（C）');
    expect(within(v2).queryAllByTestId(/^diff-/)).toHaveLength(1);
    expect(v2).toHaveTextContent('planner2');
    expect(within(v2).getByRole('link', { name: `Proposal #${PERSONA}` })).toHaveAttribute(
      'href',
      `#/enum-proposals/${PERSONA}/show`,
    );
    const v1 = screen.getByTestId('enum-version-1');
    expect(v1).toHaveTextContent('The table as seeded: 2 values');
    // newest first
    expect(screen.getAllByTestId(/^enum-version-\d+$/).map((card) => card.dataset.testid)).toEqual([
      'enum-version-2',
      'enum-version-1',
    ]);

    const approvedAt = now - PERSONA_APPROVED_HOURS_AGO * HOUR_MS;
    await showTableAt(approvedAt - 2 * HOUR_MS, 1);
    let table = screen.getByTestId('enum-at-table');
    expect(table).toHaveTextContent('Version 1 was in force');
    expect(within(table).getByTestId('enum-value-creator_studio')).toBeInTheDocument();
    expect(within(table).getByTestId('enum-value-operator_contractor')).toBeInTheDocument();
    expect(within(table).queryByTestId('enum-value-brand_inhouse')).toBeNull();

    await showTableAt(approvedAt + 2 * HOUR_MS, 2);
    table = screen.getByTestId('enum-at-table');
    expect(table).toHaveTextContent('Version 2 was in force');
    expect(within(table).getByTestId('enum-value-brand_inhouse')).toHaveTextContent(
      'Brand in-house team (C)',
    );
  });

  it('gives a compliance reviewer the failure_code proposal to approve, not their own, and applies it', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    renderApp('#/enum-proposals', { as: 'compliance_reviewer' });

    // all pending: their own relabel waits for someone else, the failure_code addition awaits them
    const own = await screen.findByTestId(`proposal-waiting-${RELABEL_B1}`);
    expect(own).toHaveAttribute('data-standing', 'own');
    expect(own).toHaveTextContent('Your proposal: someone else approves it');
    expect(screen.getByTestId(`proposal-approve-${FAILURE}`)).toBeInTheDocument();
    expect(screen.queryByTestId(`approvals-${PERSONA}`)).toBeNull();

    await user.click(screen.getByTestId('proposal-view-to_approve'));
    await waitFor(() => expect(screen.queryByTestId(`approvals-${RELABEL_B1}`)).toBeNull());
    const approve = screen.getByTestId(`proposal-approve-${FAILURE}`);
    const row = approve.closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('failure_code');
    expect(row).toHaveTextContent('quota_exceeded');
    expect(within(row).getByTestId(`approvals-${FAILURE}`)).toHaveTextContent('planner2 (Product planner)');
    expect(within(row).getByTestId(`approvals-${FAILURE}`)).toHaveTextContent('Awaiting Compliance reviewer');

    await user.click(approve);
    const dialog = await screen.findByTestId('proposal-approve-dialog');
    expect(dialog).toHaveTextContent('Approve proposal #4');
    expect(within(dialog).getByTestId('proposal-approve-effect')).toHaveTextContent(
      'Yours is the last approval it needs',
    );
    await user.click(within(dialog).getByTestId('proposal-approve-confirm'));

    expect(
      await screen.findByText('Proposal #4 approved: the table is now at version 2'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId(`proposal-approve-${FAILURE}`)).toBeNull());
    expect(posts).toEqual([{ path: `/api/enum-proposals/${FAILURE}/approve`, body: { version: 2 } }]);
    expect(proposalDetail(db, FAILURE)).toMatchObject({
      status: 'approved',
      applied_version: 2,
      approvals: [
        expect.objectContaining({ username: 'planner2', role: 'product_planner' }),
        expect.objectContaining({ username: 'reviewer', role: 'compliance_reviewer' }),
      ],
    });
    const failure = await read('/api/enums/failure_code', governedEnumSchema);
    expect(failure.version).toBe(2);
    expect(failure.values.find((v) => v.code === 'quota_exceeded')).toMatchObject({
      status: 'active',
      label_en: 'Quota exceeded',
    });
    // the enum's page shows the new value
    await user.click(screen.getByTestId('proposal-view-all'));
    await user.click(await screen.findByRole('link', { name: 'failure_code' }));
    expect(await screen.findByTestId('enum-value-quota_exceeded')).toHaveTextContent('Quota exceeded');
  });

  it('rejects only with a reason, then shows the proposal rejected with it', async () => {
    const user = userEvent.setup();
    const posts = recordPosts();
    renderApp(`#/enum-proposals/${FAILURE}/show`, { as: 'compliance_reviewer' });
    expect(await screen.findByTestId('proposal-status-pending')).toBeInTheDocument();
    await user.click(await screen.findByTestId(`proposal-reject-${FAILURE}`));
    const dialog = await screen.findByTestId('proposal-reject-dialog');
    await user.click(within(dialog).getByTestId('proposal-reject-confirm'));
    expect(await within(dialog).findByText('Say why it is rejected')).toBeInTheDocument();
    expect(posts).toHaveLength(0);
    expect(proposalDetail(db, FAILURE).status).toBe('pending');

    await user.click(within(dialog).getByLabelText(/Reason/));
    await user.paste('The platform has not shipped the quota code yet');
    await user.click(within(dialog).getByTestId('proposal-reject-confirm'));

    expect(await screen.findByTestId('proposal-status-rejected')).toBeInTheDocument();
    const decision = await screen.findByTestId('proposal-decision');
    expect(decision).toHaveTextContent('Rejected by reviewer');
    expect(decision).toHaveTextContent('The platform has not shipped the quota code yet');
    expect(screen.queryByTestId(`proposal-reject-${FAILURE}`)).toBeNull();
    expect(screen.queryByTestId(`proposal-approve-${FAILURE}`)).toBeNull();
    expect(posts).toEqual([
      {
        path: `/api/enum-proposals/${FAILURE}/reject`,
        body: { reason: 'The platform has not shipped the quota code yet', version: 2 },
      },
    ]);
    expect(proposalDetail(db, FAILURE)).toMatchObject({
      status: 'rejected',
      rejected_by: 'reviewer',
      reject_reason: 'The platform has not shipped the quota code yet',
    });
    expect(db.enums.find((e) => e.name === 'failure_code')?.values.map((v) => v.code)).not.toContain(
      'quota_exceeded',
    );
  });

  it('shows the conflict banner when the proposal was decided by someone else first', async () => {
    const user = userEvent.setup();
    renderApp(`#/enum-proposals/${FAILURE}/show`, { as: 'compliance_reviewer' });
    await user.click(await screen.findByTestId(`proposal-approve-${FAILURE}`));
    const dialog = await screen.findByTestId('proposal-approve-dialog');

    // another reviewer approves it behind this one's back
    approveProposal(db, FAILURE, 2, userNamed('reviewer2'), 'test');
    await user.click(within(dialog).getByTestId('proposal-approve-confirm'));

    const conflict = await screen.findByTestId('proposal-conflict');
    expect(conflict).toHaveTextContent(`proposal ${FAILURE} is already approved`);
    await waitFor(() => expect(screen.queryByTestId('proposal-approve-dialog')).toBeNull());
    expect(await screen.findByTestId('proposal-status-approved')).toBeInTheDocument();
    expect(screen.queryByTestId(`proposal-approve-${FAILURE}`)).toBeNull();
    expect(await screen.findByTestId('proposal-decision')).toHaveTextContent('version 2 of the table');
    expect(proposalDetail(db, FAILURE).approvals.map((a) => a.username)).toEqual(['planner2', 'reviewer2']);
  });

  it('labels the proposals inbox in Chinese once the console is switched to Chinese', async () => {
    const user = userEvent.setup();
    renderApp('#/enum-proposals', { as: 'compliance_reviewer' });
    await screen.findByTestId(`proposal-waiting-${RELABEL_B1}`);
    expect(screen.getByTestId('proposal-view-to_approve')).toHaveTextContent('To approve');
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(await screen.findByRole('menuitem', { name: '中文' }));

    await waitFor(() => expect(screen.getByTestId('proposal-view-to_approve')).toHaveTextContent('待我审批'));
    expect(screen.getByTestId('proposal-view-mine')).toHaveTextContent('我提议的');
    expect(screen.getByTestId('proposal-view-all')).toHaveTextContent('全部');
    expect(screen.getByTestId(`proposal-waiting-${RELABEL_B1}`)).toHaveTextContent('你的提案：须由他人审批');
    expect(screen.getByTestId(`proposal-approve-${FAILURE}`)).toHaveTextContent('批准');
    expect(screen.getByTestId(`proposal-reject-${FAILURE}`)).toHaveTextContent('驳回');
    expect(screen.getAllByTestId('proposal-status-pending')[0]).toHaveTextContent('待审批');
    expect(screen.getByTestId(`approvals-${FAILURE}`)).toHaveTextContent('等待合规审核审批');
    const head = document.querySelector('thead') as HTMLElement;
    expect(head).toHaveTextContent('枚举');
    expect(head).toHaveTextContent('取值');
  });
});

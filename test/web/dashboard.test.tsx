import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { currentUser, signInAs } from '../../mocks/access.ts';
import { generateDb, type MockDb } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { generateLedgerRequests } from '../../mocks/ledger.ts';
import { server } from '../../mocks/node.ts';
import { permissionsOf } from '../../server/auth/permissions.ts';
import { meSchema } from '../../server/auth/schemas.ts';
import { METRIC_SCHEMAS, type MetricName } from '../../web/dataProvider.ts';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { recordRequests, renderApp } from './helpers.tsx';

/**
 * The metrics board (web/dashboard) over the mock API: every figure on screen is checked against what the
 * mock API answers for the same range and filters, asked here — never a constant.
 */

// noon in Shanghai: the board's default range is the 14 UTC+8 days up to today, 2026-11-25
const NOW = Date.parse('2026-11-25T12:00:00+08:00');
const LAST_14 = { from: '2026-11-12', to: '2026-11-25' };
const LAST_7 = { from: '2026-11-19', to: '2026-11-25' };
const CARDS = ['funnel', 'cta-ab', 'hot-templates', 'failures', 'credits', 'license-review'] as const;

/** the mock API's answer, as the signed-in data analyst */
async function answer<N extends MetricName>(name: N, query: Record<string, string>) {
  signInAs('data_analyst');
  const res = await fetch(`/api/metrics/${name}?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return METRIC_SCHEMAS[name].parse(await res.json()) as ReturnType<(typeof METRIC_SCHEMAS)[N]['parse']>;
}

/** a count as the screen groups it, and a share as a percentage with one decimal */
const count = (n: number) => n.toLocaleString('en-US');
const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

const card = (id: string) => screen.getByTestId(`metric-${id}`);

/** the funnel table shows the answer's events and conversion (with its basis) for every step */
async function expectFunnel(expected: Awaited<ReturnType<typeof answer<'funnel'>>>) {
  await waitFor(() =>
    expect(screen.getByTestId('funnel-landing_view-events')).toHaveTextContent(
      count(expected.steps[0]?.events ?? -1),
    ),
  );
  for (const s of expected.steps) {
    expect(screen.getByTestId(`funnel-${s.step}-events`)).toHaveTextContent(
      new RegExp(`^${count(s.events)}$`),
    );
    const conversion = screen.getByTestId(`funnel-${s.step}-conversion`);
    expect(conversion).toHaveTextContent(pct(s.conversion));
    if (s.conversion_basis) expect(conversion).toHaveTextContent(en.metrics.funnel.basis[s.conversion_basis]);
  }
}

describe('metrics board', () => {
  let db: MockDb;
  beforeAll(() => {
    db = generateLedgerRequests(generateDb(NOW), NOW);
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    server.use(...createHandlers(db));
  });
  afterEach(() => vi.useRealTimers());

  it('renders the six cards, and the funnel figures of the mock API for the last 14 days', async () => {
    const funnel = await answer('funnel', LAST_14);
    const review = await answer('license-review', LAST_14);
    const credits = await answer('credits', LAST_14);
    expect(funnel.steps[0]?.events).toBeGreaterThan(0);
    renderApp('#/metrics');

    for (const id of CARDS) expect(await screen.findByTestId(`metric-${id}`)).toBeInTheDocument();
    expect(within(card('funnel')).getByRole('heading', { name: 'Funnel' })).toBeInTheDocument();
    expect(
      within(card('license-review')).getByRole('heading', { name: 'Licence review' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Metrics board' })).toBeInTheDocument();
    expect(
      screen.getByText(`UTC+8 days ${LAST_14.from} to ${LAST_14.to}, both included`),
    ).toBeInTheDocument();
    await expectFunnel(funnel);
    // the steps say what they count
    expect(within(screen.getByTestId('funnel-task_completed')).getByText('events only')).toBeInTheDocument();
    expect(within(screen.getByTestId('funnel-landing_view')).getByText('users')).toBeInTheDocument();

    // the other cards' totals come from their own answers
    expect(await screen.findByTestId('metric-license-review-approved')).toHaveTextContent(
      `Approved: ${count(review.totals.approved)}`,
    );
    expect(screen.getByTestId('metric-license-review-approval_rate')).toHaveTextContent(
      pct(review.totals.approval_rate),
    );
    expect(await screen.findByTestId('metric-credits-rolled_back')).toHaveTextContent(
      count(credits.totals.rolled_back),
    );
    expect(credits.totals.rolled_back).toBeGreaterThan(0);
  });

  it('asks for the last 7 days when "Last 7 d" is clicked, and shows their figures', async () => {
    const fourteen = await answer('funnel', LAST_14);
    const seven = await answer('funnel', LAST_7);
    expect(seven.steps[0]?.events).toBeLessThan(fourteen.steps[0]?.events ?? 0);
    const user = userEvent.setup();
    const requests = recordRequests();
    renderApp('#/metrics');
    await expectFunnel(fourteen);
    const asked = (name: string) => requests.filter((u) => u.pathname === `/api/metrics/${name}`);
    for (const id of CARDS)
      expect(Object.fromEntries(asked(id).at(-1)?.searchParams ?? []), id).toEqual(LAST_14);

    await user.click(screen.getByTestId('metrics-last-7'));
    await expectFunnel(seven);
    expect(screen.getByText(`UTC+8 days ${LAST_7.from} to ${LAST_7.to}, both included`)).toBeInTheDocument();
    for (const id of CARDS)
      expect(Object.fromEntries(asked(id).at(-1)?.searchParams ?? []), id).toEqual(LAST_7);
  });

  it('notes the persona filter on the cards whose answer could not apply it, and only on those', async () => {
    const persona = 'creator_studio';
    const answers = await Promise.all(CARDS.map((id) => answer(id, { ...LAST_14, persona })));
    const applied = CARDS.filter((_, i) => answers[i]?.filters_applied.includes('persona'));
    const unfiltered = CARDS.filter((id) => !applied.includes(id));
    // both kinds are on the board: the funnel's applications carry a persona, failures do not
    expect(applied).toEqual(expect.arrayContaining(['funnel', 'license-review']));
    expect(unfiltered).toEqual(expect.arrayContaining(['failures', 'credits']));
    const funnel = answers[0] as Awaited<ReturnType<typeof answer<'funnel'>>>;
    const unfilteredFunnel = await answer('funnel', LAST_14);
    expect(funnel.steps[2]?.events).toBeLessThan(unfilteredFunnel.steps[2]?.events ?? 0);

    const user = userEvent.setup();
    renderApp('#/metrics');
    await expectFunnel(unfilteredFunnel);
    for (const id of CARDS) expect(screen.queryByTestId(`metric-${id}-unfiltered`)).not.toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: /Persona/ }));
    await user.click(await screen.findByRole('option', { name: 'Creator studio (A)' }));

    await waitFor(() => {
      for (const id of unfiltered) expect(screen.getByTestId(`metric-${id}-unfiltered`)).toBeInTheDocument();
      for (const id of applied)
        expect(screen.queryByTestId(`metric-${id}-unfiltered`)).not.toBeInTheDocument();
    });
    expect(screen.getByTestId('metric-failures-unfiltered')).toHaveTextContent(
      'Not filtered by Persona: its events do not carry it',
    );
    // the funnel's applications are the persona's now
    await waitFor(() =>
      expect(screen.getByTestId('funnel-license_apply-events')).toHaveTextContent(
        new RegExp(`^${count(funnel.steps[2]?.events ?? -1)}$`),
      ),
    );
  });

  it('switches the failures between failure codes and policy tags', async () => {
    const failures = await answer('failures', LAST_14);
    const codes = failures.by_failure_code.keys;
    const tags = failures.by_policy_tag.keys;
    expect(codes.length).toBeGreaterThan(0);
    expect(tags.length).toBeGreaterThan(0);
    const user = userEvent.setup();
    renderApp('#/metrics');

    const chip = (key: string) => `metric-failures-key-${key}`;
    for (const k of codes)
      expect(await screen.findByTestId(chip(k.key))).toHaveTextContent(`${k.key}: ${count(k.total)}`);
    for (const k of tags) expect(screen.queryByTestId(chip(k.key))).not.toBeInTheDocument();
    expect(screen.getByTestId('metric-failures-total')).toHaveTextContent(count(failures.total));
    expect(screen.getByTestId('failures-by_failure_code')).toHaveAttribute('aria-pressed', 'true');

    await user.click(screen.getByTestId('failures-by_policy_tag'));
    for (const k of tags)
      expect(await screen.findByTestId(chip(k.key))).toHaveTextContent(`${k.key}: ${count(k.total)}`);
    for (const k of codes) expect(screen.queryByTestId(chip(k.key))).not.toBeInTheDocument();
    expect(screen.getByTestId('failures-by_policy_tag')).toHaveAttribute('aria-pressed', 'true');
  });

  it('lists the A/B cells outside the planned buckets and CTAs only when asked to', async () => {
    const ab = await answer('cta-ab', LAST_14);
    const codes = (name: string) => db.enums.find((e) => e.name === name)?.values.map((v) => v.code) ?? [];
    const isPlanned = (c: { ab_bucket: string; cta_id: string }) =>
      codes('ab_bucket').includes(c.ab_bucket) && codes('cta_id').includes(c.cta_id);
    const planned = ab.cells.filter(isPlanned);
    const others = ab.cells.filter((c) => !isPlanned(c));
    expect(planned.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const user = userEvent.setup();
    renderApp('#/metrics');

    const row = (c: { ab_bucket: string; cta_id: string }) => `ab-${c.ab_bucket}-${c.cta_id}`;
    for (const c of planned)
      expect(await screen.findByTestId(`${row(c)}-ctr`)).toHaveTextContent(new RegExp(`^${pct(c.ctr)}$`));
    for (const c of others) expect(screen.queryByTestId(row(c))).not.toBeInTheDocument();
    const toggle = screen.getByTestId('ab-others');
    expect(toggle).toHaveTextContent(`Show ${others.length} combinations`);

    await user.click(within(toggle).getByRole('switch'));
    for (const c of others) {
      const shown = screen.getByTestId(row(c));
      expect(shown).toHaveTextContent(c.ab_bucket);
      expect(within(shown).getByTestId(`${row(c)}-ctr`)).toHaveTextContent(pct(c.ctr));
    }
    // the planned rows stay listed
    for (const c of planned) expect(screen.getByTestId(row(c))).toBeInTheDocument();
  });

  it("shows the server's refusal in the card that asked, at once, the other cards unaffected", async () => {
    const message = 'invalid metrics query: from the range may span at most 92 days';
    server.use(
      http.get('/api/metrics/credits', () =>
        HttpResponse.json(
          { message, errors: { from: 'the range may span at most 92 days' } },
          { status: 400 },
        ),
      ),
    );
    const funnel = await answer('funnel', LAST_14);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const requests = recordRequests();
    renderApp('#/metrics');
    await expectFunnel(funnel);
    expect(await within(card('credits')).findByRole('alert')).toHaveTextContent(message);
    expect(within(card('funnel')).queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByTestId('metric-failures-total')).toBeInTheDocument();
    // a refusal is not retried: the same query would be refused again
    expect(requests.filter((u) => u.pathname === '/api/metrics/credits')).toHaveLength(1);
    logged.mockRestore();
  });

  it('offers the board in the menu to a role with metrics:read, and not without it', async () => {
    expect(permissionsOf(['engineer'])).toContain('metrics:read');
    const first = renderApp('#/metrics', { as: 'engineer' });
    const item = await screen.findByTestId('menu-metrics');
    expect(item).toHaveTextContent('Metrics board');
    expect(item).toHaveAttribute('href', '#/metrics');
    first.unmount();

    // the same user, with every permission but metrics:read
    server.use(
      http.get('/api/auth/me', () => {
        const user = currentUser();
        if (!user) return HttpResponse.json({ message: 'sign in first' }, { status: 401 });
        const permissions = permissionsOf(user.roles).filter((p) => p !== 'metrics:read');
        return HttpResponse.json(meSchema.parse({ ...user, permissions }));
      }),
    );
    renderApp('#/events', { as: 'engineer' });
    expect(await screen.findByTestId('menu-events')).toBeInTheDocument();
    expect(screen.queryByTestId('menu-metrics')).not.toBeInTheDocument();
  });

  it('reads in Chinese: the board title and every card title', async () => {
    const user = userEvent.setup();
    renderApp('#/metrics');
    await screen.findByTestId('metric-funnel');
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(await screen.findByRole('menuitem', { name: '中文' }));

    const titles = {
      funnel: zh.metrics.funnel.title,
      'cta-ab': zh.metrics.cta_ab.title,
      'hot-templates': zh.metrics.hot_templates.title,
      failures: zh.metrics.failures.title,
      credits: zh.metrics.credits.title,
      'license-review': zh.metrics.review.title,
    };
    for (const [id, title] of Object.entries(titles)) {
      expect(title).toMatch(/[\u4e00-\u9fff]/);
      expect(await within(card(id)).findByRole('heading', { name: title })).toBeInTheDocument();
    }
    expect(screen.getByRole('heading', { name: zh.metrics.title })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: zh.metrics.menu })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: en.metrics.funnel.title })).not.toBeInTheDocument();
    expect(screen.getByTestId('metrics-last-7')).toHaveTextContent(zh.metrics.last_days.replace('%{n}', '7'));
  });
});

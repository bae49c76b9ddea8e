import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../server/app.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { Estimate } from '../../server/ledger/schemas.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import {
  creditsUpdated,
  KEYS,
  licenseApply,
  TASK_ACCOUNT,
  type TestApp,
  taskCompleted,
  taskFailed,
  taskStart,
  testApp,
} from './helpers.ts';

/**
 * POST /api/credits/estimate, the platform's call (service token): the range of credits a spec will cost,
 * [p10, p90] (nearest rank) of what comparable succeeded tasks spent within the window, narrowed by template,
 * output count and persona when given; the rate table when there are fewer samples than the minimum; and the
 * account's ledger balance when an account is named.
 */

const TOKEN = 'st_test_platform_service';
const OTHER_ACCOUNT = 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6';
const POLICY = {
  minSamples: 5,
  windowDays: 30,
  rates: { standard: [10, 80], fast: [15, 120] },
} satisfies NonNullable<AppDeps['estimate']>;

let t: TestApp;
/** tasks made so far: task_1, task_2, … */
let n = 0;
const setUp = (overrides: Partial<AppDeps> = {}) => {
  n = 0;
  t = testApp({ estimate: POLICY, ...overrides });
  createWriteKey(t.db, {
    kind: 'service_token',
    source: 'platform-integration',
    label: 'platform service',
    createdAt: t.now.toISOString(),
    key: TOKEN,
  });
};
beforeEach(() => setUp());
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const estimate = (body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) =>
  t.app.request('/api/credits/estimate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
async function estimated(body: unknown): Promise<Estimate> {
  const res = await estimate(body);
  expect(res.status).toBe(200);
  return (await res.json()) as Estimate;
}
async function expectError(res: Response, status: number) {
  expect(res.status).toBe(status);
  return (await res.json()) as ErrorBody;
}

/** the nearest-rank percentile, computed here from the samples as the definition states it */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1]!;
}

const minutesAgo = (m: number) => new Date(t.now.getTime() - m * 60_000).toISOString();
/** a task that ran and succeeded, spending `spent`, finished `agoMinutes` before the clock */
function succeeded(
  spent: number,
  start: Record<string, unknown> = {},
  done: Record<string, unknown> = {},
  agoMinutes = 60,
) {
  const id = `task_${++n}`;
  const res = t.store.ingest(
    [
      taskStart(`s-${id}`, id, start, minutesAgo(agoMinutes + 5)),
      taskCompleted(`c-${id}`, id, { credits_spent: spent, ...done }, minutesAgo(agoMinutes)),
    ],
    'platform-integration',
  );
  expect(res.accepted).toBe(2);
  return id;
}

describe('the range from recent comparable tasks', () => {
  it('is [p10, p90] by nearest rank of the succeeded tasks of the queue type in the window', async () => {
    const spent = [
      12, 7.5, 30, 18, 18, 22, 9, 41, 15, 27, 33, 11, 19, 25, 16, 14, 38, 21, 8, 29, 17, 23.25, 26,
    ];
    for (const s of spent) succeeded(s, { queue_type: 'standard' });
    // not comparable: another queue type, a failure, a task still queued, a task outside the window, no start
    succeeded(500, { queue_type: 'fast' });
    t.store.ingest(
      [taskStart('s-f', 'failed_1', { queue_type: 'standard' }), taskFailed('f-f', 'failed_1')],
      'platform-integration',
    );
    t.store.ingest([taskStart('s-q', 'queued_1', { queue_type: 'standard' })], 'platform-integration');
    succeeded(999, { queue_type: 'standard' }, {}, 30 * 24 * 60 + 1);
    t.store.ingest([taskCompleted('c-nostart', 'nostart', { credits_spent: 700 })], 'platform-integration');

    const e = await estimated({ queue_type: 'standard' });
    expect(e).toEqual({
      expected_credits_range: [nearestRank(spent, 10), nearestRank(spent, 90)],
      basis: 'recent_tasks',
      sample_size: spent.length,
      min_samples: 5,
      window_days: 30,
      precheck_balance: null,
    } satisfies Estimate);
    // by hand: 23 samples, ranks 3 and 21 of the sorted values
    expect(e.expected_credits_range).toEqual([9, 33]);
    // exactly at the window's start still counts
    succeeded(1, { queue_type: 'standard' }, {}, 30 * 24 * 60);
    expect((await estimated({ queue_type: 'standard' })).sample_size).toBe(spent.length + 1);
  });

  it('equals the nearest-rank p10 and p90 of any set of samples', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
          { minLength: 5, maxLength: 60 },
        ),
        async (spent) => {
          const template = `tpl_run_${++run}`;
          for (const s of spent) succeeded(s, { queue_type: 'fast', template_id: template });
          const e = await estimated({ queue_type: 'fast', template_id: template });
          expect(e.basis).toBe('recent_tasks');
          expect(e.sample_size).toBe(spent.length);
          expect(e.expected_credits_range).toEqual([nearestRank(spent, 10), nearestRank(spent, 90)]);
        },
      ),
      { seed: 20261125, numRuns: 25 },
    );
  });

  it('template_id, output_count and persona_tag narrow the samples', async () => {
    // account A applied for tpl_001 as creator_studio, account B as operator_contractor
    t.store.ingest(
      [
        licenseApply('apply-a', { account_id: TASK_ACCOUNT, persona_tag: 'creator_studio' }),
        licenseApply('apply-b', { account_id: OTHER_ACCOUNT, persona_tag: 'operator_contractor' }),
      ],
      'platform-integration',
    );
    const a2 = [10, 11, 12, 13, 14, 15];
    const a4 = [40, 41, 42, 43, 44, 45, 46];
    const b2 = [90, 91, 92, 93, 94];
    for (const s of a2) succeeded(s, {}, { output_count: 2 });
    for (const s of a4) succeeded(s, {}, { output_count: 4 });
    for (const s of b2) succeeded(s, { account_id: OTHER_ACCOUNT }, { output_count: 2 });
    for (const s of [200, 201, 202, 203, 204])
      succeeded(s, { template_id: 'tpl_002' }, { template_id: 'tpl_002' });

    const range = async (body: Record<string, unknown>) => {
      const e = await estimated({ queue_type: 'standard', ...body });
      return [e.sample_size, ...e.expected_credits_range];
    };
    const all = [...a2, ...a4, ...b2];
    expect(await range({ template_id: 'tpl_001' })).toEqual([
      all.length,
      nearestRank(all, 10),
      nearestRank(all, 90),
    ]);
    expect(await range({ template_id: 'tpl_001', output_count: 2 })).toEqual([
      a2.length + b2.length,
      nearestRank([...a2, ...b2], 10),
      nearestRank([...a2, ...b2], 90),
    ]);
    expect(await range({ template_id: 'tpl_001', persona_tag: 'creator_studio' })).toEqual([
      a2.length + a4.length,
      nearestRank([...a2, ...a4], 10),
      nearestRank([...a2, ...a4], 90),
    ]);
    expect(await range({ persona_tag: 'operator_contractor', output_count: 2 })).toEqual([5, 90, 94]);
    expect(await range({ template_id: 'tpl_002' })).toEqual([5, 200, 204]);
  });
});

describe('the rate table below the minimum of samples', () => {
  it('answers the rate of the queue type, with the sample size it found', async () => {
    for (const s of [10, 20, 30, 40]) succeeded(s, { queue_type: 'fast' });
    expect(await estimated({ queue_type: 'fast' })).toEqual({
      expected_credits_range: [15, 120],
      basis: 'rate_table',
      sample_size: 4,
      min_samples: 5,
      window_days: 30,
      precheck_balance: null,
    } satisfies Estimate);
    succeeded(50, { queue_type: 'fast' });
    expect(await estimated({ queue_type: 'fast' })).toMatchObject({
      expected_credits_range: [10, 50],
      basis: 'recent_tasks',
      sample_size: 5,
    });
    // a filter can take it back under the minimum
    expect(await estimated({ queue_type: 'fast', output_count: 3 })).toMatchObject({
      basis: 'rate_table',
      sample_size: 0,
      expected_credits_range: [15, 120],
    });
  });

  it('the minimum, the window and the rates come from AppDeps.estimate', async () => {
    t.hub.close();
    t.cleanup();
    setUp({ estimate: { minSamples: 2, windowDays: 1, rates: { standard: [1, 2] } } });
    succeeded(5);
    succeeded(6, {}, {}, 23 * 60);
    succeeded(7, {}, {}, 25 * 60); // outside the one-day window
    expect(await estimated({ queue_type: 'standard' })).toMatchObject({
      basis: 'recent_tasks',
      sample_size: 2,
      expected_credits_range: [5, 6],
      window_days: 1,
      min_samples: 2,
    });
    expect((await estimated({ queue_type: 'standard', output_count: 9 })).expected_credits_range).toEqual([
      1, 2,
    ]);
    // a queue type of the enum with no rate and too few samples: 422 naming it
    const err = await expectError(await estimate({ queue_type: 'fast' }), 422);
    expect(err.errors).toEqual({ queue_type: 'has no rate in the rate table' });
  });
});

describe('bad requests', () => {
  it('an unknown queue_type or persona_tag is a 422 naming it; a bad body a 400 naming the field', async () => {
    const unknown = await expectError(await estimate({ queue_type: 'turbo' }), 422);
    expect(unknown.errors).toEqual({ queue_type: 'turbo is not a value of queue_type' });
    const persona = await expectError(
      await estimate({ queue_type: 'standard', persona_tag: 'persona_c' }),
      422,
    );
    expect(persona.errors).toEqual({ persona_tag: 'persona_c is not a value of persona_tag' });
    expect(Object.keys((await expectError(await estimate({}), 400)).errors ?? {})).toEqual(['queue_type']);
    expect(
      Object.keys(
        (await expectError(await estimate({ queue_type: 'standard', output_count: 1.5 }), 400)).errors ?? {},
      ),
    ).toEqual(['output_count']);
    expect((await expectError(await estimate('{'), 400)).errors).toEqual({ '(body)': 'not valid JSON' });
  });

  it('401 without a service token, with a wrong, revoked or write key, or with a session cookie alone', async () => {
    const revoked = createWriteKey(t.db, {
      kind: 'service_token',
      source: 'platform-integration',
      label: 'old',
      createdAt: t.now.toISOString(),
      key: 'st_revoked_token',
    });
    t.db
      .prepare('UPDATE landing_phase1_write_keys SET revoked_at = ? WHERE id = ?')
      .run(t.now.toISOString(), revoked.id);
    const body = { queue_type: 'standard' };
    const missing = await estimate(body, {});
    expect((await expectError(missing, 401)).message).toBe(
      'missing service token: send Authorization: Bearer <service token>',
    );
    expect(missing.headers.get('WWW-Authenticate')).toBe('Bearer realm="service"');
    for (const headers of [
      { Authorization: 'Bearer st_wrong' },
      { Authorization: 'Bearer st_revoked_token' },
      { Authorization: `Bearer ${KEYS.platform}` }, // an ingestion write key is not a service token
      { Authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}` },
    ])
      expect((await estimate(body, headers)).status).toBe(401);
    // a signed-in console user (any role) is not the platform
    for (const role of ['data_analyst', 'ops', 'admin'] as const) {
      const res = await estimate(body, { Cookie: t.as(role).cookie, Origin: 'http://localhost' });
      expect(res.status).toBe(401);
    }
    expect((await estimate(body)).status).toBe(200);
  });
});

describe('precheck_balance', () => {
  it("is the account's posted ledger sum, with its pending refunds apart, and the balance after the estimate", async () => {
    for (const s of [20, 30, 40, 50, 60]) succeeded(s); // the account's tasks: charged 200
    succeeded(77, { account_id: OTHER_ACCOUNT }); // another account's
    t.store.ingest([creditsUpdated('cu-1', 'led_tail', 'task_1', -2.5)], 'platform-integration');
    const ops = t.as('ops');
    const small = await ops.send(
      'POST',
      '/api/ledger/rollbacks',
      { task_id: 'task_2', amount: 10, policy_tag: 'B1', reason: 'refund' },
      { 'Idempotency-Key': 'pre-1' },
    );
    expect(small.status).toBe(201);

    const e = await estimated({ queue_type: 'standard', account_id: TASK_ACCOUNT });
    const posted = t.db
      .prepare("SELECT sum(amount) FROM landing_phase1_ledger WHERE account_id = ? AND status = 'posted'")
      .pluck()
      .get(TASK_ACCOUNT) as number;
    expect(posted).toBe(-200 - 2.5 + 10);
    expect(e.expected_credits_range).toEqual([20, 77]);
    expect(e.precheck_balance).toEqual({
      account_id: TASK_ACCOUNT,
      ledger_balance: posted,
      pending_refunds: 0,
      after_estimate: posted - 77,
    });
    expect(
      (await estimated({ queue_type: 'standard', account_id: 'f'.repeat(32) })).precheck_balance,
    ).toEqual({
      account_id: 'f'.repeat(32),
      ledger_balance: 0,
      pending_refunds: 0,
      after_estimate: -77,
    });
  });

  it('a refund waiting for approval is reported apart from the balance', async () => {
    t.hub.close();
    t.cleanup();
    setUp({ ledger: { approvalLimit: 5 } });
    for (const s of [20, 30, 40, 50, 60]) succeeded(s);
    const res = await t
      .as('ops')
      .send(
        'POST',
        '/api/ledger/rollbacks',
        { task_id: 'task_1', amount: 12.5, policy_tag: 'B1', reason: 'refund' },
        { 'Idempotency-Key': 'pre-2' },
      );
    expect(((await res.json()) as { status: string }).status).toBe('pending_approval');
    const e = await estimated({ queue_type: 'standard', account_id: TASK_ACCOUNT });
    expect(e.precheck_balance).toEqual({
      account_id: TASK_ACCOUNT,
      ledger_balance: -200,
      pending_refunds: 12.5,
      after_estimate: -260,
    });
  });
});

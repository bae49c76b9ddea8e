import { Hono } from 'hono';
import type { DB } from '../../db/open.ts';
import { jsonBodyLimit, parseBody } from '../http/body.ts';
import { ApiError } from '../http/errors.ts';
import { checkActiveCodes } from '../plan/codes.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { requireServiceToken } from '../write-keys/keys.ts';
import { cents } from './bounds.ts';
import { type Estimate, estimateRequestSchema } from './schemas.ts';

export interface EstimatePolicy {
  /** fewer comparable tasks than this and the rate table answers */
  minSamples: number;
  /** how far back comparable tasks are looked for */
  windowDays: number;
  /** the fallback: a [low, high] range of credits per task, per queue_type */
  rates: Record<string, [number, number]>;
}
export const DEFAULT_ESTIMATE_POLICY: EstimatePolicy = {
  minSamples: 20,
  windowDays: 30,
  rates: { standard: [10, 80], fast: [15, 120] },
};
/** the most recent comparable tasks read for one estimate */
const MAX_SAMPLES = 2000;

/** the nearest-rank percentile of sorted values (p in 0..100) */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * POST /api/credits/estimate (service token): the range of credits a spec will cost, [p10, p90] of what
 * comparable succeeded tasks actually spent lately (same queue_type, and template, output_count and the
 * applicant's persona when given), or the rate table when there are too few of them.
 */
export function estimateRoutes(db: DB, clock: () => Date, plan: PlanCache, policy: EstimatePolicy) {
  const balance = db.prepare(
    `SELECT coalesce(sum(CASE WHEN status = 'posted' THEN amount END), 0) AS balance,
       coalesce(sum(CASE WHEN status = 'pending_approval' AND amount > 0 THEN amount END), 0) AS pending
     FROM landing_phase1_ledger WHERE account_id = ?`,
  );
  return new Hono().post('/api/credits/estimate', requireServiceToken(db), jsonBodyLimit, async (c) => {
    const body = await parseBody(c, estimateRequestSchema, 'estimate request');
    const now = clock();
    const codes: Record<string, [string, string]> = { queue_type: ['queue_type', body.queue_type] };
    if (body.persona_tag) codes.persona_tag = ['persona_tag', body.persona_tag];
    checkActiveCodes(plan.current(), now, codes);
    const since = new Date(now.getTime() - policy.windowDays * 86_400_000).toISOString();
    const clauses = [
      "t.outcome = 'succeeded'",
      't.queue_type = ?',
      't.finished_at >= ?',
      't.credits_spent IS NOT NULL',
    ];
    const params: Array<string | number> = [body.queue_type, since];
    if (body.template_id) {
      clauses.push('t.template_id = ?');
      params.push(body.template_id);
    }
    if (body.output_count !== undefined) {
      clauses.push('t.output_count = ?');
      params.push(body.output_count);
    }
    if (body.persona_tag) {
      // the persona the account applied for the template as
      clauses.push(
        'EXISTS (SELECT 1 FROM landing_phase1_licenses l WHERE l.account_id = t.account_id AND l.template_id = t.template_id AND l.persona_tag = ?)',
      );
      params.push(body.persona_tag);
    }
    const spent = (
      db
        .prepare(
          `SELECT t.credits_spent FROM landing_phase1_tasks t WHERE ${clauses.join(' AND ')}
           ORDER BY t.finished_at DESC LIMIT ${MAX_SAMPLES}`,
        )
        .pluck()
        .all(...params) as number[]
    ).sort((a, b) => a - b);
    let range: [number, number];
    let basis: Estimate['basis'];
    if (spent.length >= policy.minSamples) {
      range = [percentile(spent, 10), percentile(spent, 90)];
      basis = 'recent_tasks';
    } else {
      const rate = policy.rates[body.queue_type];
      if (!rate)
        throw new ApiError(
          422,
          `too few recent ${body.queue_type} tasks and no rate for ${body.queue_type} in the rate table`,
          {
            queue_type: 'has no rate in the rate table',
          },
        );
      range = rate;
      basis = 'rate_table';
    }
    let precheck: Estimate['precheck_balance'] = null;
    if (body.account_id) {
      const b = balance.get(body.account_id) as { balance: number; pending: number };
      precheck = {
        account_id: body.account_id,
        ledger_balance: cents(b.balance),
        pending_refunds: cents(b.pending),
        after_estimate: cents(b.balance - range[1]),
      };
    }
    const answer: Estimate = {
      expected_credits_range: range,
      basis,
      sample_size: spent.length,
      min_samples: policy.minSamples,
      window_days: policy.windowDays,
      precheck_balance: precheck,
    };
    return c.json(answer);
  });
}

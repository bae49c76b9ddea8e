/**
 * Synthetic Phase 1 traffic: a deterministic generator of realistic event streams (the funnel from
 * landing_view to task_completed, with the share of bad events a real integration has) used by the demo
 * seed, the live simulator, the tests and the benchmarks. Plain data out; it knows nothing of the server.
 */

export interface GeneratedEvent {
  /** the source team whose write key sends it */
  source: string;
  event: string;
  event_id: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}

export const DEMO_WRITE_KEYS = {
  'frontend-build': 'demo-frontend-build',
  'platform-integration': 'demo-platform-integration',
  'operations-compliance': 'demo-operations-compliance',
} as const;

/** mulberry32: small, fast, deterministic */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    hex: (n: number) => {
      let s = '';
      while (s.length < n)
        s += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return s.slice(0, n);
    },
  };
}
export type Rng = ReturnType<typeof rng>;

const TEMPLATES = Array.from({ length: 24 }, (_, i) => `tpl_${String(i + 1).padStart(3, '0')}`);
const CHANNELS = ['wechat_article', 'douyin_ad', 'xiaohongshu', 'search', 'direct', 'partner'];
const FAILURES = ['authorization_denied', 'credit_insufficient', 'safety_block', 'infra_error'];
const TAGS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'D1', 'D2', 'D3'];
const ACTIONS: Record<string, string> = {
  A1: 'resubmit_material',
  A2: 'resubmit_material',
  B1: 'update_copy',
  B2: 'remove_asset',
  C1: 'appeal_only',
  C2: 'escalate_review',
  D1: 'remove_asset',
  D2: 'escalate_review',
  D3: 'escalate_review',
};
const RISK: Record<string, string> = {
  A1: 'low',
  A2: 'medium',
  B1: 'low',
  B2: 'medium',
  C1: 'low',
  C2: 'high',
  D1: 'high',
  D2: 'high',
  D3: 'high',
};
const MIN_ESCALATION: Record<string, string> = {
  D3: 'compliance_committee',
  A1: 'none',
  B1: 'none',
  C1: 'none',
};

/** ways a real integration gets an event wrong, applied to a share of events */
function spoil(r: Rng, props: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(props);
  const key = r.pick(keys);
  const out = { ...props };
  switch (r.int(0, 5)) {
    case 0:
      delete out[key];
      break;
    case 1:
      out[key] = '';
      break;
    case 2:
      out[key] = typeof out[key] === 'number' ? String(out[key]) : 12345;
      break;
    case 3:
      if ('user_id' in out) out.user_id = `+86 138${r.int(1000, 9999)} ${r.int(1000, 9999)}`;
      else if ('account_id' in out) out.account_id = `wx_${r.hex(6)}`;
      else delete out[key];
      break;
    case 4:
      for (const k of [
        'policy_tag',
        'queue_type',
        'ab_bucket',
        'cta_id',
        'rank_type',
        'persona_tag',
        'action_required',
      ]) {
        if (k in out) {
          out[k] = r.pick(['Z9', 'unknown', 'vip', 'C']);
          return out;
        }
      }
      delete out[key];
      break;
    default:
      out[key] = null;
  }
  return out;
}

/** how error-prone each event's integration is, relative to badShare: the front end's SDK is the sloppiest */
const BAD_WEIGHT: Record<string, number> = {
  landing_view: 1.5,
  cta_click: 1.5,
  estimator_interact: 2,
  heatmap_view: 1,
  license_apply: 0.1,
  license_approved: 0.1,
  license_rejected: 0.2,
  task_start: 0.2,
  task_completed: 0.2,
  task_failed: 0.4,
  risk_alert: 0.5,
  credits_updated: 0.3,
};

type Emit = (source: string, event: string, at: number, props: Record<string, unknown>) => void;

/** one visitor's journey, as far as they get down the funnel */
function journey(r: Rng, start: number, emit: Emit) {
  const user = r.hex(32);
  const account = r.hex(40);
  const bucket = r.chance(0.5) ? 'A' : 'B';
  let t = start;
  const step = (minS: number, maxS: number) => {
    t += r.int(minS, maxS) * 1000;
    return t;
  };
  emit('frontend-build', 'landing_view', t, {
    user_id: user,
    session_id: `s_${r.hex(12)}`,
    source_channel: r.pick(CHANNELS),
    ab_bucket: bucket,
  });
  if (r.chance(0.3)) {
    emit('frontend-build', 'heatmap_view', step(2, 30), {
      rank_type: r.pick(['hot', 'rising', 'new']),
      template_id: r.pick(TEMPLATES),
      position: r.int(1, 20),
    });
  }
  // bucket B's copy converts a little better
  if (!r.chance(bucket === 'B' ? 0.42 : 0.34)) return;
  const template = r.pick(TEMPLATES.slice(0, r.chance(0.6) ? 8 : 24));
  const cta = r.chance(0.7) ? 'replicate_now' : 'view_cases';
  emit('frontend-build', 'cta_click', step(3, 60), {
    cta_id: cta,
    user_id: user,
    ...(r.chance(0.8) ? { template_id: template } : {}),
  });
  const persona = r.chance(0.6) ? 'creator_studio' : 'operator_contractor';
  if (r.chance(0.5)) {
    const min = r.int(5, 40);
    emit('frontend-build', 'estimator_interact', step(5, 90), {
      spec_id: `spec_${r.hex(8)}`,
      expected_credits_range: [min, min + r.int(5, 60)],
      persona_tag: persona,
      precheck_balance: r.int(0, 2000),
    });
  }
  if (cta !== 'replicate_now' || !r.chance(0.45)) return;
  const tag = r.pick(TAGS.slice(0, 6));
  emit('platform-integration', 'license_apply', step(10, 300), {
    template_id: template,
    account_id: account,
    is_fast_track: r.chance(0.2),
    persona_tag: persona,
    policy_tag: tag,
  });
  const license = `lic_${r.hex(10)}`;
  if (r.chance(0.22)) {
    emit('platform-integration', 'license_rejected', step(600, 20000), {
      license_id: license,
      template_id: template,
      account_id: account,
      reason_code: r.pick([
        'material_incomplete',
        'copyright_unverified',
        'content_violation',
        'persona_mismatch',
        'other',
      ]),
      policy_tag: tag,
      action_required: ACTIONS[tag],
    });
    return;
  }
  const expiry = r.pick(['fixed_term', 'run_limited', 'permanent']);
  emit('platform-integration', 'license_approved', step(600, 20000), {
    license_id: license,
    template_id: template,
    account_id: account,
    approver_id: r.pick(['reviewer', 'reviewer2']),
    effective_at: new Date(t).toISOString(),
    expiry_type: expiry,
    max_runs: expiry === 'run_limited' ? r.int(5, 50) : null,
  });
  const runs = r.int(0, 3);
  for (let i = 0; i < runs; i++) {
    const task = `task_${r.hex(12)}`;
    const queue = r.chance(0.25) ? 'fast' : 'standard';
    const estimate = r.int(10, 80) * (queue === 'fast' ? 1.5 : 1);
    emit('platform-integration', 'task_start', step(60, 3600), {
      task_id: task,
      template_id: template,
      account_id: account,
      estimated_credits: estimate,
      queue_type: queue,
    });
    if (r.chance(0.86)) {
      const spent = Math.round(estimate * (0.8 + r.next() * 0.5));
      emit('platform-integration', 'task_completed', step(20, 600), {
        task_id: task,
        template_id: template,
        credits_spent: spent,
        duration_ms: r.int(8000, 240000),
        output_count: r.int(1, 8),
      });
      if (r.chance(0.1)) {
        emit('platform-integration', 'credits_updated', step(5, 120), {
          ledger_id: `led_${r.hex(10)}`,
          task_id: task,
          policy_tag: 'A1',
          adjust_amount: -r.int(1, 12),
        });
      }
      continue;
    }
    const failure = r.pick(FAILURES);
    const ftag = failure === 'safety_block' ? r.pick(TAGS.slice(3)) : r.pick(TAGS.slice(0, 3));
    emit('platform-integration', 'task_failed', step(5, 300), {
      task_id: task,
      template_id: template,
      failure_code: failure,
      sub_status: `${failure}.${r.pick(['a', 'b', 'c'])}`,
      policy_tag: ftag,
      action_required: ACTIONS[ftag],
    });
    if (failure === 'safety_block') {
      emit('operations-compliance', 'risk_alert', step(1, 60), {
        alert_id: `alert_${r.hex(10)}`,
        task_id: task,
        risk_level: RISK[ftag],
        policy_tag: ftag,
        action_required: ACTIONS[ftag],
        escalation_level: MIN_ESCALATION[ftag] ?? 'ops_review',
      });
    }
  }
}

export interface TrafficOptions {
  seed: number;
  /** first instant (ms since epoch) */
  from: number;
  /** last instant; journeys are spread evenly at random between from and to */
  to: number;
  journeys: number;
  /** share of events made invalid (missing, wrong type, out of enum, PII, …); default 0.025 */
  badShare?: number;
  /** share of events delivered twice; default 0.01 */
  duplicateShare?: number;
  /** share of extra events with names outside the plan; default 0.003 */
  unplannedShare?: number;
}

/** a stream of events, sorted by occurred_at, with bad, duplicate and unplanned events mixed in */
export function generateTraffic(o: TrafficOptions): GeneratedEvent[] {
  const r = rng(o.seed);
  const out: GeneratedEvent[] = [];
  let n = 0;
  const emit: Emit = (source, event, at, props) => {
    if (at > o.to) return;
    const bad = r.chance((o.badShare ?? 0.025) * (BAD_WEIGHT[event] ?? 1));
    const e: GeneratedEvent = {
      source,
      event,
      event_id: `evt_${o.seed.toString(36)}_${(n++).toString(36)}`,
      occurred_at: new Date(at).toISOString(),
      properties: bad ? spoil(r, props) : props,
    };
    out.push(e);
    if (r.chance(o.duplicateShare ?? 0.01)) out.push({ ...e });
    if (r.chance(o.unplannedShare ?? 0.003)) {
      out.push({
        source,
        event: r.pick(['landing_scroll', 'cta_hover', 'LandingView']),
        event_id: `evt_${o.seed.toString(36)}_${(n++).toString(36)}`,
        occurred_at: e.occurred_at,
        properties: { user_id: r.hex(32) },
      });
    }
  };
  for (let i = 0; i < o.journeys; i++) journey(r, o.from + Math.floor(r.next() * (o.to - o.from)), emit);
  // D3 alerts below compliance_committee: the regulatory escalation the console must flag
  for (let i = 0; i < Math.max(1, Math.round(o.journeys / 4000)); i++) {
    emit('operations-compliance', 'risk_alert', o.from + Math.floor(r.next() * (o.to - o.from)), {
      alert_id: `alert_${r.hex(10)}`,
      task_id: `task_${r.hex(12)}`,
      risk_level: 'high',
      policy_tag: 'D3',
      action_required: 'escalate_review',
      escalation_level: 'ops_review',
    });
  }
  return out.sort((a, b) => (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0));
}

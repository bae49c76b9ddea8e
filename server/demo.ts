import { DEMO_WRITE_KEYS, type GeneratedEvent, generateTraffic, rng } from '../db/demo.ts';
import type { DB } from '../db/open.ts';
import type { AlertStepper } from './alerts/steps.ts';
import { writeAudit } from './audit/log.ts';
import { hashPassword, type ScryptCost } from './auth/passwords.ts';
import { toSessionUser } from './auth/sessions.ts';
import type { EnumGovernance } from './enums/proposals.ts';
import type { EventStore } from './ingest/store.ts';
import type { Ledger } from './ledger/entries.ts';
import type { Decide } from './licenses/decide.ts';
import type { NewUser } from './users/store.ts';
import { countUsers, insertUser } from './users/store.ts';
import { createWriteKey } from './write-keys/keys.ts';

const DAY_MS = 24 * 3600 * 1000;

export const isDemoSeeded = (db: DB) =>
  db.prepare("SELECT 1 FROM landing_phase1_meta WHERE key = 'demo_seeded'").get() !== undefined;

/**
 * sends generated events through the real ingest path in time order: chunks of the stream, each chunk
 * split per source (one batch per write key), so stored ids follow occurred_at roughly as live traffic does
 */
export function ingestGenerated(store: EventStore, events: GeneratedEvent[], batchSize = 500): void {
  for (let i = 0; i < events.length; i += batchSize) {
    const bySource = new Map<string, Array<Omit<GeneratedEvent, 'source'>>>();
    for (const { source, ...e } of events.slice(i, i + batchSize)) {
      const list = bySource.get(source) ?? [];
      list.push(e);
      bySource.set(source, list);
    }
    for (const [source, batch] of bySource) store.ingest(batch, source);
  }
}

/** creates `users` when there is no user yet; each creation audited as done by the system */
export async function seedUsers(
  db: DB,
  users: NewUser[],
  password: string,
  now: Date,
  cost?: ScryptCost,
): Promise<number> {
  if (countUsers(db) > 0) return 0;
  const hashes = await Promise.all(users.map(() => hashPassword(password, cost)));
  db.transaction(() => {
    users.forEach((u, i) => {
      const id = insertUser(db, u, hashes[i]!, now);
      writeAudit(
        db,
        {
          actor: { id: null, username: 'system' },
          action: 'user.create',
          resource: 'user',
          resource_id: id,
          after: u,
          outcome: 'success',
          reason: 'seeded at start',
        },
        now,
      );
    });
  })();
  return users.length;
}

/** the demo service token of the platform's licence check (README) */
export const DEMO_SERVICE_TOKEN = 'demo-platform-service';

/**
 * When the database is new: the demo write keys and service token, two weeks of synthetic traffic (~50k
 * events), and the demo reviewers' decisions on the applications older than 36 hours (through the real
 * decision path: state, emitted event, audit row), so the queue holds what a day and a half brings.
 */
export function seedDemo(
  db: DB,
  store: EventStore,
  decide: Decide,
  now: Date,
  work?: {
    ledger: Ledger;
    stepAlert: AlertStepper;
    governance?: EnumGovernance;
    /** sets the app's clock to a past instant (undefined: back to now), so past decisions carry their date */
    backdate?: (at: Date | undefined) => void;
  },
):
  | { events: number; decisions: number; rollbacks: number; alertSteps: number; enumProposals: number }
  | undefined {
  if (isDemoSeeded(db)) return undefined;
  db.transaction(() => {
    const createdAt = now.toISOString();
    for (const [source, key] of Object.entries(DEMO_WRITE_KEYS)) {
      createWriteKey(db, { source, label: `demo ${source}`, createdAt, key });
    }
    createWriteKey(db, {
      kind: 'service_token',
      source: 'platform-integration',
      label: 'demo licence check',
      createdAt,
      key: DEMO_SERVICE_TOKEN,
    });
    db.prepare("INSERT INTO landing_phase1_meta (key, value) VALUES ('demo_seeded', ?)").run(createdAt);
  })();
  const events = generateTraffic({
    seed: 20260921,
    from: now.getTime() - 14 * DAY_MS,
    to: now.getTime(),
    journeys: 14 * 1500,
  });
  ingestGenerated(store, events);
  const decisions = decideDemoApplications(db, decide, now, work?.backdate);
  const rollbacks = work ? seedLedgerWork(db, store, work.ledger, now) : 0;
  const alertSteps = work ? workDemoAlerts(db, work.stepAlert, now) : 0;
  const enumProposals = work?.governance ? proposeDemoEnumChanges(db, work.governance) : 0;
  return { events: events.length, decisions, rollbacks, alertSteps, enumProposals };
}

/** the demo users with `username`, as sessions see them */
function demoUser(db: DB, username: string) {
  const row = db
    .prepare('SELECT id, username, display_name, roles, team FROM landing_phase1_users WHERE username = ?')
    .get(username) as Parameters<typeof toSessionUser>[0] | undefined;
  if (!row) return undefined;
  const user = toSessionUser(row);
  return {
    user,
    audit: { actor: { id: user.id, username: user.username }, request_id: 'demo-seed', ip: null },
  };
}

/**
 * The ops side of the demo, through the real ledger: a few large batch tasks (the platform's events), partial
 * rollbacks by ops on some charged tasks, and large refunds waiting for a second approver (one approved).
 */
function seedLedgerWork(db: DB, store: EventStore, ledger: Ledger, now: Date): number {
  const ops = demoUser(db, 'ops');
  const ops2 = demoUser(db, 'ops2');
  if (!ops || !ops2) return 0;
  const r = rng(11);
  const licences = db
    .prepare(
      "SELECT account_id, template_id FROM landing_phase1_licenses WHERE status = 'approved' AND account_id IS NOT NULL AND template_id IS NOT NULL ORDER BY id DESC LIMIT 20",
    )
    .all() as Array<{ account_id: string; template_id: string }>;
  const big: string[] = [];
  licences.slice(0, 4).forEach((l, i) => {
    const task = `task_batch_${r.hex(8)}`;
    const at = now.getTime() - (i + 1) * 5 * 3600_000;
    const spent = r.int(1800, 6500);
    store.ingest(
      [
        {
          event: 'task_start',
          event_id: `demo-batch-${task}-start`,
          occurred_at: new Date(at).toISOString(),
          properties: {
            task_id: task,
            template_id: l.template_id,
            account_id: l.account_id,
            estimated_credits: spent - 200,
            queue_type: 'fast',
          },
        },
        {
          event: 'task_completed',
          event_id: `demo-batch-${task}-done`,
          occurred_at: new Date(at + 40 * 60_000).toISOString(),
          properties: {
            task_id: task,
            template_id: l.template_id,
            credits_spent: spent,
            duration_ms: 40 * 60_000,
            output_count: 64,
          },
        },
      ],
      'platform-integration',
    );
    big.push(task);
  });
  let n = 0;
  // a manual entry runs in the transaction of its request, as the route runs it
  const run = (fn: () => void) => {
    db.transaction(fn)();
    n++;
  };
  big.forEach((task, i) => {
    const amount = 1000 + r.int(100, 900);
    run(() =>
      ledger.requestEntry(
        'manual_rollback',
        { task_id: task, amount, policy_tag: 'C2', reason: 'batch run repeated after a platform timeout' },
        ops,
      ),
    );
    if (i === 0) {
      const id = db
        .prepare("SELECT id FROM landing_phase1_ledger WHERE task_id = ? AND status = 'pending_approval'")
        .pluck()
        .get(task) as string;
      ledger.decide(id, true, 'checked against the platform incident log', ops2);
    }
  });
  const charged = db
    .prepare(
      "SELECT task_id, -amount AS charge FROM landing_phase1_ledger WHERE kind = 'task_charge' AND amount < -20 ORDER BY seq DESC LIMIT 400",
    )
    .all() as Array<{ task_id: string; charge: number }>;
  for (const c of charged.filter(() => r.chance(0.04))) {
    const who = r.chance(0.5) ? ops : ops2;
    run(() =>
      ledger.requestEntry(
        'manual_rollback',
        {
          task_id: c.task_id,
          amount: Math.max(1, Math.round(c.charge * (0.2 + r.next() * 0.5))),
          policy_tag: r.pick(['A1', 'B1', 'C1']),
          reason: r.pick([
            'outputs unusable: watermark artefacts',
            'duplicate run after a client retry',
            'goodwill: failed the quality bar',
          ]),
        },
        who,
      ),
    );
  }
  return n;
}

/**
 * Planning's and compliance's enum work, through the real proposal path: a persona_tag value added (proposed by
 * one planner, approved by the other: version 2), a queue_type value rejected with its reason, a policy_tag
 * relabel by a reviewer awaiting a reviewer's approval, and a failure_code value approved by a planner and
 * awaiting a compliance reviewer (it needs both).
 */
function proposeDemoEnumChanges(db: DB, governance: EnumGovernance): number {
  const [planner, planner2, reviewer] = ['planner', 'planner2', 'reviewer'].map((u) => demoUser(db, u));
  if (!planner || !planner2 || !reviewer) return 0;
  const added = governance.propose(planner, {
    enum: 'persona_tag',
    action: 'add',
    value: 'brand_inhouse',
    label_en: 'Brand in-house team',
    label_zh: '品牌自营团队',
    description: 'Brands producing their own templates',
    rationale: 'Brand teams now apply for licences themselves; the sales pilot needs them told apart',
  });
  governance.approve(planner2, added.id, added.version);
  const rejected = governance.propose(planner2, {
    enum: 'queue_type',
    action: 'add',
    value: 'priority',
    label_en: 'Priority',
    label_zh: '优先队列',
    rationale: 'A paid priority lane for agencies',
  });
  governance.reject(
    planner,
    rejected.id,
    'Pricing has not signed off a third lane; propose again with the rate',
    rejected.version,
  );
  governance.propose(reviewer, {
    enum: 'policy_tag',
    action: 'relabel',
    value: 'B1',
    label_en: 'Exaggerated or misleading copy',
    label_zh: '夸大或误导性文案',
    rationale:
      'Reviewers also file misleading (not only exaggerated) claims under B1; the label should say so',
  });
  const failure = governance.propose(planner, {
    enum: 'failure_code',
    action: 'add',
    value: 'quota_exceeded',
    label_en: 'Quota exceeded',
    label_zh: '超出配额',
    rationale: 'The platform now fails tasks over the daily template quota; today they arrive as infra_error',
  });
  governance.approve(planner2, failure.id, failure.version);
  return 4;
}

/** the reviewers' past work on the alert inbox: older alerts acknowledged, some resolved, some escalated */
function workDemoAlerts(db: DB, stepAlert: AlertStepper, now: Date): number {
  const reviewers = [demoUser(db, 'reviewer'), demoUser(db, 'reviewer2')].filter((u) => u !== undefined);
  if (reviewers.length === 0) return 0;
  const r = rng(13);
  const cutoff = new Date(now.getTime() - 72 * 3600_000).toISOString();
  const alerts = db
    .prepare(
      "SELECT id, version, escalation_level FROM landing_phase1_alerts WHERE state = 'open' AND raised_at < ? ORDER BY id",
    )
    .all(cutoff) as Array<{ id: number; version: number; escalation_level: string | null }>;
  let n = 0;
  for (const a of alerts) {
    if (!r.chance(0.85)) continue;
    const who = r.pick(reviewers);
    let version = stepAlert(
      a.id,
      a.version,
      'acknowledge',
      'looked into the task and its outputs',
      who,
    ).version;
    n++;
    if (a.escalation_level !== 'compliance_committee' && r.chance(0.15)) {
      version = stepAlert(
        a.id,
        version,
        'escalate',
        'repeat pattern on this account: ops review',
        who,
      ).version;
      n++;
    }
    if (r.chance(0.7)) {
      stepAlert(
        a.id,
        version,
        'resolve',
        r.pick(['asset removed by the creator', 'copy updated', 'false positive']),
        who,
      );
      n++;
    }
  }
  return n;
}

function decideDemoApplications(
  db: DB,
  decide: Decide,
  now: Date,
  backdate: (at: Date | undefined) => void = () => {},
): number {
  const r = rng(7);
  const reviewers = db
    .prepare(
      "SELECT id, username, display_name, roles, team FROM landing_phase1_users WHERE username IN ('reviewer', 'reviewer2')",
    )
    .all() as Array<Parameters<typeof toSessionUser>[0]>;
  if (reviewers.length === 0) return 0;
  const cutoff = new Date(now.getTime() - 36 * 3600_000).toISOString();
  const pending = db
    .prepare(
      "SELECT id, version, policy_tag, applied_at FROM landing_phase1_licenses WHERE status = 'pending' AND applied_at < ? ORDER BY id",
    )
    .all(cutoff) as Array<{ id: number; version: number; policy_tag: string | null; applied_at: string }>;
  const actions: Record<string, string> = {
    A1: 'resubmit_material',
    A2: 'resubmit_material',
    B1: 'update_copy',
    B2: 'remove_asset',
    C1: 'appeal_only',
    C2: 'escalate_review',
  };
  try {
    for (const p of pending) {
      const user = toSessionUser(r.pick(reviewers));
      const ctx = {
        user,
        audit: { actor: { id: user.id, username: user.username }, request_id: 'demo-seed', ip: null },
      };
      const decidedAt = new Date(Date.parse(p.applied_at) + r.int(1, 30) * 3600_000).toISOString();
      backdate(new Date(decidedAt));
      if (r.chance(0.78)) {
        const expiry = r.pick(['fixed_term', 'run_limited', 'permanent']);
        decide(
          p.id,
          p.version,
          {
            action: 'approve',
            terms: {
              effective_at: decidedAt,
              expiry_type: expiry,
              max_runs: expiry === 'run_limited' ? r.int(5, 50) : null,
              expires_at:
                expiry === 'fixed_term' ? new Date(Date.parse(decidedAt) + 90 * DAY_MS).toISOString() : null,
            },
          },
          ctx,
        );
      } else {
        const tag = p.policy_tag && actions[p.policy_tag] ? p.policy_tag : 'A1';
        const reason = r.pick([
          'material_incomplete',
          'copyright_unverified',
          'content_violation',
          'persona_mismatch',
        ]);
        decide(
          p.id,
          p.version,
          {
            action: 'reject',
            terms: { reason_code: reason, policy_tag: tag, action_required: actions[tag]! },
          },
          ctx,
        );
      }
    }
  } finally {
    backdate(undefined);
  }
  return pending.length;
}

/** The light live simulator: a few events a second, a realistic share of them bad, through the real ingest. */
export function startSimulator(store: EventStore, clock: () => Date, intervalMs = 1000): () => void {
  let tick = 0;
  const timer = setInterval(() => {
    const now = clock().getTime();
    tick++;
    const events = generateTraffic({
      seed: (now ^ (tick * 7919)) >>> 0,
      from: now - 60_000,
      to: now,
      journeys: 2,
      badShare: 0.04,
      duplicateShare: 0.02,
      unplannedShare: 0.01,
    });
    ingestGenerated(store, events);
  }, intervalMs);
  return () => clearInterval(timer);
}

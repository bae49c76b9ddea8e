import { maskDeep } from '../server/auth/masking.ts';
import { can } from '../server/auth/permissions.ts';
import type { StoredEvent } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import { cents, chargeSummary, needsSecondApproval, refundProblem } from '../server/ledger/bounds.ts';
import { chargeIdOf, PLATFORM } from '../server/ledger/projection.ts';
import type {
  AdjustmentInput,
  LedgerAccount,
  LedgerEntry,
  LedgerKind,
  RollbackInput,
} from '../server/ledger/schemas.ts';
import { MOCK_USERS, MockApiError, sensitiveNames, writeAudit } from './access.ts';
import { ingest, type MockDb } from './data.ts';
import { CONSOLE_SOURCE } from './licenses.ts';
import { APPROVAL_LIMIT, taskProjection } from './tasks.ts';

/**
 * The mock API's credits ledger, as server/ledger: entries from the event stream (a task_completed's
 * credits_spent is the task's charge, once per task, `charge:<task_id>`; a credits_updated is a tail
 * deduction once by its ledger_id), kept up to date on insert like the server's projection; the manual
 * entries ops request (rollbacks and adjustments) exactly once per Idempotency-Key, never refunding more than
 * the task's net charge (the server's own refundProblem), waiting above the limit for a second person who is
 * not the requester; a posted manual entry writes its credits_updated event into the stream, and every
 * request and decision its audit row.
 */

export type ManualKind = Extract<LedgerKind, 'manual_rollback' | 'manual_adjustment'>;

interface LedgerState {
  /** how many of db.events were taken in */
  seen: number;
  /** in seq order */
  entries: LedgerEntry[];
  byId: Map<string, LedgerEntry>;
  /** the first answer to each (user, Idempotency-Key), with the request it answered */
  answers: Map<string, { request: string; entry: LedgerEntry }>;
}

const states = new WeakMap<MockDb, LedgerState>();

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

function insert(state: LedgerState, row: Omit<LedgerEntry, 'seq'>): LedgerEntry | undefined {
  // ON CONFLICT DO NOTHING: one charge per task, a ledger_id once
  if (state.byId.has(row.id)) return undefined;
  const entry: LedgerEntry = { ...row, seq: (state.entries.at(-1)?.seq ?? 0) + 1 };
  state.entries.push(entry);
  state.byId.set(entry.id, entry);
  return entry;
}

/** takes in one stored event, as the server's keepLedger does (after the task projection) */
function keep(state: LedgerState, accountOf: (taskId: string) => string | null, e: StoredEvent) {
  const p = e.properties;
  const taskId = text(p.task_id);
  if (!taskId) return;
  const platformEntry = {
    account_id: accountOf(taskId),
    task_id: taskId,
    reason: null,
    created_by: PLATFORM,
    created_at: e.occurred_at,
    status: 'posted',
    reverses: null,
    source_event_pk: e.id,
    decided_by: null,
    decided_at: null,
    decision_note: null,
  } as const;
  if (e.event === 'task_start') {
    // entries recorded before the task's start arrived learn its account
    const account = text(p.account_id);
    if (account)
      for (const entry of state.entries)
        if (entry.task_id === taskId && entry.account_id === null) entry.account_id = account;
  } else if (e.event === 'task_completed') {
    const spent = p.credits_spent;
    if (typeof spent !== 'number' || !Number.isFinite(spent) || spent <= 0) return;
    insert(state, {
      ...platformEntry,
      id: chargeIdOf(taskId),
      amount: -spent,
      kind: 'task_charge',
      policy_tag: null,
    });
  } else if (e.event === 'credits_updated') {
    const ledgerId = text(p.ledger_id);
    const amount = p.adjust_amount;
    if (!ledgerId || typeof amount !== 'number' || !Number.isFinite(amount) || amount === 0) return;
    insert(state, {
      ...platformEntry,
      id: ledgerId,
      amount,
      kind: 'tail_deduction',
      policy_tag: text(p.policy_tag),
    });
  }
}

/** the ledger of `db`, with every event stored so far taken in */
function ledgerState(db: MockDb): LedgerState {
  let state = states.get(db);
  if (!state) {
    state = { seen: 0, entries: [], byId: new Map(), answers: new Map() };
    states.set(db, state);
  }
  if (state.seen < db.events.length) {
    const { tasks } = taskProjection(db);
    const accountOf = (taskId: string) => tasks.get(taskId)?.account_id ?? null;
    while (state.seen < db.events.length) {
      const event = db.events[state.seen++];
      if (event) keep(state, accountOf, event);
    }
  }
  return state;
}

/** every ledger entry, in seq order */
export const ledgerEntries = (db: MockDb): LedgerEntry[] => ledgerState(db).entries;

/** an entry as `user` may read it: the hashed account id masked for roles without sensitive:read */
export function entryReader(user: SessionUser, db: MockDb) {
  const names = sensitiveNames(db.planEvents);
  const clear = can(user.roles, 'sensitive:read');
  return <T>(value: T): T => (clear ? value : (maskDeep(value, names) as T));
}

/** a policy tag a person chooses must be an active value of the enum (422 naming the field) */
function checkPolicyTag(db: MockDb, code: string) {
  const value = db.enums.find((e) => e.name === 'policy_tag')?.values.find((v) => v.code === code);
  if (value?.status === 'active') return;
  const why = value ? `${code} is deprecated in policy_tag` : `${code} is not a value of policy_tag`;
  throw new MockApiError(422, `unknown or deprecated codes: policy_tag: ${why}`, { policy_tag: why });
}

/** the credits_updated event of a posted manual entry, stored through the normal ingest path */
function emit(db: MockDb, e: LedgerEntry) {
  ingest(db, [
    {
      source: CONSOLE_SOURCE,
      event: 'credits_updated',
      event_id: `console:${e.id}:posted`,
      occurred_at: e.decided_at ?? e.created_at,
      properties: { ledger_id: e.id, task_id: e.task_id, policy_tag: e.policy_tag, adjust_amount: e.amount },
    },
  ]);
}

const actor = (user: Pick<SessionUser, 'id' | 'username'>) => ({ id: user.id, username: user.username });

/**
 * One manual entry, as server/ledger/entries.ts requestEntry in its order: the policy tag (422), the task
 * (404), the refund bound (422 on amount), what it reverses (the task's charge unless told; 422 when that is
 * not a posted entry of the task); posted at once, or waiting for a second person above the limit.
 */
export function requestEntry(
  db: MockDb,
  kind: ManualKind,
  input: RollbackInput | AdjustmentInput,
  user: Pick<SessionUser, 'id' | 'username'>,
  at = new Date().toISOString(),
): LedgerEntry {
  const state = ledgerState(db);
  checkPolicyTag(db, input.policy_tag);
  const task = taskProjection(db).tasks.get(input.task_id);
  const entries = state.entries.filter((e) => e.task_id === input.task_id);
  if (!task && entries.length === 0)
    throw new MockApiError(404, `no task ${input.task_id}`, { task_id: 'no such task' });
  const summary = chargeSummary(entries);
  const problem = refundProblem(input.amount, summary);
  if (problem)
    throw new MockApiError(422, `a refund of ${input.amount} for ${input.task_id} ${problem}`, {
      amount: problem,
    });
  const charge = chargeIdOf(input.task_id);
  const reverses = input.reverses ?? (entries.some((e) => e.id === charge) ? charge : null);
  if (input.reverses) {
    const target = entries.find((e) => e.id === input.reverses);
    if (target?.status !== 'posted')
      throw new MockApiError(422, `reverses: ${input.reverses} is not a posted entry of ${input.task_id}`, {
        reverses: `is not a posted entry of ${input.task_id}`,
      });
  }
  const seq = (state.entries.at(-1)?.seq ?? 0) + 1;
  // the platform's ledger ids are free text: never reuse one it already sent
  let id = `led_console_${seq}`;
  for (let k = 2; state.byId.has(id); k++) id = `led_console_${seq}_${k}`;
  const pending = needsSecondApproval(input.amount, APPROVAL_LIMIT, entries);
  const entry = insert(state, {
    id,
    account_id: task?.account_id ?? entries.find((e) => e.account_id)?.account_id ?? null,
    task_id: input.task_id,
    amount: input.amount,
    kind,
    policy_tag: input.policy_tag,
    reason: input.reason,
    created_by: user.username,
    created_at: at,
    status: pending ? 'pending_approval' : 'posted',
    reverses,
    source_event_pk: null,
    decided_by: null,
    decided_at: null,
    decision_note: null,
  }) as LedgerEntry;
  if (!pending) emit(db, entry);
  writeAudit(
    db,
    {
      actor: actor(user),
      action: `ledger.${kind === 'manual_rollback' ? 'rollback' : 'adjust'}${pending ? '.request' : ''}`,
      resource: 'ledger',
      resource_id: entry.id,
      before: summary,
      after: entry,
      reason: input.reason,
      outcome: 'success',
    },
    at,
  );
  return entry;
}

/** as server/ledger/idempotency.ts: the key must be 1–200 printable characters without spaces */
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** the Idempotency-Key header: 400 naming it when missing or not a key */
export function idempotencyKey(request: Request): string {
  const key = request.headers.get('Idempotency-Key')?.trim();
  if (!key)
    throw new MockApiError(
      400,
      'send an Idempotency-Key header (a fresh random value per rollback, reused on retries)',
      { 'Idempotency-Key': 'is required' },
    );
  if (!KEY_PATTERN.test(key))
    throw new MockApiError(400, 'Idempotency-Key must be 1–200 printable characters without spaces', {
      'Idempotency-Key': 'must be 1–200 printable characters without spaces',
    });
  return key;
}

/**
 * A money-moving request exactly once per (user, Idempotency-Key), as the server's: the same key and body
 * replay the first answer and make nothing new; the same key with another body is 409. A refused request
 * (4xx) is not remembered, as the server's transaction that would remember it is rolled back.
 */
export function manualEntryOnce(
  db: MockDb,
  kind: ManualKind,
  key: string,
  input: RollbackInput | AdjustmentInput,
  user: Pick<SessionUser, 'id' | 'username'>,
  at = new Date().toISOString(),
): { entry: LedgerEntry; replayed: boolean } {
  const state = ledgerState(db);
  const fields = input as unknown as Record<string, unknown>;
  const request = JSON.stringify([
    kind,
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k]]),
  ]);
  const slot = `${user.id}\n${key}`;
  const prior = state.answers.get(slot);
  if (prior) {
    if (prior.request !== request)
      throw new MockApiError(
        409,
        'this Idempotency-Key was used for a different request; use a fresh key for a new one',
        { 'Idempotency-Key': 'was used for a different request' },
      );
    return { entry: structuredClone(prior.entry), replayed: true };
  }
  const entry = requestEntry(db, kind, input, user, at);
  // the answer as it was given: later decisions on the entry do not change what a replay says
  state.answers.set(slot, { request, entry: structuredClone(entry) });
  return { entry, replayed: false };
}

/**
 * Approves or rejects a pending entry, as server/ledger/entries.ts decide: 404, 409 unless pending, never by
 * its requester (403, audited as denied); an approved refund is checked against the bound again without its
 * own reservation (422), since other refunds may have been posted meanwhile.
 */
export function decideEntry(
  db: MockDb,
  id: string,
  approve: boolean,
  note: string | null,
  user: Pick<SessionUser, 'id' | 'username'>,
  at = new Date().toISOString(),
): LedgerEntry {
  const state = ledgerState(db);
  const entry = state.byId.get(id);
  if (!entry) throw new MockApiError(404, `no ledger entry ${id}`);
  if (entry.status !== 'pending_approval') {
    const by = entry.decided_by ? ` by ${entry.decided_by}` : '';
    throw new MockApiError(
      409,
      `${id} is ${entry.status}${by}; only an entry pending approval can be decided`,
    );
  }
  const action = approve ? 'ledger.approve' : 'ledger.reject';
  if (entry.created_by === user.username) {
    writeAudit(
      db,
      {
        actor: actor(user),
        action,
        resource: 'ledger',
        resource_id: id,
        reason: 'four-eyes: the requester may not decide their own entry',
        outcome: 'denied',
      },
      at,
    );
    throw new MockApiError(
      403,
      `${id} was requested by you; a second person must ${approve ? 'approve' : 'reject'} it`,
    );
  }
  if (approve && entry.amount > 0) {
    const others = state.entries.filter((e) => e.task_id === entry.task_id && e.id !== id);
    const problem = refundProblem(entry.amount, chargeSummary(others));
    if (problem)
      throw new MockApiError(422, `${id} can no longer be approved: it ${problem}`, { amount: problem });
  }
  const before = structuredClone(entry);
  Object.assign(entry, {
    status: approve ? 'posted' : 'rejected',
    decided_by: user.username,
    decided_at: at,
    decision_note: note,
  } satisfies Partial<LedgerEntry>);
  if (approve) emit(db, entry);
  writeAudit(
    db,
    {
      actor: actor(user),
      action,
      resource: 'ledger',
      resource_id: id,
      before,
      after: entry,
      reason: note,
      outcome: 'success',
    },
    at,
  );
  return entry;
}

/** GET /api/ledger-accounts: per account (those known), what its posted entries add up to */
export function ledgerAccounts(db: MockDb): Array<Omit<LedgerAccount, 'id'>> {
  const accounts = new Map<string, Omit<LedgerAccount, 'id'> & { taskIds: Set<string> }>();
  for (const e of ledgerState(db).entries) {
    if (e.account_id === null) continue;
    const a = accounts.get(e.account_id) ?? {
      account_id: e.account_id,
      balance: 0,
      charged: 0,
      refunded: 0,
      pending_refunds: 0,
      entries: 0,
      tasks: 0,
      last_entry_at: null,
      taskIds: new Set<string>(),
    };
    if (e.status === 'posted') {
      a.balance += e.amount;
      if (e.amount < 0) a.charged -= e.amount;
      else a.refunded += e.amount;
    } else if (e.status === 'pending_approval' && e.amount > 0) a.pending_refunds += e.amount;
    a.entries += 1;
    a.taskIds.add(e.task_id);
    if (a.last_entry_at === null || e.created_at > a.last_entry_at) a.last_entry_at = e.created_at;
    accounts.set(e.account_id, a);
  }
  return [...accounts.values()].map(({ taskIds, ...a }) => ({
    ...a,
    balance: cents(a.balance),
    charged: cents(a.charged),
    refunded: cents(a.refunded),
    pending_refunds: cents(a.pending_refunds),
    tasks: taskIds.size,
  }));
}

// ---------------------------------------------------------------------------------------------- seed

const HOUR_MS = 3_600_000;

/**
 * A few manual entries on the generated traffic's latest charged tasks, so the API-less console shows the
 * four-eyes flow: a rollback ops posted, and two corrections above the limit awaiting a second person, one
 * requested by ops and one by ops2 (each can decide the other's).
 */
export function generateLedgerRequests(db: MockDb, now: number): MockDb {
  const charged = ledgerEntries(db)
    .filter((e) => e.kind === 'task_charge' && Date.parse(e.created_at) < now - 3 * HOUR_MS)
    .slice(-3);
  const [first, second, third] = charged;
  const mockUser = (username: string) => ({
    id: MOCK_USERS.findIndex((u) => u.username === username) + 1,
    username,
  });
  const ops = mockUser('ops');
  const ops2 = mockUser('ops2');
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR_MS).toISOString();
  if (first)
    requestEntry(
      db,
      'manual_rollback',
      {
        task_id: first.task_id,
        amount: cents(-first.amount / 2),
        policy_tag: 'B1',
        reason: 'half of the outputs were duplicates',
      },
      ops,
      at(2),
    );
  if (second)
    requestEntry(
      db,
      'manual_adjustment',
      {
        task_id: second.task_id,
        amount: -1200,
        policy_tag: 'C2',
        reason: 'the 4K upscale was not metered',
      },
      ops,
      at(1.5),
    );
  if (third)
    requestEntry(
      db,
      'manual_adjustment',
      {
        task_id: third.task_id,
        amount: -1500,
        policy_tag: 'C2',
        reason: 'credit farming: batch re-run billed once',
      },
      ops2,
      at(1),
    );
  return db;
}

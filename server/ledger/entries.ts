import type { DB } from '../../db/open.ts';
import { recordAudit, writeAudit } from '../audit/log.ts';
import type { auditContext } from '../auth/middleware.ts';
import type { SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { EventStore } from '../ingest/store.ts';
import { CONSOLE_SOURCE } from '../licenses/decide.ts';
import { checkActiveCodes } from '../plan/codes.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { chargeSummary, needsSecondApproval, refundProblem } from './bounds.ts';
import { chargeIdOf } from './projection.ts';
import type { ChargeSummary, LedgerEntry, LedgerKind } from './schemas.ts';

export interface LedgerPolicy {
  /** a manual entry above this many credits (either sign) waits for a second person's approval */
  approvalLimit: number;
}
export const DEFAULT_LEDGER_POLICY: LedgerPolicy = { approvalLimit: 1000 };

export interface ManualEntryInput {
  task_id: string;
  amount: number;
  policy_tag: string;
  reason: string;
  reverses?: string | undefined;
}

export interface LedgerContext {
  user: SessionUser;
  audit: ReturnType<typeof auditContext>;
}

/** the console's own ledger ids */
export const manualIdOf = (seq: number) => `led_console_${seq}`;

export function getEntry(db: DB, id: string): LedgerEntry | undefined {
  return db.prepare('SELECT * FROM landing_phase1_ledger WHERE id = ?').get(id) as LedgerEntry | undefined;
}

export function taskEntries(db: DB, taskId: string): LedgerEntry[] {
  return db
    .prepare('SELECT * FROM landing_phase1_ledger WHERE task_id = ? ORDER BY seq')
    .all(taskId) as LedgerEntry[];
}

export function taskCharge(db: DB, taskId: string): ChargeSummary {
  return chargeSummary(
    db
      .prepare('SELECT amount, status FROM landing_phase1_ledger WHERE task_id = ?')
      .all(taskId) as LedgerEntry[],
  );
}

/**
 * Manual entries (rollbacks, adjustments) and their four-eyes decisions. Each is one transaction: the entry,
 * for a posted one its credits_updated event into the stream, and the audit row; the refund bound is checked
 * inside it, so two requests can never together refund more than the task's net charge.
 */
export function createLedger(deps: {
  db: DB;
  clock: () => Date;
  plan: PlanCache;
  store: EventStore;
  policy: LedgerPolicy;
}) {
  const { db, clock, plan, store, policy } = deps;
  const insert = db.prepare(
    `INSERT INTO landing_phase1_ledger (id, account_id, task_id, amount, kind, policy_tag, reason, created_by, created_at,
       status, reverses)
     VALUES (@id, @account_id, @task_id, @amount, @kind, @policy_tag, @reason, @created_by, @created_at, @status, @reverses)`,
  );
  const nextSeq = db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM landing_phase1_ledger').pluck();
  const taskAccount = db.prepare('SELECT account_id FROM landing_phase1_tasks WHERE task_id = ?');
  const decideStmt = db.prepare(
    `UPDATE landing_phase1_ledger SET status = @status, decided_by = @by, decided_at = @at, decision_note = @note
     WHERE id = @id AND status = 'pending_approval'`,
  );

  /** the credits_updated event of a posted manual entry, stored through the normal ingest path */
  const emit = (e: LedgerEntry) =>
    store.ingest(
      [
        {
          event: 'credits_updated',
          event_id: `console:${e.id}:posted`,
          occurred_at: e.decided_at ?? e.created_at,
          properties: {
            ledger_id: e.id,
            task_id: e.task_id,
            policy_tag: e.policy_tag,
            adjust_amount: e.amount,
          },
        },
      ],
      CONSOLE_SOURCE,
    );

  /** runs inside the caller's transaction: checks, inserts, emits and audits one manual entry */
  function requestEntry(
    kind: Extract<LedgerKind, 'manual_rollback' | 'manual_adjustment'>,
    input: ManualEntryInput,
    ctx: LedgerContext,
  ): LedgerEntry {
    const now = clock();
    checkActiveCodes(plan.current(), now, { policy_tag: ['policy_tag', input.policy_tag] });
    const task = taskAccount.get(input.task_id) as { account_id: string | null } | undefined;
    const entries = taskEntries(db, input.task_id);
    if (!task && entries.length === 0)
      throw new ApiError(404, `no task ${input.task_id}`, { task_id: 'no such task' });
    const summary = chargeSummary(entries);
    const problem = refundProblem(input.amount, summary);
    if (problem)
      throw new ApiError(422, `a refund of ${input.amount} for ${input.task_id} ${problem}`, {
        amount: problem,
      });
    const reverses =
      input.reverses ??
      (entries.some((e) => e.id === chargeIdOf(input.task_id)) ? chargeIdOf(input.task_id) : null);
    if (input.reverses) {
      const target = entries.find((e) => e.id === input.reverses);
      if (target?.status !== 'posted')
        throw new ApiError(422, `reverses: ${input.reverses} is not a posted entry of ${input.task_id}`, {
          reverses: `is not a posted entry of ${input.task_id}`,
        });
    }
    const seq = nextSeq.get() as number;
    // the platform's ledger ids are free text: never reuse one it already sent
    let id = manualIdOf(seq);
    for (let k = 2; getEntry(db, id); k++) id = `${manualIdOf(seq)}_${k}`;
    const pending = needsSecondApproval(input.amount, policy.approvalLimit, entries);
    const entry: LedgerEntry = {
      id,
      seq,
      account_id: task?.account_id ?? entries.find((e) => e.account_id)?.account_id ?? null,
      task_id: input.task_id,
      amount: input.amount,
      kind,
      policy_tag: input.policy_tag,
      reason: input.reason,
      created_by: ctx.user.username,
      created_at: now.toISOString(),
      status: pending ? 'pending_approval' : 'posted',
      reverses,
      source_event_pk: null,
      decided_by: null,
      decided_at: null,
      decision_note: null,
    };
    const {
      seq: _seq,
      source_event_pk: _pk,
      decided_by: _b,
      decided_at: _a,
      decision_note: _n,
      ...row
    } = entry;
    insert.run(row);
    if (!pending) emit(entry);
    writeAudit(
      db,
      {
        ...ctx.audit,
        action: `ledger.${kind === 'manual_rollback' ? 'rollback' : 'adjust'}${pending ? '.request' : ''}`,
        resource: 'ledger',
        resource_id: entry.id,
        before: summary,
        after: entry,
        reason: input.reason,
        outcome: 'success',
      },
      now,
    );
    return entry;
  }

  /** approve or reject a pending entry: never by its requester (refused with 403 and audited) */
  function decide(id: string, approve: boolean, note: string | null, ctx: LedgerContext): LedgerEntry {
    const now = clock();
    const at = now.toISOString();
    const result = db
      .transaction((): LedgerEntry | 'self' => {
        const before = getEntry(db, id);
        if (!before) throw new ApiError(404, `no ledger entry ${id}`);
        if (before.status !== 'pending_approval') {
          const by = before.decided_by ? ` by ${before.decided_by}` : '';
          throw new ApiError(
            409,
            `${id} is ${before.status}${by}; only an entry pending approval can be decided`,
          );
        }
        if (before.created_by === ctx.user.username) return 'self';
        if (approve && before.amount > 0) {
          // the bound again, without this entry's own reservation: other refunds may have been posted since
          const others = taskEntries(db, before.task_id).filter((e) => e.id !== id);
          const problem = refundProblem(before.amount, chargeSummary(others));
          if (problem)
            throw new ApiError(422, `${id} can no longer be approved: it ${problem}`, { amount: problem });
        }
        decideStmt.run({ id, status: approve ? 'posted' : 'rejected', by: ctx.user.username, at, note });
        const after = getEntry(db, id)!;
        if (approve) emit(after);
        writeAudit(
          db,
          {
            ...ctx.audit,
            action: approve ? 'ledger.approve' : 'ledger.reject',
            resource: 'ledger',
            resource_id: id,
            before,
            after,
            reason: note,
            outcome: 'success',
          },
          now,
        );
        return after;
      })
      .immediate();
    if (result === 'self') {
      recordAudit(
        db,
        {
          ...ctx.audit,
          action: approve ? 'ledger.approve' : 'ledger.reject',
          resource: 'ledger',
          resource_id: id,
          reason: 'four-eyes: the requester may not decide their own entry',
          outcome: 'denied',
        },
        now,
      );
      throw new ApiError(
        403,
        `${id} was requested by you; a second person must ${approve ? 'approve' : 'reject'} it`,
      );
    }
    return result;
  }

  return { requestEntry, decide };
}
export type Ledger = ReturnType<typeof createLedger>;

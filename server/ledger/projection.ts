import type { DB } from '../../db/open.ts';
import { textOf } from '../ingest/properties.ts';
import type { StoredEventInfo } from '../ingest/store.ts';
import { CONSOLE_SOURCE } from '../licenses/decide.ts';

/** the ledger id of a task's charge: one per task */
export const chargeIdOf = (taskId: string) => `charge:${taskId}`;

/** the source of entries the platform's events make */
export const PLATFORM = 'platform';

/**
 * Keeps the ledger from the event stream (inside the storing transaction, after the task projection): a
 * task_completed with its credits_spent is the task's charge (once per task); a credits_updated is a tail
 * deduction once by its ledger_id (the console's own credits_updated events, source `console`, were written
 * for entries made already, so they add nothing); a task_start tells the account to the
 * entries recorded before it arrived.
 */
export function keepLedger(db: DB) {
  const accountOf = db.prepare('SELECT account_id FROM landing_phase1_tasks WHERE task_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO landing_phase1_ledger (id, account_id, task_id, amount, kind, policy_tag, created_by, created_at,
       status, source_event_pk)
     VALUES (@id, @account_id, @task_id, @amount, @kind, @policy_tag, '${PLATFORM}', @created_at, 'posted', @pk)
     ON CONFLICT DO NOTHING`,
  );
  const hasCharge = db.prepare(
    "SELECT 1 FROM landing_phase1_ledger WHERE task_id = ? AND kind = 'task_charge'",
  );
  const learnAccount = db.prepare(
    'UPDATE landing_phase1_ledger SET account_id = ? WHERE task_id = ? AND account_id IS NULL',
  );
  return (e: StoredEventInfo) => {
    const p = e.properties;
    const taskId = textOf(p.task_id);
    if (!taskId) return;
    if (e.event === 'task_start') {
      const account = textOf(p.account_id);
      if (account) learnAccount.run(account, taskId);
    } else if (e.event === 'task_completed') {
      const spent = p.credits_spent;
      if (typeof spent !== 'number' || !Number.isFinite(spent) || spent <= 0) return;
      const charge = {
        id: chargeIdOf(taskId),
        account_id: (accountOf.get(taskId) as string | null | undefined) ?? null,
        task_id: taskId,
        amount: -spent,
        kind: 'task_charge',
        policy_tag: null,
        created_at: e.occurred_at,
        pk: e.pk,
      };
      // once per task; should the platform have used this id for a ledger entry of its own, under another
      if (insert.run(charge).changes === 0 && !hasCharge.get(taskId))
        insert.run({ ...charge, id: `${charge.id}:${e.pk}` });
    } else if (e.event === 'credits_updated' && e.source !== CONSOLE_SOURCE) {
      // (the console's own credits_updated events were written for entries made already)
      const ledgerId = textOf(p.ledger_id);
      const amount = p.adjust_amount;
      if (!ledgerId || typeof amount !== 'number' || !Number.isFinite(amount) || amount === 0) return;
      insert.run({
        id: ledgerId,
        account_id: (accountOf.get(taskId) as string | null | undefined) ?? null,
        task_id: taskId,
        amount,
        kind: 'tail_deduction',
        policy_tag: textOf(p.policy_tag),
        created_at: e.occurred_at,
        pk: e.pk,
      });
    }
  };
}

import type { DB } from '../../db/open.ts';
import { integerOf, numberOf, textOf } from '../ingest/properties.ts';
import type { StoredEventInfo } from '../ingest/store.ts';

/** events after a task's start that its page and the licence's task list show */
const TASK_FOLLOW_UPS = new Set(['task_completed', 'task_failed', 'risk_alert', 'credits_updated']);

/**
 * Keeps the task projection (inside the storing transaction): any task event opens its task; task_start
 * fills who and what, the outcome event with the latest occurred_at (ties: the larger event_id) fills how
 * it ended, so the same events give the same task whatever order they arrive in. Every later event of the
 * task_id is linked to it for the task's page.
 */
export function trackTasks(db: DB) {
  const open = db.prepare(
    `INSERT INTO landing_phase1_tasks (task_id, first_seen_at) VALUES (?, ?)
     ON CONFLICT (task_id) DO UPDATE SET first_seen_at = min(first_seen_at, excluded.first_seen_at)`,
  );
  const start = db.prepare(
    `UPDATE landing_phase1_tasks SET start_event_pk = @pk, account_id = @account_id,
       template_id = coalesce(@template_id, template_id),
       queue_type = @queue_type, estimated_credits = @estimated_credits, started_at = @started_at
     WHERE task_id = @task_id AND start_event_pk IS NULL`,
  );
  // the newer outcome wins: compared by occurred_at, then by event_id (not by arrival: the same events must
  // give the same task whatever order they arrive in, also when two outcomes share an instant)
  const outcome = db.prepare(
    `UPDATE landing_phase1_tasks SET outcome_event_pk = @pk, outcome = @outcome, finished_at = @finished_at,
       credits_spent = @credits_spent, duration_ms = @duration_ms, output_count = @output_count,
       failure_code = @failure_code, sub_status = @sub_status, policy_tag = @policy_tag,
       action_required = @action_required
     WHERE task_id = @task_id AND (finished_at IS NULL OR finished_at < @finished_at
       OR (finished_at = @finished_at
         AND (SELECT e.event_id FROM landing_phase1_events e WHERE e.id = outcome_event_pk) < @event_id))`,
  );
  // the template: the start's; else any outcome's (whether or not that outcome is the latest)
  const outcomeTemplate = db.prepare(
    'UPDATE landing_phase1_tasks SET template_id = @template_id WHERE task_id = @task_id AND template_id IS NULL',
  );
  const followUp = db.prepare(
    'INSERT OR IGNORE INTO landing_phase1_task_events (task_id, event_pk) VALUES (?, ?)',
  );
  return (e: StoredEventInfo) => {
    const taskId = textOf(e.properties.task_id);
    if (!taskId) return;
    const p = e.properties;
    if (e.event === 'task_start') {
      open.run(taskId, e.occurred_at);
      start.run({
        pk: e.pk,
        task_id: taskId,
        account_id: textOf(p.account_id),
        template_id: textOf(p.template_id),
        queue_type: textOf(p.queue_type),
        estimated_credits: numberOf(p.estimated_credits),
        started_at: e.occurred_at,
      });
      return;
    }
    if (!TASK_FOLLOW_UPS.has(e.event)) return;
    followUp.run(taskId, e.pk);
    if (e.event === 'task_completed' || e.event === 'task_failed') {
      open.run(taskId, e.occurred_at);
      const done = e.event === 'task_completed';
      outcome.run({
        pk: e.pk,
        event_id: e.event_id,
        task_id: taskId,
        outcome: done ? 'succeeded' : 'failed',
        finished_at: e.occurred_at,
        credits_spent: done ? numberOf(p.credits_spent) : null,
        duration_ms: done ? integerOf(p.duration_ms) : null,
        output_count: done ? integerOf(p.output_count) : null,
        failure_code: done ? null : textOf(p.failure_code),
        sub_status: done ? null : textOf(p.sub_status),
        policy_tag: done ? null : textOf(p.policy_tag),
        action_required: done ? null : textOf(p.action_required),
      });
      const template = textOf(p.template_id);
      if (template) outcomeTemplate.run({ task_id: taskId, template_id: template });
    }
  };
}

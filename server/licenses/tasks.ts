import { numberOf } from '../ingest/properties.ts';
import type { LicenseTask } from './schemas.ts';

/** an event as the task assembly reads it */
export interface TaskEvent {
  event: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * One task of a licence, from its task_start and the task_completed / task_failed / risk_alert events that
 * share its task_id (in time order). Pure: the server and the mocks assemble tasks alike.
 */
export function assembleTask(start: TaskEvent, followUps: TaskEvent[]): LicenseTask | undefined {
  const taskId = start.properties.task_id;
  if (typeof taskId !== 'string') return undefined;
  const task: LicenseTask = {
    id: taskId,
    task_id: taskId,
    started_at: start.occurred_at,
    queue_type: text(start.properties.queue_type),
    estimated_credits: numberOf(start.properties.estimated_credits),
    outcome: 'running',
    finished_at: null,
    credits_spent: null,
    failure_code: null,
    alerts: [],
  };
  for (const f of followUps) {
    const q = f.properties;
    if (f.event === 'risk_alert') {
      task.alerts.push({
        alert_id: text(q.alert_id),
        occurred_at: f.occurred_at,
        risk_level: text(q.risk_level),
        policy_tag: text(q.policy_tag),
        action_required: text(q.action_required),
        escalation_level: text(q.escalation_level),
      });
    } else if (f.event === 'task_completed' || f.event === 'task_failed') {
      task.outcome = f.event === 'task_completed' ? 'completed' : 'failed';
      task.finished_at = f.occurred_at;
      task.credits_spent = numberOf(q.credits_spent);
      task.failure_code = text(q.failure_code);
    }
  }
  return task;
}

/** the most tasks a licence page lists (the newest) */
export const MAX_LICENSE_TASKS = 100;

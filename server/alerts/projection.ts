import type { DB } from '../../db/open.ts';
import { writeAudit } from '../audit/log.ts';
import { textOf } from '../ingest/properties.ts';
import type { StoredEventInfo } from '../ingest/store.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { arrivalEscalation } from './lifecycle.ts';

/**
 * Opens an alert for each newly stored risk_alert (inside the storing transaction), one per alert_id (a
 * risk_alert without one is kept under its event_id, never dropped). An alert below its policy tag's
 * minimum escalation is raised to it on arrival (D3 → compliance_committee), and that step is audited.
 */
export function openAlerts(db: DB, plan: PlanCache, clock: () => Date) {
  const insert = db.prepare(
    `INSERT INTO landing_phase1_alerts (alert_id, source_event_pk, task_id, risk_level, policy_tag, action_required,
       escalation_level, arrived_escalation, auto_escalated, event_violations, raised_at, day)
     VALUES (@alert_id, @pk, @task_id, @risk_level, @policy_tag, @action_required, @escalation_level,
       @arrived_escalation, @auto_escalated, @event_violations, @raised_at, @day)
     ON CONFLICT (alert_id) DO NOTHING`,
  );
  return (e: StoredEventInfo) => {
    if (e.event !== 'risk_alert') return;
    const p = e.properties;
    const tag = textOf(p.policy_tag);
    const minimum = tag ? plan.current().enumValues.get('policy_tag')?.get(tag)?.min_escalation_level : null;
    const sent = textOf(p.escalation_level);
    const { level, raised } = arrivalEscalation(sent, minimum);
    const row = {
      alert_id: textOf(p.alert_id) ?? `event:${e.event_id}`,
      pk: e.pk,
      task_id: textOf(p.task_id),
      risk_level: textOf(p.risk_level),
      policy_tag: tag,
      action_required: textOf(p.action_required),
      escalation_level: level,
      arrived_escalation: sent,
      auto_escalated: raised ? 1 : 0,
      event_violations: e.violation_count,
      raised_at: e.occurred_at,
      day: e.day,
    };
    const info = insert.run(row);
    if (info.changes === 1 && raised) {
      writeAudit(
        db,
        {
          actor: { id: null, username: 'system' },
          action: 'alert.auto_escalate',
          resource: 'alert',
          resource_id: Number(info.lastInsertRowid),
          before: { escalation_level: sent },
          after: { escalation_level: level },
          reason: `policy_tag ${tag} requires ${minimum} on arrival`,
          outcome: 'success',
        },
        clock(),
      );
    }
  };
}

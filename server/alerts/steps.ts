import type { DB } from '../../db/open.ts';
import { writeAudit } from '../audit/log.ts';
import type { auditContext } from '../auth/middleware.ts';
import { ApiError } from '../http/errors.ts';
import { alertStep } from './lifecycle.ts';
import type { AlertAction } from './schemas.ts';
import { getAlertRow, toAlert } from './store.ts';

const PAST: Record<AlertAction, string> = {
  acknowledge: 'acknowledged',
  escalate: 'escalated',
  resolve: 'resolved',
};

export interface StepContext {
  user: { username: string };
  audit: ReturnType<typeof auditContext>;
}

/**
 * Steps alerts: each step on the version read, in one transaction with its audit row; 409 when the version
 * is stale or the state machine does not allow it.
 */
export function createAlertSteps(db: DB, clock: () => Date) {
  const update = db.prepare(
    `UPDATE landing_phase1_alerts SET state = @state, escalation_level = @escalation_level, version = version + 1,
       acknowledged_at = coalesce(acknowledged_at, @acknowledged_at), acknowledged_by = coalesce(acknowledged_by, @acknowledged_by),
       resolved_at = @resolved_at, resolved_by = @resolved_by, updated_at = @at, updated_by = @by, last_note = @note
     WHERE id = @id AND version = @version`,
  );

  /** one step on the version read, in one transaction with its audit row: 409 when stale or not allowed */
  return (id: number, version: number | undefined, action: AlertAction, note: string, ctx: StepContext) => {
    if (version === undefined)
      throw new ApiError(400, 'send the version you read (If-Match header or a version field)', {
        version: 'is required',
      });
    const now = clock();
    const at = now.toISOString();
    return db
      .transaction(() => {
        const before = getAlertRow(db, id);
        if (!before) throw new ApiError(404, `no alert ${id}`);
        const by = before.updated_by ? ` by ${before.updated_by}` : '';
        if (before.version !== version)
          throw new ApiError(
            409,
            `alert ${before.alert_id} was changed${by} since you read it (it is ${before.state} now); reload it`,
            {
              version: `is ${before.version} now`,
            },
          );
        const next = alertStep(before.state, before.escalation_level, action);
        if (!next.ok)
          throw new ApiError(
            409,
            `alert ${before.alert_id} ${next.why}${before.updated_by ? ` (last step by ${before.updated_by})` : ''}; it cannot be ${PAST[action]}`,
          );
        const who = ctx.user.username;
        update.run({
          id,
          version,
          state: next.state,
          escalation_level: next.escalation_level,
          acknowledged_at: next.state === 'acknowledged' ? at : null,
          acknowledged_by: next.state === 'acknowledged' ? who : null,
          resolved_at: next.state === 'resolved' ? at : null,
          resolved_by: next.state === 'resolved' ? who : null,
          at,
          by: who,
          note,
        });
        const after = getAlertRow(db, id)!;
        writeAudit(
          db,
          {
            ...ctx.audit,
            action: `alert.${action}`,
            resource: 'alert',
            resource_id: id,
            before: toAlert(before, now),
            after: toAlert(after, now),
            reason: note,
            outcome: 'success',
          },
          now,
        );
        return toAlert(after, now);
      })
      .immediate();
  };
}
export type AlertStepper = ReturnType<typeof createAlertSteps>;

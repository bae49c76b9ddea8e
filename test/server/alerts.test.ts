import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertRecord } from '../../server/alerts/schemas.ts';
import type { AuditRow } from '../../server/audit/log.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { riskAlert, TASK_ACCOUNT, type TestApp, taskStart, testApp } from './helpers.ts';

/**
 * The risk-alert inbox: every stored risk_alert opens one alert per alert_id (one without an alert_id is kept
 * under its event_id); an alert below its policy tag's minimum escalation is raised on arrival (D3 →
 * compliance_committee), audited as alert.auto_escalate. Compliance reviewers work alerts open → acknowledged →
 * resolved and escalate them none → ops_review → compliance_committee, each step with a note, on the version
 * read (409 when stale), audited in the step's transaction. The inbox lists high risk first, open before
 * acknowledged before resolved, with filters, and acknowledges or resolves a selection item by item.
 */

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

let seq = 0;
/** stores one risk_alert as operations-compliance sends it; the id of the alert it opened (or matched) */
function raise(alertId: string, properties: Record<string, unknown> = {}, occurred_at?: string): number {
  const eventId = `ra-${++seq}`;
  const res = t.store.ingest(
    [riskAlert(eventId, alertId, 'task_1', properties, occurred_at)],
    'operations-compliance',
  );
  expect(res.accepted).toBe(1);
  return t.db
    .prepare('SELECT id FROM landing_phase1_alerts WHERE alert_id = ?')
    .pluck()
    .get(alertId) as number;
}

const reviewer = () => t.as('compliance_reviewer');
const step = (id: number, action: string, body: unknown, headers: Record<string, string> = {}) =>
  reviewer().send('POST', `/api/alerts/${id}/${action}`, body, headers);

async function stepped(id: number, action: string, body: unknown): Promise<AlertRecord> {
  const res = await step(id, action, body);
  expect(res.status).toBe(200);
  return (await res.json()) as AlertRecord;
}

interface AlertDbRow {
  id: number;
  alert_id: string;
  state: string;
  escalation_level: string | null;
  version: number;
  auto_escalated: number;
  arrived_escalation: string | null;
  last_note: string | null;
}
const row = (id: number) =>
  t.db.prepare('SELECT * FROM landing_phase1_alerts WHERE id = ?').get(id) as AlertDbRow;
const alertAudit = () =>
  t.db
    .prepare("SELECT * FROM landing_phase1_audit_log WHERE action LIKE 'alert.%' ORDER BY id")
    .all() as AuditRow[];
const alertCount = () => t.db.prepare('SELECT count(*) FROM landing_phase1_alerts').pluck().get() as number;

async function expectError(res: Response, status: number) {
  expect(res.status).toBe(status);
  return (await res.json()) as ErrorBody;
}

/** a B1 alert (policy minimum none) at none, brought to `state` through the API; returns its id and version */
async function alertIn(state: 'open' | 'acknowledged' | 'resolved', alertId = `al_${state}`) {
  const id = raise(alertId, { policy_tag: 'B1', risk_level: 'low', escalation_level: 'none' });
  if (state === 'acknowledged') await stepped(id, 'acknowledge', { note: 'looking', version: 1 });
  if (state === 'resolved') await stepped(id, 'resolve', { note: 'copy fixed', version: 1 });
  return { id, version: row(id).version };
}

describe('the state machine, every state × action through the API', () => {
  const CASES = [
    ['open', 'acknowledge', { state: 'acknowledged', escalation_level: 'none' }],
    ['open', 'escalate', { state: 'open', escalation_level: 'ops_review' }],
    ['open', 'resolve', { state: 'resolved', escalation_level: 'none' }],
    [
      'acknowledged',
      'acknowledge',
      'alert al_acknowledged is acknowledged already (last step by compliance_reviewer); it cannot be acknowledged',
    ],
    ['acknowledged', 'escalate', { state: 'acknowledged', escalation_level: 'ops_review' }],
    ['acknowledged', 'resolve', { state: 'resolved', escalation_level: 'none' }],
    [
      'resolved',
      'acknowledge',
      'alert al_resolved is resolved (last step by compliance_reviewer); it cannot be acknowledged',
    ],
    [
      'resolved',
      'escalate',
      'alert al_resolved is resolved (last step by compliance_reviewer); it cannot be escalated',
    ],
    [
      'resolved',
      'resolve',
      'alert al_resolved is resolved (last step by compliance_reviewer); it cannot be resolved',
    ],
  ] as const;

  it.each(CASES)('%s + %s', async (from, action, outcome) => {
    const { id, version } = await alertIn(from);
    const auditsBefore = alertAudit().length;
    const res = await step(id, action, { note: `step ${action}`, version });
    if (typeof outcome === 'string') {
      expect((await expectError(res, 409)).message).toBe(outcome);
      expect(row(id)).toMatchObject({ state: from, version });
      expect(alertAudit()).toHaveLength(auditsBefore);
      return;
    }
    expect(res.status).toBe(200);
    const alert = (await res.json()) as AlertRecord;
    expect(alert).toMatchObject({ ...outcome, version: version + 1, last_note: `step ${action}` });
    expect(alert.updated_by).toBe('compliance_reviewer');
    expect(alert.updated_at).toBe(t.now.toISOString());
    if (outcome.state === 'acknowledged') expect(alert.acknowledged_by).toBe('compliance_reviewer');
    if (outcome.state === 'resolved') {
      expect(alert).toMatchObject({ resolved_by: 'compliance_reviewer', resolved_at: t.now.toISOString() });
    } else expect(alert.resolved_at).toBeNull();
    expect(row(id)).toMatchObject({ ...outcome, version: version + 1 });
    const audits = alertAudit();
    expect(audits).toHaveLength(auditsBefore + 1);
    expect(audits.at(-1)).toMatchObject({
      actor: 'compliance_reviewer',
      action: `alert.${action}`,
      resource: 'alert',
      resource_id: String(id),
      reason: `step ${action}`,
      outcome: 'success',
    });
    expect(JSON.parse(audits.at(-1)!.before!)).toMatchObject({ state: from, version });
    expect(JSON.parse(audits.at(-1)!.after!)).toMatchObject({ ...outcome, version: version + 1 });
  });

  it('escalate climbs one step at a time and stops at compliance_committee (409)', async () => {
    const { id } = await alertIn('open');
    expect((await stepped(id, 'escalate', { note: 'needs ops', version: 1 })).escalation_level).toBe(
      'ops_review',
    );
    expect((await stepped(id, 'escalate', { note: 'regulator', version: 2 })).escalation_level).toBe(
      'compliance_committee',
    );
    const top = await expectError(await step(id, 'escalate', { note: 'again', version: 3 }), 409);
    expect(top.message).toBe(
      'alert al_open is at compliance_committee, the highest escalation (last step by compliance_reviewer); it cannot be escalated',
    );
    expect(row(id)).toMatchObject({ escalation_level: 'compliance_committee', version: 3, state: 'open' });
    // an escalated alert is still acknowledged and resolved as usual
    expect((await stepped(id, 'acknowledge', { note: 'committee has it', version: 3 })).state).toBe(
      'acknowledged',
    );
    expect((await stepped(id, 'resolve', { note: 'closed by committee', version: 4 })).state).toBe(
      'resolved',
    );
    expect(alertAudit().map((a) => a.action)).toEqual([
      'alert.escalate',
      'alert.escalate',
      'alert.acknowledge',
      'alert.resolve',
    ]);
  });

  it('an acknowledgement keeps who acknowledged first; resolving later keeps it too', async () => {
    const { id } = await alertIn('acknowledged');
    const other = t.asUser('reviewer2', ['compliance_reviewer']);
    const res = await other.send('POST', `/api/alerts/${id}/resolve`, { note: 'done', version: 2 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'resolved',
      acknowledged_by: 'compliance_reviewer',
      resolved_by: 'reviewer2',
      updated_by: 'reviewer2',
    });
  });
});

describe('notes and versions', () => {
  it('every step needs a note: missing or blank is a 400 naming note, and nothing changes', async () => {
    const { id } = await alertIn('open');
    for (const body of [{ version: 1 }, { note: '   ', version: 1 }, { note: 7, version: 1 }]) {
      const err = await expectError(await step(id, 'acknowledge', body), 400);
      expect(Object.keys(err.errors ?? {})).toEqual(['note']);
    }
    expect(row(id)).toMatchObject({ state: 'open', version: 1 });
    expect(alertAudit()).toEqual([]);
  });

  it('the version read is required (400 naming version) and may come as If-Match', async () => {
    const { id } = await alertIn('open');
    const missing = await expectError(await step(id, 'acknowledge', { note: 'x' }), 400);
    expect(missing.errors).toEqual({ version: 'is required' });
    const bad = await expectError(await step(id, 'acknowledge', { note: 'x' }, { 'If-Match': 'abc' }), 400);
    expect(bad.errors).toEqual({ version: 'If-Match is not a version' });
    const notInt = await expectError(await step(id, 'acknowledge', { note: 'x', version: 1.5 }), 400);
    expect(Object.keys(notInt.errors ?? {})).toEqual(['version']);
    expect(row(id)).toMatchObject({ state: 'open', version: 1 });

    const res = await step(id, 'acknowledge', { note: 'via header' }, { 'If-Match': 'W/"1"' });
    expect(res.status).toBe(200);
    // If-Match wins over a body version
    const stale = await step(id, 'escalate', { note: 'x', version: 2 }, { 'If-Match': '"1"' });
    expect(stale.status).toBe(409);
    expect(row(id)).toMatchObject({ state: 'acknowledged', version: 2 });
  });

  it('a step on a stale version is a 409 naming who changed it and what it is now; nothing changes', async () => {
    const { id } = await alertIn('open');
    const other = t.asUser('reviewer2', ['compliance_reviewer']);
    expect(
      (await other.send('POST', `/api/alerts/${id}/acknowledge`, { note: 'mine', version: 1 })).status,
    ).toBe(200);
    const err = await expectError(await step(id, 'escalate', { note: 'mine too', version: 1 }), 409);
    expect(err).toEqual({
      message: 'alert al_open was changed by reviewer2 since you read it (it is acknowledged now); reload it',
      errors: { version: 'is 2 now' },
    });
    expect(row(id)).toMatchObject({
      state: 'acknowledged',
      escalation_level: 'none',
      version: 2,
      last_note: 'mine',
    });
    expect(alertAudit()).toHaveLength(1);
  });

  it('concurrent steps on one version: exactly one wins, the others get 409', async () => {
    const { id } = await alertIn('open');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        step(id, i % 2 ? 'resolve' : 'acknowledge', { note: `n${i}`, version: 1 }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(row(id).version).toBe(2);
    expect(alertAudit()).toHaveLength(1);
  });

  it('an unknown alert is a 404, a bad id a 400', async () => {
    expect((await expectError(await step(999, 'acknowledge', { note: 'x', version: 1 }), 404)).message).toBe(
      'no alert 999',
    );
    expect((await reviewer().get('/api/alerts/999')).status).toBe(404);
    expect((await step(0, 'acknowledge', { note: 'x', version: 1 })).status).toBe(400);
  });
});

describe('arrival: one alert per alert_id, raised to its policy minimum', () => {
  it('a D3 alert sent below compliance_committee is escalated on arrival, audited as alert.auto_escalate', async () => {
    const id = raise(
      'al_d3',
      { policy_tag: 'D3', escalation_level: 'ops_review' },
      '2026-11-25T09:00:00+08:00',
    );
    expect(row(id)).toMatchObject({
      escalation_level: 'compliance_committee',
      arrived_escalation: 'ops_review',
      auto_escalated: 1,
      state: 'open',
      version: 1,
    });
    const audits = alertAudit();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: 'system',
      actor_id: null,
      action: 'alert.auto_escalate',
      resource: 'alert',
      resource_id: String(id),
      reason: 'policy_tag D3 requires compliance_committee on arrival',
      outcome: 'success',
      at: t.now.toISOString(),
    });
    expect(JSON.parse(audits[0]!.before!)).toEqual({ escalation_level: 'ops_review' });
    expect(JSON.parse(audits[0]!.after!)).toEqual({ escalation_level: 'compliance_committee' });
    // the event itself is kept as sent, with its violation
    const event = t.db
      .prepare("SELECT properties, violations FROM landing_phase1_events WHERE event = 'risk_alert'")
      .get() as { properties: string; violations: string };
    expect(JSON.parse(event.properties).escalation_level).toBe('ops_review');
    expect(JSON.parse(event.violations)).toEqual([
      { field: 'escalation_level', rule: 'escalation_below_policy' },
    ]);
    const api = (await (await reviewer().get(`/api/alerts/${id}`)).json()) as AlertRecord;
    expect(api).toMatchObject({
      auto_escalated: true,
      event_violations: 1,
      escalation_level: 'compliance_committee',
    });
    // already at the top: escalate is refused
    expect((await step(id, 'escalate', { note: 'x', version: 1 })).status).toBe(409);
  });

  it('a D3 alert without any escalation_level is escalated too', () => {
    const id = raise('al_d3_none', { policy_tag: 'D3', escalation_level: undefined });
    expect(row(id)).toMatchObject({
      escalation_level: 'compliance_committee',
      arrived_escalation: null,
      auto_escalated: 1,
    });
    expect(alertAudit()).toHaveLength(1);
  });

  it('a D3 alert already at compliance_committee is not escalated nor audited', () => {
    const id = raise('al_d3_ok', { policy_tag: 'D3', escalation_level: 'compliance_committee' });
    expect(row(id)).toMatchObject({ escalation_level: 'compliance_committee', auto_escalated: 0 });
    expect(alertAudit()).toEqual([]);
  });

  it('a B1 alert at none stays at none; a D1 at none is raised to its minimum ops_review', () => {
    const b1 = raise('al_b1', { policy_tag: 'B1', risk_level: 'low', escalation_level: 'none' });
    expect(row(b1)).toMatchObject({ escalation_level: 'none', auto_escalated: 0 });
    expect(alertAudit()).toEqual([]);
    const d1 = raise('al_d1', { policy_tag: 'D1', escalation_level: 'none' });
    expect(row(d1)).toMatchObject({
      escalation_level: 'ops_review',
      arrived_escalation: 'none',
      auto_escalated: 1,
    });
    expect(alertAudit().map((a) => [a.action, a.resource_id])).toEqual([['alert.auto_escalate', String(d1)]]);
  });

  it('a risk_alert without alert_id is kept under its event_id', async () => {
    const res = t.store.ingest(
      [riskAlert('ra-no-id', 'unused', 'task_1', { alert_id: undefined })],
      'operations-compliance',
    );
    expect(res.results[0]!.violations).toEqual([{ field: 'alert_id', rule: 'missing' }]);
    expect(t.db.prepare('SELECT alert_id, task_id FROM landing_phase1_alerts').all()).toEqual([
      { alert_id: 'event:ra-no-id', task_id: 'task_1' },
    ]);
    const list = (await (await reviewer().get('/api/alerts')).json()) as AlertRecord[];
    expect(list.map((a) => a.alert_id)).toEqual(['event:ra-no-id']);
  });

  it('a repeated alert_id keeps the first alert; a repeated event_id is one event', () => {
    const first = raise('al_1', { risk_level: 'medium' }, '2026-11-25T09:00:00+08:00');
    t.store.ingest(
      [riskAlert('ra-again', 'al_1', 'task_9', { risk_level: 'high', policy_tag: 'D3' })],
      'operations-compliance',
    );
    t.store.ingest([riskAlert('ra-again', 'al_1', 'task_9')], 'operations-compliance');
    expect(alertCount()).toBe(1);
    expect(row(first)).toMatchObject({ alert_id: 'al_1', escalation_level: 'ops_review', auto_escalated: 0 });
    expect(
      t.db.prepare('SELECT risk_level, task_id FROM landing_phase1_alerts WHERE id = ?').get(first),
    ).toEqual({ risk_level: 'medium', task_id: 'task_1' });
    // the repeat is stored as an event (nothing is dropped) but opens nothing and audits nothing
    expect(
      t.db.prepare("SELECT count(*) FROM landing_phase1_events WHERE event = 'risk_alert'").pluck().get(),
    ).toBe(2);
    expect(alertAudit()).toEqual([]);
  });
});

describe('the inbox', () => {
  /** ids by name: a mix of risk levels, states and ages (the clock is 12:00 UTC+8) */
  async function inbox() {
    const ids = {
      lowOld: raise(
        'al_low_old',
        { risk_level: 'low', policy_tag: 'B1', escalation_level: 'none' },
        '2026-11-25T06:00:00+08:00',
      ),
      highNew: raise('al_high_new', { risk_level: 'high' }, '2026-11-25T11:30:00+08:00'),
      highOld: raise('al_high_old', { risk_level: 'high' }, '2026-11-25T08:00:00+08:00'),
      mediumAck: raise('al_med_ack', { risk_level: 'medium', policy_tag: 'B2' }, '2026-11-25T07:00:00+08:00'),
      highAck: raise('al_high_ack', { risk_level: 'high' }, '2026-11-25T10:00:00+08:00'),
      highResolved: raise('al_high_res', { risk_level: 'high' }, '2026-11-25T05:00:00+08:00'),
      medium: raise(
        'bx_medium',
        { risk_level: 'medium', policy_tag: 'B2', task_id: 'task_77' },
        '2026-11-25T09:00:00+08:00',
      ),
    };
    await stepped(ids.mediumAck, 'acknowledge', { note: 'x', version: 1 });
    await stepped(ids.highAck, 'acknowledge', { note: 'x', version: 1 });
    await stepped(ids.highResolved, 'resolve', { note: 'x', version: 1 });
    return ids;
  }
  const listed = async (
    query: { sort?: unknown; range?: unknown; filter?: unknown } = {},
    as = reviewer(),
  ) => {
    const res = await as.list('alerts', query);
    expect(res.status).toBe(200);
    return { alerts: (await res.json()) as AlertRecord[], range: res.headers.get('Content-Range') };
  };

  it('lists open before acknowledged before resolved, high risk first, oldest first', async () => {
    await inbox();
    const { alerts, range } = await listed();
    expect(alerts.map((a) => [a.alert_id, a.state, a.risk_level])).toEqual([
      ['al_high_old', 'open', 'high'],
      ['al_high_new', 'open', 'high'],
      ['bx_medium', 'open', 'medium'],
      ['al_low_old', 'open', 'low'],
      ['al_high_ack', 'acknowledged', 'high'],
      ['al_med_ack', 'acknowledged', 'medium'],
      ['al_high_res', 'resolved', 'high'],
    ]);
    expect(range).toBe('alerts 0-6/7');
    expect(alerts[0]!.age_hours).toBe(4);
    expect(alerts[1]!.age_hours).toBe(0.5);
    // a resolved alert's age stops at its resolution
    expect(alerts[6]!.age_hours).toBe(7);
    const page = await listed({ range: [2, 3] });
    expect(page.alerts.map((a) => a.alert_id)).toEqual(['bx_medium', 'al_low_old']);
    expect(page.range).toBe('alerts 2-3/7');
  });

  it('filters by risk_level, state, age, escalation, auto-escalation and q (alert_id or task_id prefix)', async () => {
    await inbox();
    raise('al_d3', { policy_tag: 'D3', escalation_level: 'none' }, '2026-11-25T11:59:00+08:00');
    const ids = async (filter: Record<string, unknown>) =>
      (await listed({ filter })).alerts.map((a) => a.alert_id);
    expect(await ids({ risk_level: 'medium' })).toEqual(['bx_medium', 'al_med_ack']);
    expect(await ids({ state: 'acknowledged' })).toEqual(['al_high_ack', 'al_med_ack']);
    expect(await ids({ state: ['open', 'acknowledged'], risk_level: 'high' })).toEqual([
      'al_high_old',
      'al_high_new',
      'al_d3',
      'al_high_ack',
    ]);
    expect(await ids({ age_hours_gte: 4, state_neq: 'resolved' })).toEqual([
      'al_high_old',
      'al_low_old',
      'al_med_ack',
    ]);
    expect(await ids({ age_hours_gte: 0 })).toHaveLength(8);
    expect(await ids({ escalation_level: 'compliance_committee' })).toEqual(['al_d3']);
    expect(await ids({ auto_escalated: true })).toEqual(['al_d3']);
    expect(await ids({ q: 'bx' })).toEqual(['bx_medium']);
    expect(await ids({ q: 'task_77' })).toEqual(['bx_medium']);
    expect(await ids({ q: 'al_high' })).toEqual(['al_high_old', 'al_high_new', 'al_high_ack', 'al_high_res']);
    // not a number, negative, beyond any date, or not a scalar: 400 naming the field, never a 500
    for (const age of ['soon', -1, 1e308, [5], true]) {
      const bad = await reviewer().list('alerts', { filter: { age_hours_gte: age } });
      expect((await expectError(bad, 400)).errors?.['filter.age_hours_gte']).toBe(
        'must be a number of hours from 0 to 876000',
      );
    }
  });

  it('bulk acknowledge: each item on its own, per-item results; a stale one is a 409 in its item', async () => {
    const ids = await inbox();
    const res = await reviewer().send('POST', '/api/alerts/bulk', {
      action: 'acknowledge',
      note: 'triaged',
      items: [
        { id: ids.highOld, version: 1 },
        { id: ids.highNew, version: 2 }, // stale: it is at version 1
        { id: ids.highAck, version: 2 }, // acknowledged already
        { id: ids.lowOld, version: 1 },
        { id: 999, version: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as {
      results: Array<{ id: number; ok: boolean; status: number; message?: string; alert?: AlertRecord }>;
    };
    expect(results.map(({ alert: _, ...r }) => r)).toEqual([
      { id: ids.highOld, ok: true, status: 200 },
      {
        id: ids.highNew,
        ok: false,
        status: 409,
        message: 'alert al_high_new was changed since you read it (it is open now); reload it',
      },
      {
        id: ids.highAck,
        ok: false,
        status: 409,
        message:
          'alert al_high_ack is acknowledged already (last step by compliance_reviewer); it cannot be acknowledged',
      },
      { id: ids.lowOld, ok: true, status: 200 },
      { id: 999, ok: false, status: 404, message: 'no alert 999' },
    ]);
    expect(results[0]!.alert).toMatchObject({ state: 'acknowledged', version: 2, last_note: 'triaged' });
    expect(
      [ids.highOld, ids.highNew, ids.highAck, ids.lowOld].map((id) => [row(id).state, row(id).version]),
    ).toEqual([
      ['acknowledged', 2],
      ['open', 1],
      ['acknowledged', 2],
      ['acknowledged', 2],
    ]);
    // one audit row per step that happened, none for the refused ones
    const bulkAudits = alertAudit().filter((a) => a.reason === 'triaged');
    expect(bulkAudits.map((a) => [a.action, a.resource_id])).toEqual([
      ['alert.acknowledge', String(ids.highOld)],
      ['alert.acknowledge', String(ids.lowOld)],
    ]);
  });

  it('bulk resolve works; bulk escalate, no items or no note is a 400', async () => {
    const ids = await inbox();
    const res = await reviewer().send('POST', '/api/alerts/bulk', {
      action: 'resolve',
      note: 'false positives',
      items: [
        { id: ids.highAck, version: 2 },
        { id: ids.medium, version: 1 },
      ],
    });
    expect(res.status).toBe(200);
    expect([row(ids.highAck).state, row(ids.medium).state]).toEqual(['resolved', 'resolved']);
    for (const body of [
      { action: 'escalate', note: 'x', items: [{ id: ids.highOld, version: 1 }] },
      { action: 'acknowledge', note: 'x', items: [] },
      { action: 'acknowledge', items: [{ id: ids.highOld, version: 1 }] },
      { action: 'acknowledge', note: 'x', items: [{ id: ids.highOld }] },
    ]) {
      expect((await reviewer().send('POST', '/api/alerts/bulk', body)).status).toBe(400);
    }
    expect(row(ids.highOld)).toMatchObject({ state: 'open', version: 1 });
  });
});

describe('one transaction per step, and who may act', () => {
  it('when the audit row cannot be written, the step is undone (500)', async () => {
    const { id } = await alertIn('open');
    t.db.exec(`CREATE TRIGGER test_refuse BEFORE INSERT ON landing_phase1_audit_log
      WHEN NEW.action LIKE 'alert.%' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await step(id, 'acknowledge', { note: 'x', version: 1 })).status).toBe(500);
    quiet.mockRestore();
    expect(row(id)).toMatchObject({ state: 'open', version: 1, last_note: null });
    // and the inbox is still consistent: the step can be made once the log works again
    t.db.exec('DROP TRIGGER test_refuse');
    expect((await step(id, 'acknowledge', { note: 'x', version: 1 })).status).toBe(200);
    expect(alertAudit()).toHaveLength(1);
  });

  it('ops read the inbox (account ids masked) but may not act on it; engineers may not read it', async () => {
    t.store.ingest([taskStart('s1', 'task_1')], 'platform-integration');
    const { id } = await alertIn('open');
    const ops = t.as('ops');
    const list = (await (await ops.get('/api/alerts')).json()) as AlertRecord[];
    expect(list.map((a) => a.account_id)).toEqual(['b7e2••••••']);
    const one = (await (await ops.get(`/api/alerts/${id}`)).json()) as AlertRecord;
    expect(one.account_id).toBe('b7e2••••••');
    expect(((await (await reviewer().get(`/api/alerts/${id}`)).json()) as AlertRecord).account_id).toBe(
      TASK_ACCOUNT,
    );
    for (const action of ['acknowledge', 'escalate', 'resolve'])
      expect((await ops.send('POST', `/api/alerts/${id}/${action}`, { note: 'x', version: 1 })).status).toBe(
        403,
      );
    expect(
      (
        await ops.send('POST', '/api/alerts/bulk', {
          action: 'acknowledge',
          note: 'x',
          items: [{ id, version: 1 }],
        })
      ).status,
    ).toBe(403);
    expect(row(id)).toMatchObject({ state: 'open', version: 1 });
    const denied = t.db
      .prepare("SELECT actor, resource, outcome FROM landing_phase1_audit_log WHERE action = 'access.denied'")
      .all();
    expect(denied).toHaveLength(4);
    expect(denied[0]).toEqual({ actor: 'ops', resource: 'alerts', outcome: 'denied' });
    expect((await t.as('engineer').get('/api/alerts')).status).toBe(403);
  });
});

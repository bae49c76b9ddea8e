import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTraffic } from '../../db/demo.ts';
import type { CompletenessFieldRow } from '../../server/completeness/schemas.ts';
import { ingestGenerated } from '../../server/demo.ts';
import { type TestApp, testApp } from './helpers.ts';

const SCRIPT = 'db/verify_phase1_events.sql';
const FIELDS = ['policy_tag', 'action_required', 'escalation_level'];

interface Figures {
  total: number;
  missing: number;
  wrong_type: number;
  out_of_enum: number;
  cross_field: number;
  complete_pct: number;
  valid_pct: number;
}

/** the script's SELECT, run by better-sqlite3 (the shell's dot-commands removed) */
function runWithBetterSqlite(t: TestApp): Map<string, Figures> {
  const sql = readFileSync(SCRIPT, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('.'))
    .join('\n');
  const rows = t.db.prepare(sql).all() as Array<Figures & { event: string; field: string }>;
  return new Map(rows.map(({ event, field, ...f }) => [`${event}|${field}`, f]));
}

/** the script exactly as documented: `sqlite3 <db> < db/verify_phase1_events.sql`, its column output parsed */
function runWithShell(t: TestApp): Map<string, Figures> {
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  const out = execFileSync('sqlite3', [t.path], { input: readFileSync(SCRIPT), encoding: 'utf8' });
  const [header, , ...lines] = out.trim().split('\n');
  const cols = (header ?? '').trim().split(/\s+/);
  const result = new Map<string, Figures>();
  for (const line of lines) {
    const cells = line.trim().split(/\s+/);
    const rec = Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
    result.set(`${rec.event}|${rec.field}`, {
      total: Number(rec.total),
      missing: Number(rec.missing),
      wrong_type: Number(rec.wrong_type),
      out_of_enum: Number(rec.out_of_enum),
      cross_field: Number(rec.cross_field),
      complete_pct: Number(rec.complete_pct),
      valid_pct: Number(rec.valid_pct),
    });
  }
  return result;
}

/** the API's live figures for the same fields, summed over every day */
async function fromApi(t: TestApp): Promise<Map<string, Figures>> {
  const res = await t.list('completeness', { range: [0, 999], filter: { field: FIELDS } });
  expect(res.status).toBe(200);
  const rows = (await res.json()) as CompletenessFieldRow[];
  const sums = new Map<string, Figures & { pii: number }>();
  for (const r of rows) {
    const key = `${r.event}|${r.field}`;
    const s = sums.get(key) ?? {
      total: 0,
      missing: 0,
      wrong_type: 0,
      out_of_enum: 0,
      cross_field: 0,
      pii: 0,
      complete_pct: 0,
      valid_pct: 0,
    };
    for (const k of ['total', 'missing', 'wrong_type', 'out_of_enum', 'cross_field', 'pii'] as const)
      s[k] += r[k];
    sums.set(key, s);
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return new Map(
    [...sums].map(([k, { pii, ...s }]) => {
      expect(pii, `${k}: enum fields count PII stand-ins as out_of_enum`).toBe(0);
      const bad = s.missing + s.wrong_type + s.out_of_enum + s.cross_field;
      return [
        k,
        {
          ...s,
          complete_pct: round2((100 * (s.total - s.missing)) / s.total),
          valid_pct: round2((100 * (s.total - bad)) / s.total),
        },
      ];
    }),
  );
}

describe('db/verify_phase1_events.sql', () => {
  let t: TestApp;
  afterEach(() => t.cleanup());

  it('reports exactly the live completeness figures on a generated stream with bad events', async () => {
    t = testApp();
    const from = Date.parse('2026-11-10T00:00:00Z');
    // C1 deprecated mid-stream (before anything is ingested, as an approved deprecation would be): events
    // dated before still validate, later ones are out_of_enum — in the counters and the script alike
    t.db
      .prepare(
        "UPDATE landing_phase1_enum_values SET deprecated_at = '2026-11-14T00:00:00.000Z' WHERE enum_name = 'policy_tag' AND code = 'C1'",
      )
      .run();
    ingestGenerated(
      t.store,
      generateTraffic({
        seed: 7,
        from,
        to: from + 7 * 86_400_000,
        journeys: 3000,
        badShare: 0.3,
        duplicateShare: 0.05,
      }),
    );
    // hand-made cases on the checked fields: blank, wrong type, phone number, deprecated C1 after/before, D3 rule
    const alert = (id: string, props: Record<string, unknown>, at = '2026-11-15T08:00:00+08:00') => ({
      event: 'risk_alert',
      event_id: id,
      occurred_at: at,
      properties: {
        alert_id: id,
        task_id: 't1',
        risk_level: 'high',
        policy_tag: 'D3',
        action_required: 'escalate_review',
        escalation_level: 'compliance_committee',
        ...props,
      },
    });
    const res = await t.post(
      '/api/events',
      [
        alert('a1', { policy_tag: '  ' }),
        alert('a2', { action_required: 3 }),
        alert('a3', { escalation_level: '13800138000' }),
        alert('a4', { escalation_level: 'ops_review' }),
        alert('a5', { policy_tag: 'C1', escalation_level: 'none' }),
        alert('a6', { policy_tag: 'C1', escalation_level: 'none' }, '2026-11-12T08:00:00+08:00'),
        alert('a7', { policy_tag: ['D3'] }),
        alert('a8', { escalation_level: null }),
      ],
      'test-key-platform-integration',
    );
    expect(res.status).toBe(200);

    const api = await fromApi(t);
    const script = runWithBetterSqlite(t);
    expect(script.size).toBe(9); // 5 events carry policy_tag, 3 action_required, 1 escalation_level
    expect(script).toEqual(api);
    const risk = script.get('risk_alert|escalation_level');
    expect(risk?.cross_field).toBeGreaterThanOrEqual(1);
    expect(script.get('risk_alert|policy_tag')?.out_of_enum).toBeGreaterThanOrEqual(1);
    expect(
      [...script.values()].reduce((n, f) => n + f.missing + f.wrong_type + f.out_of_enum, 0),
    ).toBeGreaterThan(20);

    if (existsSync('/usr/bin/sqlite3') || process.env.CI) {
      expect(runWithShell(t)).toEqual(api);
    }
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTraffic } from '../../db/demo.ts';
import { MASK } from '../../server/auth/masking.ts';
import { ingestGenerated } from '../../server/demo.ts';
import type { StoredEvent } from '../../server/events/schemas.ts';
import { runExportCli } from '../../server/exports/cli.ts';
import { EXPORT_PAGE_SIZE, eventExport } from '../../server/exports/events.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import { KEYS, landingView, type TestApp, testApp } from './helpers.ts';

/**
 * GET /api/exports/events?day=… and `npm run export`: the day's stored events as NDJSON, equal to what the
 * events list shows the same reader, streamed without holding the day in memory.
 */

const ROOT = join(import.meta.dirname, '../..');
const SEED = 11;
/** four UTC+8 days: 2026-11-22 … 2026-11-25 */
const DAYS = ['2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'];

function ingestStream(t: TestApp) {
  ingestGenerated(
    t.store,
    generateTraffic({
      seed: SEED,
      from: Date.parse('2026-11-21T16:00:00.000Z'),
      to: Date.parse('2026-11-25T15:59:59.000Z'),
      journeys: 400,
      badShare: 0.2,
      duplicateShare: 0.05,
      unplannedShare: 0.02,
    }),
  );
}

type Session = ReturnType<TestApp['as']>;

async function exportOf(s: Session, day: string) {
  const res = await s.get(`/api/exports/events?day=${day}`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  if (text !== '') expect(text.endsWith('\n')).toBe(true);
  return { res, bytes, text, events: lines.map((l) => JSON.parse(l) as StoredEvent) };
}

/** every event of the day as GET /api/events pages through it (oldest first) */
async function listDay(s: Session, day: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let from = 0; ; from += 1000) {
    const res = await s.list('events', { filter: { day }, sort: ['id', 'ASC'], range: [from, from + 999] });
    expect(res.status).toBe(200);
    const page = (await res.json()) as StoredEvent[];
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

let t: TestApp;
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

describe('GET /api/exports/events', () => {
  beforeEach(() => {
    t = testApp();
    ingestStream(t);
  });

  it('streams each UTC+8 day as NDJSON: the events and violations GET /api/events shows for that day', async () => {
    const analyst = t.as('data_analyst');
    let exported = 0;
    for (const day of DAYS) {
      const { res, events } = await exportOf(analyst, day);
      expect(res.headers.get('content-type')).toBe('application/x-ndjson');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="landing_phase1/dt=${day}/part-00000.ndjson"`,
      );
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(events.length).toBeGreaterThan(100);
      expect(events).toEqual(await listDay(analyst, day));
      expect(events.every((e) => e.day === day)).toBe(true);
      // invalid and unplanned events are exported with their violations, never dropped
      expect(events.some((e) => e.violations.length > 0 && !e.valid)).toBe(true);
      expect(events.some((e) => !e.planned)).toBe(true);
      exported += events.length;
    }
    // the days partition the store
    expect(exported).toBe(t.db.prepare('SELECT count(*) FROM landing_phase1_events').pluck().get());
  });

  it('answers an empty body for a day with no events', async () => {
    const { events, text } = await exportOf(t.as('data_analyst'), '2026-01-01');
    expect(text).toBe('');
    expect(events).toEqual([]);
  });

  it('audits who exported which day and how many events', async () => {
    const day = DAYS[1]!;
    const { events } = await exportOf(t.as('ops'), day);
    const row = t.db
      .prepare(
        "SELECT * FROM landing_phase1_audit_log WHERE action = 'events.export' ORDER BY id DESC LIMIT 1",
      )
      .get() as { actor: string; resource: string; resource_id: string; outcome: string; after: string };
    expect(row).toMatchObject({ actor: 'ops', resource: 'events', resource_id: day, outcome: 'success' });
    expect(JSON.parse(row.after)).toEqual({
      day,
      file: `landing_phase1/dt=${day}/part-00000.ndjson`,
      rows: events.length,
      bytes: expect.any(Number),
      masked: true,
      team: null,
    });
  });

  it('audits an export the client abandons, with the events sent so far', async () => {
    const day = DAYS[2]!;
    const res = await t.as('data_analyst').get(`/api/exports/events?day=${day}`);
    // nothing is read ahead of the client: a page is produced only when it asks for one
    await new Promise((r) => setTimeout(r, 20));
    await res.body!.cancel();
    const row = t.db
      .prepare(
        "SELECT * FROM landing_phase1_audit_log WHERE action = 'events.export' ORDER BY id DESC LIMIT 1",
      )
      .get() as { outcome: string; reason: string; after: string };
    expect(row.outcome).toBe('failure');
    expect(row.reason).toBe('the client stopped reading after 0 events');
    expect(JSON.parse(row.after)).toMatchObject({ day, rows: 0 });
  });

  it('round-trips: the exported lines ingested into a fresh database give the same events', async () => {
    const day = DAYS[2]!;
    const { events: original } = await exportOf(t.as('data_analyst'), day);

    const fresh = testApp();
    try {
      createWriteKey(fresh.db, {
        source: 'operations-compliance',
        label: 'test',
        createdAt: fresh.now.toISOString(),
        key: 'test-key-operations-compliance',
      });
      const keyOf: Record<string, string> = {
        'frontend-build': KEYS.frontend,
        'platform-integration': KEYS.platform,
        'operations-compliance': 'test-key-operations-compliance',
      };
      // the lines themselves are the request bodies (the envelope ignores the stored-event fields)
      const bySource = new Map<string, StoredEvent[]>();
      for (const e of original) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
      for (const [source, events] of bySource) {
        for (let i = 0; i < events.length; i += 500) {
          const res = await fresh.post('/api/events', events.slice(i, i + 500), keyOf[source]!);
          expect(res.status).toBe(200);
          expect(((await res.json()) as { accepted: number }).accepted).toBe(events.slice(i, i + 500).length);
        }
      }
      const { events: again } = await exportOf(fresh.as('data_analyst'), day);
      expect(again).toHaveLength(original.length);
      const byEventId = new Map(again.map((e) => [e.event_id, e]));
      const withoutPii = (vs: StoredEvent['violations']) => vs.filter((v) => v.rule !== 'pii');
      let piiEvents = 0;
      for (const e of original) {
        const back = byEventId.get(e.event_id)!;
        // stored ids and receipt times are the new database's own
        const { id: _a, received_at: _b, violations, valid, violation_count, ...rest } = e;
        expect(back).toMatchObject(rest);
        if (violations.some((v) => v.rule === 'pii')) {
          // the export holds the keyed stand-in, never the phone number or WeChat id, and a stand-in is a
          // well-formed hash: the events are the same, but the pii finding itself cannot travel with them
          piiEvents++;
          expect(back.violations).toEqual(withoutPii(violations));
        } else {
          expect({
            violations: back.violations,
            valid: back.valid,
            violation_count: back.violation_count,
          }).toEqual({ violations, valid, violation_count });
        }
      }
      expect(piiEvents).toBeGreaterThan(0);
      expect(original.length - piiEvents).toBeGreaterThan(100);
    } finally {
      fresh.hub.close();
      fresh.cleanup();
    }
  });

  it('masks sensitive fields for roles that see them masked, as the events list does', async () => {
    const day = DAYS[1]!;
    const clear = (await exportOf(t.as('data_analyst'), day)).events;
    for (const role of ['ops', 'admin'] as const) {
      const masked = (await exportOf(t.as(role), day)).events;
      expect(masked).toEqual(await listDay(t.as(role), day));
      expect(masked).toHaveLength(clear.length);
      const views = masked.filter(
        (e) => e.event === 'landing_view' && typeof e.properties.user_id === 'string',
      );
      expect(views.length).toBeGreaterThan(10);
      for (const e of views) expect(e.properties.user_id).toMatch(new RegExp(`^.{0,4}${MASK}$`));
      const text = masked.map((e) => JSON.stringify(e)).join('\n');
      for (const e of clear) {
        for (const name of ['user_id', 'account_id', 'approver_id']) {
          const v = e.properties[name];
          if (typeof v === 'string' && v.length > 4) expect(text).not.toContain(v);
        }
      }
    }
  });

  it("gives an engineer their team's events only, masked, as their events list does", async () => {
    const day = DAYS[1]!;
    const engineer = t.as('engineer');
    const { events, res } = await exportOf(engineer, day);
    expect(res.status).toBe(200);
    expect(events).toEqual(await listDay(engineer, day));
    const all = (await exportOf(t.as('data_analyst'), day)).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(all.length);
    const audit = t.db
      .prepare(
        "SELECT after FROM landing_phase1_audit_log WHERE action = 'events.export' AND actor = 'engineer'",
      )
      .pluck()
      .get() as string;
    expect(JSON.parse(audit)).toMatchObject({ masked: true, team: 'frontend-build', rows: events.length });
  });

  it.each([
    ['no day', ''],
    ['an empty day', '?day='],
    ['no such month', '?day=2026-13-01'],
    ['no such date', '?day=2026-02-30'],
    ['no dashes', '?day=20261124'],
    ['a date-time', '?day=2026-11-24T00:00:00Z'],
  ])('400 naming day for %s', async (_name, query) => {
    const res = await t.as('data_analyst').get(`/api/exports/events${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(Object.keys(body.errors ?? {})).toEqual(['day']);
    expect(body.message).toMatch(/^invalid export query: day /);
  });

  it('401 without a session, 403 for a user with no role', async () => {
    const anonymous = await t.app.request('/api/exports/events?day=2026-11-24');
    expect(anonymous.status).toBe(401);
    // every role reads events (the export shows no more than the list): only a user with no role is refused
    const nobody = await t.asUser('nobody', []).get('/api/exports/events?day=2026-11-24');
    expect(nobody.status).toBe(403);
  });

  it('is a consistent cut: events stored while a day streams are not in that export', async () => {
    const day = DAYS[3]!;
    const before = (await exportOf(t.as('data_analyst'), day)).events.length;
    const res = await t.as('data_analyst').get(`/api/exports/events?day=${day}`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    t.store.ingest([landingView('late-arrival', {}, `${day}T23:00:00+08:00`)], 'frontend-build');
    let text = Buffer.from(first.value!).toString('utf8');
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      text += Buffer.from(r.value).toString('utf8');
    }
    expect(text.split('\n').filter(Boolean)).toHaveLength(before);
    expect(text).not.toContain('late-arrival');
    expect((await exportOf(t.as('data_analyst'), day)).text).toContain('"event_id":"late-arrival"');
  });

  it('pages by id without gaps or repeats whatever the page size', () => {
    const day = DAYS[0]!;
    const text = (size: number) =>
      [...eventExport(t.db, day, { pageSize: size })].map((c) => c.text).join('');
    const whole = text(EXPORT_PAGE_SIZE);
    expect(whole.split('\n').filter(Boolean).length).toBeGreaterThan(EXPORT_PAGE_SIZE / 10);
    expect(text(7)).toBe(whole);
    expect(text(1)).toBe(whole);
  });
});

describe('npm run export', () => {
  let out: string;
  beforeEach(() => {
    t = testApp();
    ingestStream(t);
    out = mkdtempSync(join(tmpdir(), 'landing-console-export-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const io = () => {
    const lines = { out: [] as string[], err: [] as string[] };
    return { lines, io: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
  };

  it('writes DIR/landing_phase1/dt=DAY/part-00000.ndjson with the bytes the route sends an unmasked reader', async () => {
    const day = DAYS[1]!;
    const { bytes } = await exportOf(t.as('data_analyst'), day);
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'export', '--', '--day', day, '--out', out, '--db', t.path],
      { cwd: ROOT },
    );
    const file = join(out, 'landing_phase1', `dt=${day}`, 'part-00000.ndjson');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const rows = bytes.toString('utf8').split('\n').filter(Boolean).length;
    expect(stdout.trim()).toBe(`wrote ${rows} events of ${day} to ${file}`);
  });

  it('finds the database as the server does (DATABASE_PATH) and writes an empty file for an empty day', async () => {
    const day = DAYS[2]!;
    const { bytes } = await exportOf(t.as('data_analyst'), day);
    const a = io();
    expect(await runExportCli(['--day', day, '--out', out], { DATABASE_PATH: t.path }, a.io)).toBe(0);
    expect(readFileSync(join(out, 'landing_phase1', `dt=${day}`, 'part-00000.ndjson')).equals(bytes)).toBe(
      true,
    );
    const b = io();
    expect(await runExportCli(['--day', '2026-01-01', '--out', out, '--db', t.path], {}, b.io)).toBe(0);
    expect(readFileSync(join(out, 'landing_phase1', 'dt=2026-01-01', 'part-00000.ndjson'), 'utf8')).toBe('');
    expect(b.lines.out).toEqual([
      `wrote 0 events of 2026-01-01 to ${join(out, 'landing_phase1', 'dt=2026-01-01', 'part-00000.ndjson')}`,
    ]);
  });

  it.each<[string, string[], RegExp]>([
    ['no --day', ['--out', 'x'], /--day is required/],
    ['a bad --day', ['--day', '2026-02-30', '--out', 'x'], /--day "2026-02-30" must be a UTC\+8 date/],
    ['no --out', ['--day', '2026-11-24'], /--out is required/],
    ['an unknown option', ['--day', '2026-11-24', '--out', 'x', '--dya', '1'], /--dya/],
    ['a stray argument', ['--day', '2026-11-24', '--out', 'x', 'extra'], /extra/],
    [
      'a missing --db',
      ['--day', '2026-11-24', '--out', 'x', '--db', '/nonexistent/console.db'],
      /--db: no database file/,
    ],
  ])('exits 2 naming the argument for %s', async (_name, argv, message) => {
    const r = io();
    expect(await runExportCli(argv, {}, r.io)).toBe(2);
    expect(r.lines.err[0]).toMatch(message);
    expect(r.lines.err.at(-1)).toMatch(/^usage: npm run export -- --day YYYY-MM-DD --out DIR/);
  });

  it('names DATABASE_PATH when the database it points at is missing, and the process exits 2', async () => {
    const r = io();
    expect(
      await runExportCli(
        ['--day', '2026-11-24', '--out', out],
        { DATABASE_PATH: join(out, 'none.db') },
        r.io,
      ),
    ).toBe(2);
    expect(r.lines.err[0]).toBe(`export: DATABASE_PATH: no database file at ${join(out, 'none.db')}`);
    const failed = await promisify(execFile)('npm', ['run', '--silent', 'export', '--', '--day', 'soon'], {
      cwd: ROOT,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('--day "soon" must be a UTC+8 date');
  });
});

describe('memory', () => {
  beforeEach(() => {
    t = testApp();
  });

  it('stays flat exporting a large day: the heap holds a page, never the day', async () => {
    const day = '2026-11-24';
    const N = 200_000;
    // straight into the table (the ingest path would take a minute): realistic rows, some with violations
    const insert = t.db.prepare(
      `INSERT INTO landing_phase1_events (event_id, event, day, occurred_at, received_at, source, planned,
         violation_count, properties, violations) VALUES (?, 'landing_view', ?, ?, ?, 'frontend-build', 1, ?, ?, ?)`,
    );
    t.db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const at = new Date(
          Date.parse(`${day}T00:00:00+08:00`) + Math.floor((i * 86_400_000) / N),
        ).toISOString();
        const bad = i % 40 === 0;
        insert.run(
          `big_${i.toString(36)}`,
          day,
          at,
          at,
          bad ? 1 : 0,
          JSON.stringify({
            user_id: `${i.toString(16).padStart(8, '0')}a3f1c2d4e5f60718293a4b5c6d7e`,
            session_id: `s_${(i >> 3).toString(36)}`,
            source_channel: ['search', 'wechat_article', 'douyin_ad'][i % 3],
            ab_bucket: bad ? 'Z9' : i % 2 ? 'A' : 'B',
          }),
          bad ? '[{"field":"ab_bucket","rule":"out_of_enum"}]' : '[]',
        );
      }
    })();

    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    /** what is alive after a full collection: the JS heap and the bytes of ArrayBuffers (the chunks) */
    const heap = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = heap();
    const res = await t.as('data_analyst').get(`/api/exports/events?day=${day}`);
    const reader = res.body!.getReader();
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    let peak = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      bytes += r.value.byteLength;
      for (const b of r.value) if (b === 10) lines++;
      // what the export keeps alive (garbage collected first), with the chunk in hand: at the first page, when
      // an export that read the day up front would hold all of it, and every 10th page after
      if (++chunks === 1 || chunks % 10 === 0) peak = Math.max(peak, heap() - baseline);
    }
    const after = heap() - baseline;
    const MiB = 1024 * 1024;
    console.log(
      `[export memory] ${lines} events, ${(bytes / MiB).toFixed(1)} MiB of NDJSON in ${chunks} chunks; ` +
        `live heap above baseline while streaming: peak ${(peak / MiB).toFixed(1)} MiB, after ${(after / MiB).toFixed(1)} MiB`,
    );
    expect(lines).toBe(N);
    expect(bytes).toBeGreaterThan(50 * MiB);
    // One page is ~1000 rows: their strings, the parsed events and one ~0.4 MiB chunk, a few MiB at most. Holding
    // the day would keep at least its 50+ MiB of text alive; 16 MiB is far under that and well above a page.
    expect(peak).toBeLessThan(16 * MiB);
    expect(after).toBeLessThan(16 * MiB);
  });
});

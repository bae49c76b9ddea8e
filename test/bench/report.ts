import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import Database from 'better-sqlite3';

/** one measured figure: what was measured, its value as shown, and how it compares with its target */
export interface Figure {
  name: string;
  measured: string;
  /** e.g. "≥ 50 %"; absent for figures reported for information */
  target?: string;
  met?: boolean;
  note?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
  betterSqlite3: string;
  sqlite: string;
}

export function machineInfo(): Machine {
  const require = createRequire(import.meta.url);
  const { version } = require('better-sqlite3/package.json') as { version: string };
  const db = new Database(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${platform()} ${release()}`,
    betterSqlite3: version,
    sqlite,
  };
}

/** what the figures depend on: the server, the schema and the dependencies (not this harness) */
const MEASURED_PATHS = ['server', 'db', 'package.json', 'package-lock.json'];

/** the commit measured, and whether the measured code differs from it; undefined outside git */
export function codeVersion(repoRoot: string): string | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', ...MEASURED_PATHS) !== '';
    return `${commit}${dirty ? ' with uncommitted changes to the measured code' : ''}`;
  } catch {
    return undefined;
  }
}

/** compares a value with a lower or upper bound, for a figure's target and pass/miss word */
export function target(
  value: number,
  op: '>=' | '<=',
  bound: number,
  unit: string,
): { target: string; met: boolean } {
  const met = Number.isFinite(value) && (op === '>=' ? value >= bound : value <= bound);
  return { target: `${op === '>=' ? '≥' : '≤'} ${bound.toLocaleString('en-US')} ${unit}`, met };
}

const verdict = (f: Figure) => (f.met === undefined ? '—' : f.met ? 'pass' : 'miss');

/** collects figures and prints each one as soon as it is measured */
export class Reporter {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];

  add(f: Figure): void {
    this.figures.push(f);
    const t = f.target ? `  (target ${f.target}: ${verdict(f)})` : '';
    console.log(`  ▸ ${f.name}: ${f.measured}${t}${f.note ? ` — ${f.note}` : ''}`);
  }

  /** a remark printed now and listed under the table */
  note(text: string): void {
    this.notes.push(text);
    console.log(`  ! ${text}`);
  }
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderSection(opts: {
  date: string;
  code: string | undefined;
  machine: Machine;
  parameters: string[];
  figures: readonly Figure[];
  notes: readonly string[];
  durationMs: number;
}): string {
  const m = opts.machine;
  const rows = opts.figures.map(
    (f) =>
      `| ${cell(f.name)} | ${cell(f.measured)} | ${f.target ?? '—'} | ${verdict(f)} | ${cell(f.note ?? '')} |`,
  );
  const missed = opts.figures.filter((f) => f.met === false).length;
  return [
    `## Latest run: ${opts.date}`,
    '',
    ...(opts.code ? [`- Code: ${opts.code}`] : []),
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} RAM, ${m.os}`,
    `- Runtime: Node ${m.node}, better-sqlite3 ${m.betterSqlite3}, SQLite ${m.sqlite}`,
    ...opts.parameters.map((p) => `- ${p}`),
    `- Run time: ${(opts.durationMs / 60_000).toFixed(1)} min; ${missed === 0 ? 'every target met' : `${missed} target${missed === 1 ? '' : 's'} missed`}`,
    '',
    '| Figure | Measured | Target | Result | Notes |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...(opts.notes.length ? ['', ...opts.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

const HEADER = `# Benchmarks

Measured by \`npm run bench\` (\`test/bench/run.ts\`). It prints each figure as it is measured, then replaces the
section between the \`bench:start\` and \`bench:end\` markers below with the latest run. Missing a target is
reported (\`miss\`), never a failure: the command exits non-zero only if the benchmark itself breaks.

\`\`\`sh
npm run bench                              # read latency at 1 M and 10 M stored events (the 10 M fill takes minutes)
BENCH_SIZES=1000000 npm run bench          # 1 M only
\`\`\`

Every database is a fresh one in a temporary directory (\`os.tmpdir()\`), opened with \`openDatabase\` (WAL,
\`synchronous = FULL\`), and removed afterwards. Traffic comes from \`generateTraffic\` (deterministic seeds),
so it carries the generator's share of invalid, duplicate and unplanned events.

## What each figure means

| Figure | How it is measured | Target |
| --- | --- | --- |
| HTTP ingest throughput | The real server (\`serve\` from \`@hono/node-server\`, port 0) over a temp database; 200 k generated events POSTed to \`/api/events\` in per-source batches of 500 (one write key per source, bodies serialised before the clock starts), 2 requests in flight, full validation. Events per second of wall time, duplicates included. The client runs in a worker thread (\`test/bench/http-client.mjs\`), so building requests and reading answers is not charged to the server's thread, as with a real, separate client. Measured in 3 rounds alternating with the raw insert below, each on fresh databases; the median is reported. | — |
| Raw SQLite insert rate | The ceiling: the same rows (properties and violations pre-serialised exactly as the server stores them, computed outside the timed loop) inserted with the server's prepared \`INSERT\` into \`landing_phase1_events\` of a fresh database, 500 rows per transaction. No validation, no violation index, no counters. | — |
| Ingest / raw | HTTP ingest throughput as a share of the raw insert rate (median of the per-round ratios). | ≥ 50 % |
| Event → stream latency | With the server above running, the SSE stream \`/api/completeness/stream\` is read with \`fetch\`; one event is POSTed at a time and the clock stops when a \`completeness\` message whose \`events\` hold that \`day\\|event\` with the new total is parsed. Samples are 1.2 s apart, so the once-a-second throttle (\`streamIntervalMs\`) never delays them: this is POST → validate → commit → hub → SSE delivery. | p95 ≤ 1000 ms |
| Stream latency under steady traffic | The same, with an event every 250 ms: pushes are coalesced to one a second, so this shows the throttle's cost. For information. | — |
| Fill rate | Each size is filled through \`createApp(…).store.ingest\` (the real path, counters included) in batches of 1 000, from \`generateTraffic\` chunks of ~20 k events spread over ~90 days; the time includes generating them (about a tenth). | — |
| Completeness reads | \`GET /api/completeness-events\` (7-day filter, range [0,199]) and \`GET /api/completeness\` (day × event × field, 7-day filter, range [0,999]) through \`app.request\` (no network). | p95 ≤ 20 ms |
| Event list reads | \`GET /api/events\`: first page, deep page (the last 1 000th row), and \`filter={"event":"landing_view"}\` first page and at offset 100 000, through \`app.request\`. | p95 ≤ 50 ms at 10 M |

Percentiles are nearest-rank over the samples (200 per read query after 10 warm-up requests, fewer if a query
is so slow that 200 would take more than 30 s; the sample count is shown).
`;

/** writes the run into BENCHMARKS.md between the markers, creating the file with its header when missing */
export function writeBenchmarksMd(path: string, section: string): void {
  const block = `${START}\n${section}\n${END}`;
  if (!existsSync(path)) {
    writeFileSync(path, `${HEADER}\n${block}\n`);
    return;
  }
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  const next =
    start >= 0 && end >= 0
      ? `${text.slice(0, start)}${block}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

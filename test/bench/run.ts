/**
 * `npm run bench`: ingest throughput against its SQLite ceiling, event → live-stream latency and read latency
 * at 1 M / 10 M stored events. Prints each figure as it is measured and records the run in BENCHMARKS.md.
 * Sizes: BENCH_SIZES="1000000,10000000" (the default). A missed target is reported, never an exit code.
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedEvent } from '../../db/demo.ts';
import { ingestTraffic, measureHttpIngest, measureRawInsert } from './ingest.ts';
import { measureReads } from './reads.ts';
import { codeVersion, machineInfo, Reporter, renderSection, target, writeBenchmarksMd } from './report.ts';
import { type RunningServer, startServer } from './server.ts';
import { count, int, ms, percentile, seconds, summarize } from './stats.ts';
import { measureStreamLatency } from './stream.ts';
import { withTempDir } from './util.ts';

const INGEST_EVENTS = 200_000;
const INGEST_BATCH = 500;
const IN_FLIGHT = 2;
/** ingest and raw are measured in alternating rounds and reported as medians: a shared machine is noisy */
const INGEST_ROUNDS = 3;
const RATIO_TARGET_PCT = 50;
const STREAM_SAMPLES = 30;
const STREAM_SPACING_MS = 1_200;
const STEADY_SAMPLES = 20;
const STEADY_SPACING_MS = 250;
const STREAM_P95_MS = 1_000;

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BENCHMARKS_MD = join(REPO_ROOT, 'BENCHMARKS.md');

function parseSizes(raw: string | undefined): number[] {
  const sizes = (raw ?? '1000000,10000000')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const bad = sizes.filter((n) => !Number.isSafeInteger(n) || n < 1_000);
  if (bad.length)
    throw new Error(`BENCH_SIZES must list whole numbers of at least 1000 (got ${bad.join(', ')})`);
  return sizes;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

interface Round {
  eventsPerSec: number;
  rowsPerSec: number;
  ratio: number;
}

/** one round of [1] and [2], each on a fresh database; `then` gets the figures while the round's server is up */
async function ingestRound(
  events: readonly GeneratedEvent[],
  n: number,
  then: (server: RunningServer, round: Round) => Promise<void>,
): Promise<void> {
  return withTempDir('ingest', async (dir) => {
    const server = await startServer(dir);
    try {
      const http = await measureHttpIngest(server, events, { batchSize: INGEST_BATCH, inFlight: IN_FLIGHT });
      console.log(
        `  round ${n}: HTTP ingest ${int(http.eventsPerSec)} events/s (${http.requests} requests in ${seconds(http.elapsedMs)}; ${int(http.stored)} stored, ${int(http.duplicates)} duplicates)`,
      );
      const raw = await withTempDir('raw', async (rawDir) => measureRawInsert(rawDir, events, INGEST_BATCH));
      const ratio = (100 * http.eventsPerSec) / raw.rowsPerSec;
      console.log(
        `  round ${n}: raw insert ${int(raw.rowsPerSec)} rows/s (${int(raw.rows)} rows in ${seconds(raw.elapsedMs)}); ingest/raw ${ratio.toFixed(1)} %`,
      );
      await then(server, { eventsPerSec: http.eventsPerSec, rowsPerSec: raw.rowsPerSec, ratio });
    } finally {
      await server.close();
    }
  });
}

async function streamLatency(server: RunningServer, reporter: Reporter): Promise<void> {
  console.log(
    `\n[3] Event → stream latency: ${STREAM_SAMPLES} events ${STREAM_SPACING_MS} ms apart, then ${STEADY_SAMPLES} every ${STEADY_SPACING_MS} ms`,
  );
  const spaced = await measureStreamLatency(server, {
    samples: STREAM_SAMPLES,
    spacingMs: STREAM_SPACING_MS,
    label: 'spaced',
  });
  const s = summarize(spaced.latencies);
  reporter.add({
    name: `Event → stream latency (${STREAM_SAMPLES} single events ${STREAM_SPACING_MS / 1000} s apart, POST sent → SSE message parsed)`,
    measured: `p50 ${ms(s.p50)} · p95 ${ms(s.p95)} · max ${ms(s.max)}`,
    // a sample that never arrived counts as a miss
    ...target(spaced.timeouts ? Number.POSITIVE_INFINITY : s.p95, '<=', STREAM_P95_MS, 'ms p95'),
    note: spaced.timeouts
      ? `${spaced.timeouts} of ${STREAM_SAMPLES} never arrived within 5 s`
      : 'each event is the first change after a quiet spell, so the hub pushes it at once',
  });
  const steady = await measureStreamLatency(server, {
    samples: STEADY_SAMPLES,
    spacingMs: STEADY_SPACING_MS,
    label: 'steady',
  });
  const st = summarize(steady.latencies);
  reporter.add({
    name: `Stream latency under steady traffic (an event every ${STEADY_SPACING_MS} ms)`,
    measured: `p50 ${ms(st.p50)} · p95 ${ms(st.p95)} · max ${ms(st.max)}`,
    note: `${steady.timeouts ? `${steady.timeouts} never arrived; ` : ''}pushes are coalesced to one a second (streamIntervalMs 1000), so up to ~1 s is by design; for information`,
  });
}

function reportIngest(rounds: readonly Round[], events: number, reporter: Reporter): void {
  const median = (pick: (r: Round) => number) => percentile(rounds.map(pick), 50);
  const list = (pick: (r: Round) => number, digits = 0) =>
    rounds.map((r) => (digits ? pick(r).toFixed(digits) : int(pick(r)))).join(', ');
  const ratio = median((r) => r.ratio);
  reporter.add({
    name: `HTTP ingest throughput (${count(events)} events, batches of ${INGEST_BATCH}, ${IN_FLIGHT} in flight)`,
    measured: `${int(median((r) => r.eventsPerSec))} events/s`,
    note: `median of ${rounds.length} rounds: ${list((r) => r.eventsPerSec)}`,
  });
  reporter.add({
    name: `Raw SQLite insert rate (the same rows, ${INGEST_BATCH} per transaction)`,
    measured: `${int(median((r) => r.rowsPerSec))} rows/s`,
    note: `median of ${rounds.length} rounds: ${list((r) => r.rowsPerSec)}`,
  });
  reporter.add({
    name: 'Ingest / raw',
    measured: `${ratio.toFixed(1)} %`,
    ...target(ratio, '>=', RATIO_TARGET_PCT, '%'),
    note: `median of the rounds' ratios: ${list((r) => r.ratio, 1)} %`,
  });
}

async function main() {
  const sizes = parseSizes(process.env.BENCH_SIZES);
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = machineInfo();
  const code = codeVersion(REPO_ROOT);
  const loadAtStart = load();
  const reporter = new Reporter();
  console.log(`Landing Console benchmarks, ${startedAt.toISOString()}${code ? `, code ${code}` : ''}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.os}`);
  console.log(`Node ${machine.node}, better-sqlite3 ${machine.betterSqlite3}, SQLite ${machine.sqlite}`);
  console.log(`load average ${loadAtStart}; read sizes: ${sizes.map(count).join(', ')}`);

  const events = ingestTraffic(INGEST_EVENTS);
  console.log(
    `\n[1] HTTP ingest: ${int(events.length)} events POSTed to /api/events in batches of ${INGEST_BATCH}, ${IN_FLIGHT} in flight` +
      `\n[2] Raw better-sqlite3 insert of the same rows, ${INGEST_BATCH} per transaction` +
      `\n    ${INGEST_ROUNDS} alternating rounds, each on fresh databases; the figures are medians`,
  );
  const rounds: Round[] = [];
  for (let n = 1; n <= INGEST_ROUNDS; n++) {
    await ingestRound(events, n, async (server, round) => {
      rounds.push(round);
      if (n < INGEST_ROUNDS) return;
      reportIngest(rounds, events.length, reporter);
      // [3] runs on the last round's server
      await streamLatency(server, reporter);
    });
  }

  for (const size of sizes) await measureReads(size, reporter);

  const section = renderSection({
    date: startedAt.toISOString(),
    code,
    machine,
    parameters: [
      `Read sizes: ${sizes.map(count).join(', ')} stored events (BENCH_SIZES)`,
      `Load average (1 / 5 / 15 min) at start: ${loadAtStart}; at end: ${load()} — other work on the machine makes figures noisy`,
    ],
    figures: reporter.figures,
    notes: reporter.notes,
    durationMs: performance.now() - t0,
  });
  writeBenchmarksMd(BENCHMARKS_MD, section);
  const missed = reporter.figures.filter((f) => f.met === false);
  console.log(
    `\nWrote ${BENCHMARKS_MD} (${missed.length ? `${missed.length} target(s) missed` : 'every target met'}).`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

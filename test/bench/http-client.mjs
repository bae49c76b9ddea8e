// The ingest benchmark's HTTP client, run in a worker thread so that building requests and reading answers
// does not share the server's thread: the figure is the server's throughput, as a separate client would see
// it. Plain JavaScript because worker threads do not inherit tsx's loader on Node 20.
import { parentPort, workerData } from 'node:worker_threads';

/** @param {{ url: string, requests: Array<{ key: string, body: string }>, inFlight: number }} job */
async function run({ url, requests, inFlight }) {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++];
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${r.key}`, 'Content-Type': 'application/json' },
        body: r.body,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`POST /api/events answered ${res.status}: ${text.slice(0, 300)}`);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { elapsedMs: performance.now() - t0 };
}

run(workerData).then(
  (result) => parentPort?.postMessage(result),
  (e) => parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) }),
);

import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type DB, openDatabase } from '../../db/open.ts';
import { type ConsoleApp, createApp } from '../../server/app.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import { analystCookie, BENCH_PII_KEY } from './util.ts';

/** the generator's sources; each gets its own write key, as each team's integration would */
export const SOURCES = ['frontend-build', 'platform-integration', 'operations-compliance'] as const;

export interface RunningServer {
  url: string;
  db: DB;
  console: ConsoleApp;
  /** write key of each source */
  keys: Map<string, string>;
  /** a data analyst's session cookie, for the console's routes */
  cookie: string;
  close(): Promise<void>;
}

/** the real server over a new database in `dir`, listening on a free port of 127.0.0.1 */
export async function startServer(dir: string): Promise<RunningServer> {
  const db = openDatabase(join(dir, 'console.db'));
  const consoleApp = createApp({ db, piiKey: BENCH_PII_KEY });
  const now = new Date().toISOString();
  const keys = new Map(
    SOURCES.map(
      (s) => [s, createWriteKey(db, { source: s, label: `bench ${s}`, createdAt: now }).key] as const,
    ),
  );
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const s = serve({ fetch: consoleApp.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
    },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    cookie: analystCookie(db, consoleApp.sessions),
    console: consoleApp,
    keys,
    close: async () => {
      consoleApp.hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      db.close();
    },
  };
}

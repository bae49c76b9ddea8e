import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { DEMO_WRITE_KEYS } from '../db/demo.ts';
import { openDatabase } from '../db/open.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DEMO_SERVICE_TOKEN, isDemoSeeded, seedDemo, seedUsers, startSimulator } from './demo.ts';
import { DEFAULT_ESTIMATE_POLICY } from './ledger/estimate.ts';
import { DEMO_USERS } from './users/demo-users.ts';
import { countUsers } from './users/store.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  if (config.env === 'production' && isDemoSeeded(db)) {
    throw new ConfigError(
      `refusing to start in production: ${config.databasePath} holds demo data and demo write keys`,
    );
  }
  const webRoot = join(root, 'dist', 'web');
  // the demo seed dates the reviewers' past decisions when they were made; once serving, the clock is the clock
  let seedTime: Date | undefined;
  const { app, hub, store, decide, ledger, stepAlert, governance } = createApp({
    db,
    clock: () => seedTime ?? new Date(),
    piiKey: config.piiKey,
    webRoot: existsSync(join(webRoot, 'index.html')) ? webRoot : undefined,
    sessions: { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs },
    secureCookies: config.secureCookies,
    publicOrigin: config.publicOrigin,
    sla: config.sla,
    tasks: { staleMinutes: config.taskStaleMinutes },
    ledger: { approvalLimit: config.rollbackApprovalLimit },
    estimate: {
      minSamples: config.estimate.minSamples,
      windowDays: config.estimate.windowDays,
      rates: config.estimate.rates ?? DEFAULT_ESTIMATE_POLICY.rates,
    },
  });
  if (config.demo) {
    if (await seedUsers(db, DEMO_USERS, config.demoPassword, new Date()))
      console.log(`demo: created ${DEMO_USERS.length} users`);
    const seeded = seedDemo(db, store, decide, new Date(), {
      ledger,
      stepAlert,
      governance,
      backdate: (at) => {
        seedTime = at;
      },
    });
    if (seeded)
      console.log(
        `demo: seeded ${seeded.events} events of synthetic traffic, ${seeded.decisions} licence decisions, ${seeded.rollbacks} credit rollbacks, ${seeded.alertSteps} alert steps and ${seeded.enumProposals} enum proposals`,
      );
  } else if (countUsers(db) === 0) {
    if (!config.firstAdmin) {
      throw new ConfigError(
        'no user exists yet: set CONSOLE_ADMIN_USERNAME and CONSOLE_ADMIN_PASSWORD for the first admin',
      );
    }
    const { username, password } = config.firstAdmin;
    await seedUsers(
      db,
      [{ username, display_name: username, roles: ['admin'], team: null }],
      password,
      new Date(),
    );
    console.log(`created the first admin, ${username}`);
  }
  const stopSimulator = config.simulator ? startSimulator(store, () => new Date()) : () => {};

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
    console.log(`Landing Console listening on ${url}`);
    if (config.demo) {
      console.log(
        `demo sign-ins (password ${config.demoPassword === 'demo-password' ? 'demo-password' : 'from CONSOLE_DEMO_PASSWORD'}):`,
      );
      for (const u of DEMO_USERS)
        console.log(`  ${u.username.padEnd(10)} ${u.roles.join(', ')}${u.team ? ` (${u.team})` : ''}`);
      console.log('demo write keys (Authorization: Bearer <key>):');
      for (const [source, key] of Object.entries(DEMO_WRITE_KEYS))
        console.log(`  ${source.padEnd(24)} ${key}`);
      console.log(`demo service token (GET /api/licenses/check): ${DEMO_SERVICE_TOKEN}`);
    }
    if (config.simulator) console.log('live simulator: on (CONSOLE_SIMULATOR=0 turns it off)');
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stopSimulator();
    hub.close();
    server.close(() => {
      db.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
});

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { DEMO_WRITE_KEYS } from '../db/demo.ts';
import { openDatabase } from '../db/open.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { isDemoSeeded, seedDemo, startSimulator } from './demo.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function main() {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  if (config.env === 'production' && isDemoSeeded(db)) {
    throw new ConfigError(
      `refusing to start in production: ${config.databasePath} holds demo data and demo write keys`,
    );
  }
  const webRoot = join(root, 'dist', 'web');
  const { app, hub, store } = createApp({
    db,
    piiKey: config.piiKey,
    webRoot: existsSync(join(webRoot, 'index.html')) ? webRoot : undefined,
  });
  if (config.demo) {
    const seeded = seedDemo(db, store, new Date());
    if (seeded) console.log(`demo: seeded ${seeded.events} events of synthetic traffic`);
  }
  const stopSimulator = config.simulator ? startSimulator(store, () => new Date()) : () => {};

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
    console.log(`Landing Console listening on ${url}`);
    if (config.demo) {
      console.log('demo write keys (Authorization: Bearer <key>):');
      for (const [source, key] of Object.entries(DEMO_WRITE_KEYS))
        console.log(`  ${source.padEnd(24)} ${key}`);
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

try {
  main();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

// `npm start` builds the SPA only when dist/web is missing or older than the sources it is built from.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const out = 'dist/web/index.html';
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, d) => {
    const p = join(dir, d.name);
    return Math.max(m, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

const sources = Math.max(newest('web'), newest('server'), statSync('vite.config.ts').mtimeMs);
if (!existsSync(out) || statSync(out).mtimeMs < sources) {
  console.log('building the SPA (dist/web)…');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}

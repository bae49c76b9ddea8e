import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** runs `server/main.ts` as `npm start` does, until it exits or prints that it listens (then stops it) */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      // only the variables given here configure the console, whatever the machine's environment holds
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONSOLE_'))),
        HOST: '127.0.0.1',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on/.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('server/main.ts outside demo mode', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const production = () => {
    dir = mkdtempSync(join(tmpdir(), 'landing-console-main-'));
    return {
      NODE_ENV: 'production',
      DATABASE_PATH: join(dir, 'console.db'),
      CONSOLE_DEMO: '0',
      CONSOLE_SIMULATOR: '0',
      CONSOLE_PII_KEY: 'a-real-secret-pii-key-for-tests',
    };
  };

  it('refuses to start with no user and no first admin, naming the variables', async () => {
    const { code, output } = await start(production());
    expect(code).toBe(1);
    expect(output).toMatch(/CONSOLE_ADMIN_USERNAME and CONSOLE_ADMIN_PASSWORD/);
  });

  it('creates the first admin from the environment, and starts', async () => {
    const { output } = await start({
      ...production(),
      CONSOLE_ADMIN_USERNAME: 'root',
      CONSOLE_ADMIN_PASSWORD: 'a-long-admin-password',
    });
    expect(output).toMatch(/created the first admin, root/);
    expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).not.toMatch(/demo/);
  });

  it('refuses production with the default PII key', async () => {
    const { CONSOLE_PII_KEY: _, ...withoutKey } = production();
    const { code, output } = await start(withoutKey);
    expect(code).toBe(1);
    expect(output).toMatch(/CONSOLE_PII_KEY is the default/);
  });
});

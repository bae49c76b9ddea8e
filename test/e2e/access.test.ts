import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * Access control in real Chromium against the real server: two roles sign in, see different menus, and the
 * same stored event shows its hashed user id in clear to the analyst and masked to the engineer.
 */
describe('roles, menus and masking, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let eventPath: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // a frontend-build event the engineer may read, with a known user id
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-frontend-build', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: 'landing_view',
        event_id: `e2e-access-${Date.now()}`,
        occurred_at: new Date().toISOString(),
        properties: { user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90', session_id: 's1', source_channel: 'search', ab_bucket: 'A' },
      }),
    });
    expect(res.status).toBe(200);
    // the newest event is ours (the simulator is off in these tests)
    eventPath = '/#/events?order=DESC&sort=id';
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const menu = (page: import('playwright-core').Page) => page.locator('.RaMenu-open, .RaSidebar-fixed, nav').first();

  it('the analyst sees the audit log and clear ids; the engineer neither', async () => {
    const analyst = await browser.newPage();
    await signIn(analyst, server.url, 'analyst');
    await analyst.getByRole('menuitem', { name: /Audit log/i }).waitFor();
    expect(await menu(analyst).textContent()).not.toMatch(/Users|Write keys/);
    await analyst.goto(`${server.url}${eventPath}`);
    await analyst.getByText(/e2e-access-/).first().click();
    const clear = analyst.locator('[data-testid="property-user_id"]');
    await clear.waitFor();
    expect(await clear.textContent()).toContain('a3f1c2d4e5f60718293a4b5c6d7e8f90');

    const engineer = await browser.newPage();
    await signIn(engineer, server.url, 'engineer');
    await engineer.getByRole('menuitem', { name: /Events/i }).waitFor();
    expect(await menu(engineer).textContent()).not.toMatch(/Audit log|Users|Write keys/);
    await engineer.goto(`${server.url}${eventPath}`);
    await engineer.getByText(/e2e-access-/).first().click();
    const masked = engineer.locator('[data-testid="property-user_id"]');
    await masked.waitFor();
    expect(await masked.textContent()).toContain('a3f1••••••');
    expect(await masked.textContent()).not.toContain('a3f1c2d4e5f60718293a4b5c6d7e8f90');

    // the server decides: the engineer's own session is refused the audit log whatever the SPA shows
    const status = await engineer.evaluate(async () => (await fetch('/api/audit')).status);
    expect(status).toBe(403);
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * Access control in real Chromium against the real server: two roles sign in, see different menus, and the
 * same stored event shows its hashed user id in clear to the analyst and masked to the engineer.
 */
describe('roles, menus and masking, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let eventId: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    eventId = `e2e-access-${Date.now()}`;
    // a frontend-build event the engineer may read, with a known user id
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-frontend-build', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: 'landing_view',
        event_id: eventId,
        occurred_at: new Date().toISOString(),
        properties: {
          user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90',
          session_id: 's1',
          source_channel: 'search',
          ab_bucket: 'A',
        },
      }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** opens the newest events (ours: the simulator is off in these tests) and then ours */
  const openOurEvent = async (page: Page) => {
    await page.locator('[data-testid="menu-events"]').click();
    await page.getByText(eventId).first().click();
    const cell = page.locator('[data-testid="property-user_id"]');
    await cell.waitFor();
    return cell.textContent();
  };

  it('the analyst sees the audit log and clear ids; the engineer neither, and the server agrees', async () => {
    const analyst = await browser.newPage();
    await signIn(analyst, server.url, 'analyst');
    await analyst.locator('[data-testid="menu-audit"]').waitFor();
    expect(await analyst.locator('[data-testid="menu-users"], [data-testid="menu-write-keys"]').count()).toBe(
      0,
    );
    expect(await openOurEvent(analyst)).toContain('a3f1c2d4e5f60718293a4b5c6d7e8f90');

    const engineer = await browser.newPage();
    await signIn(engineer, server.url, 'engineer');
    await engineer.locator('[data-testid="menu-events"]').waitFor();
    expect(await engineer.locator('[data-testid="menu-audit"], [data-testid="menu-users"]').count()).toBe(0);
    const masked = await openOurEvent(engineer);
    expect(masked).toContain('a3f1••••••');
    expect(masked).not.toContain('a3f1c2d4e5f60718293a4b5c6d7e8f90');

    // the server decides: the engineer's own session is refused the audit log whatever the SPA shows
    expect(await engineer.evaluate(async () => (await fetch('/api/audit')).status)).toBe(403);
    expect(await analyst.evaluate(async () => (await fetch('/api/audit')).status)).toBe(200);
  });
});

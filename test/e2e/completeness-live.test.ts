import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * A reviewer's path through the live completeness checks, in real headless Chromium against the real
 * server: open the dashboard, see a bad event sent through the API change its counter without a reload,
 * click through to the offending events and see the broken field highlighted.
 */
describe('live completeness, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const cell = (event: string, counter: string) =>
    page.locator(`[data-testid="completeness-row-${event}"] [data-testid="${counter}"]`);

  it('shows a bad event posted through the API on the dashboard without reloading, and leads to it', async () => {
    await signIn(page, server.url, 'analyst');
    const withViolations = cell('landing_view', 'with_violations');
    await withViolations.waitFor();
    const before = Number(await withViolations.textContent());
    const totalBefore = Number(await cell('landing_view', 'total').textContent());
    expect(before).toBeGreaterThan(0); // the demo traffic has bad landing views
    // a marker that a reload would wipe out
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    const eventId = `e2e-${Date.now()}`;
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-frontend-build', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: 'landing_view',
        event_id: eventId,
        occurred_at: new Date().toISOString(),
        properties: {
          user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90',
          session_id: 's-e2e',
          source_channel: 'search',
          ab_bucket: 'Z',
        },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ violations: unknown[] }> };
    expect(body.results[0]?.violations).toEqual([{ field: 'ab_bucket', rule: 'out_of_enum' }]);

    await expect
      .poll(async () => Number(await withViolations.textContent()), { timeout: 15_000 })
      .toBe(before + 1);
    expect(Number(await cell('landing_view', 'total').textContent())).toBe(totalBefore + 1);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // click through to the offending landing views: ours is the newest
    await page.locator('[data-testid="completeness-row-landing_view"] a').first().click();
    await page.getByText(eventId).first().click();
    const broken = page.locator('[data-testid="property-ab_bucket"]');
    await broken.waitFor();
    expect(await broken.getAttribute('data-violation')).toBe('true');
    expect(await broken.textContent()).toContain('Out of enum');
    expect(await page.locator('[data-testid="property-session_id"]').getAttribute('data-violation')).toBe(
      'false',
    );
  });
});

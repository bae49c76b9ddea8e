import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelMetrics } from '../../server/metrics/schemas.ts';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * An analyst's look at the metrics board, in real Chromium against the real server over the demo data: the
 * board opens from the menu on the last 14 days, the funnel's figures are the API's for that range; the range
 * changes to the last 7 days and the figures follow; a value is read off the chart's tooltip.
 */
describe('metrics board, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    page = await context.newPage();
    await signIn(page, server.url, 'analyst');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** the funnel as the API answers the signed-in analyst for the range the board shows */
  const apiFunnel = async () => {
    const from = await page.locator('input[type="date"]').nth(0).inputValue();
    const to = await page.locator('input[type="date"]').nth(1).inputValue();
    const res = await context.request.get(`${server.url}/api/metrics/funnel?from=${from}&to=${to}`);
    expect(res.status()).toBe(200);
    return { from, to, funnel: (await res.json()) as FunnelMetrics };
  };
  const grouped = (n: number) => n.toLocaleString('en-US');
  const landingViews = (f: FunnelMetrics) => f.steps.find((s) => s.step === 'landing_view')!.events;

  it('opens the board, changes the day range and reads a value off a tooltip', async () => {
    await page.locator('[data-testid="menu-metrics"]').click();
    await page.waitForURL((u) => u.hash === '#/metrics');
    const cell = page.locator('[data-testid="funnel-landing_view-events"]');
    await cell.waitFor();

    const wide = await apiFunnel();
    expect(wide.funnel.days).toHaveLength(14);
    expect(landingViews(wide.funnel)).toBeGreaterThan(0);
    await expect.poll(() => cell.textContent()).toBe(grouped(landingViews(wide.funnel)));

    // the last 7 days: a shorter range, fewer first-screen views, the board follows the API
    await page.locator('[data-testid="metrics-last-7"]').click();
    await expect.poll(async () => (await apiFunnel()).funnel.days.length).toBe(7);
    const narrow = await apiFunnel();
    expect(landingViews(narrow.funnel)).toBeLessThan(landingViews(wide.funnel));
    await expect.poll(() => cell.textContent()).toBe(grouped(landingViews(narrow.funnel)));
    // every chart of the board draws for the new range once scrolled to (each loads its figures when seen)
    for (const id of ['funnel', 'cta-ab', 'hot-templates', 'failures', 'credits', 'license-review']) {
      const card = page.locator(`[data-testid="metric-${id}"]`);
      await card.scrollIntoViewIfNeeded();
      await card.locator('.recharts-surface').first().waitFor();
    }

    // hovering the first bar (landing_view's events) shows its value in the tooltip
    const bar = page.locator('[data-testid="metric-funnel"] .recharts-bar-rectangle').first();
    await bar.scrollIntoViewIfNeeded();
    await bar.hover();
    const tooltip = page.locator('[data-testid="metric-funnel"] .recharts-tooltip-wrapper');
    await expect.poll(() => tooltip.textContent()).toContain(grouped(landingViews(narrow.funnel)));
    expect(await tooltip.textContent()).toContain('First-screen view');
  });
});

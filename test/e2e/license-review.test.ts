import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * A reviewer's day, in real Chromium against the real server: a fresh fast-track application tops the
 * queue; the reviewer rejects it with a reason code; it leaves the pending queue, and the license_rejected
 * event the decision wrote appears in the events list.
 */
describe('licence review, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let licenseId: number;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    // a fast-track application older than any pending demo one, so it leads the queue
    const eventId = `e2e-apply-${Date.now()}`;
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-platform-integration', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: 'license_apply',
        event_id: eventId,
        occurred_at: new Date(Date.now() - 40 * 3600_000).toISOString(),
        properties: {
          template_id: 'tpl_e2e',
          account_id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
          is_fast_track: true,
          persona_tag: 'creator_studio',
          policy_tag: 'B1',
        },
      }),
    });
    expect(res.status).toBe(200);
    await signIn(page, server.url, 'reviewer');
    const found = await page.evaluate(async (tpl) => {
      const r = await fetch(
        `/api/licenses?filter=${encodeURIComponent(JSON.stringify({ template_id: tpl }))}`,
      );
      return ((await r.json()) as Array<{ id: number }>)[0]?.id;
    }, 'tpl_e2e');
    expect(found).toBeTypeOf('number');
    licenseId = found as number;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('rejects an application with a reason code; it leaves the queue and its event is in the stream', async () => {
    await page.locator('[data-testid="menu-licenses"]').click();
    const row = page.locator(`[data-testid="license-row-${licenseId}"]`);
    await row.waitFor();
    // fast track and past its 4-hour SLA: first in the queue, breached
    await expect
      .poll(() => page.locator('[data-testid^="license-row-"]').first().getAttribute('data-testid'))
      .toBe(`license-row-${licenseId}`);
    expect(await row.locator('[data-testid="sla-age"]').getAttribute('data-sla')).toBe('breached');

    await row.click();
    await page.locator('[data-testid="license-reject"]').click();
    const dialog = page.locator('[data-testid="license-reject-dialog"]');
    await dialog.waitFor();
    await page.locator('#decision-reason_code').click();
    await page.locator('li[data-value="copyright_unverified"]').click();
    await page.locator('#decision-note').fill('no proof of ownership for the sample images');
    await page.locator('[data-testid="license-reject-confirm"]').click();
    await page.locator('[data-testid="license-status-rejected"]').first().waitFor();

    // back in the pending queue it is gone
    await page.locator('[data-testid="menu-licenses"]').click();
    await page.locator('[data-testid^="license-row-"]').first().waitFor();
    // (the list refetches after showing what it had: wait for the server's answer)
    await expect.poll(() => page.locator(`[data-testid="license-row-${licenseId}"]`).count()).toBe(0);

    // the decision's license_rejected event, written by the console into the stream
    await page.locator('[data-testid="menu-events"]').click();
    const emitted = page.getByText(`console:lic_${licenseId}:reject:v2`);
    await emitted.first().waitFor();
    await emitted.first().click();
    await page.locator('[data-testid="property-reason_code"]').waitFor();
    expect(await page.locator('[data-testid="property-reason_code"]').textContent()).toContain(
      'copyright_unverified',
    );
    expect(await page.locator('[data-testid="property-reason_code"]').getAttribute('data-violation')).toBe(
      'false',
    );
  });
});

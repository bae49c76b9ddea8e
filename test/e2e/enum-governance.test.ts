import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * Product planning's path through an enum change, in real Chromium against the real server: landing_view
 * events arrive with an ab_bucket the table lacks (stored, flagged out_of_enum); a planner proposes the new
 * value from the enum's page and sees in the live preview that those events would turn valid; the proposal
 * waits, its proposer cannot approve it; a second planner approves it from the inbox; the table is at
 * version 2 with the value added, and the next event carrying it is valid.
 */
describe('enum governance, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let planner: BrowserContext;
  let planner2: BrowserContext;
  let page: Page;
  const run = Date.now().toString(36);
  const user = 'c0ffee00c0ffee00c0ffee00c0ffee00';
  // a bucket no demo event carries, so the preview's counts are exactly this test's events
  const bucket = `E2E_${run}`;

  const landingView = (n: number, at = Date.now() - 3600_000 + n) => ({
    event: 'landing_view',
    event_id: `lv_e2e_${run}_${n}`,
    occurred_at: new Date(at).toISOString(),
    properties: { user_id: user, session_id: `s_${run}`, source_channel: 'e2e', ab_bucket: bucket },
  });
  const send = async (events: unknown[]) => {
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-frontend-build', 'Content-Type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(res.status).toBe(200);
  };
  /** the stored event as the API gives it to a signed-in user of this context */
  const stored = async (context: BrowserContext, eventId: string) => {
    const res = await context.request.get(
      `${server.url}/api/events?filter=${encodeURIComponent(JSON.stringify({ q: eventId }))}`,
    );
    expect(res.status()).toBe(200);
    const rows = (await res.json()) as Array<{ event_id: string; violation_count: number }>;
    return rows.find((r) => r.event_id === eventId);
  };

  beforeAll(async () => {
    server = await startServer();
    await send([landingView(1), landingView(2)]);
    browser = await launchBrowser();
    planner = await browser.newContext();
    planner2 = await browser.newContext();
    page = await planner.newPage();
    await signIn(page, server.url, 'planner');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a planner proposes a new ab_bucket value; a second planner approves it; events validate against it', async () => {
    // the two events are kept, flagged: the bucket is not (yet) an ab_bucket
    expect((await stored(planner, `lv_e2e_${run}_1`))?.violation_count).toBe(1);

    await page.goto(`${server.url}/#/enums/ab_bucket/show`);
    await page.locator('[data-testid="enum-value-A"]').waitFor();
    await page.locator('[data-testid="propose-add"]').click();
    await page.waitForURL((u) => u.hash.startsWith('#/enum-proposals/create'));
    // opened on ab_bucket, action add
    await expect.poll(() => page.locator('input[name="action"][value="add"]').isChecked()).toBe(true);
    await page.locator('#proposal-value').fill(bucket);
    await page.locator('#proposal-label_en').fill(`Bucket ${bucket}`);
    await page.locator('#proposal-label_zh').fill(`${bucket} 组`);

    // the live preview: the two stored events carrying it would have been valid with the value in force
    const preview = page.locator('[data-testid="impact-preview"]');
    await expect
      .poll(() => preview.locator('[data-testid="impact-becoming-valid"]').textContent(), { timeout: 15_000 })
      .toBe('2');
    expect(await preview.locator('[data-testid="impact-events-using"]').textContent()).toBe('2');
    expect(await preview.locator('[data-testid="impact-becoming-invalid"]').textContent()).toBe('0');
    expect(await page.locator('[data-testid="proposal-governance"]').textContent()).toContain(
      'Product planner',
    );

    await page.locator('#proposal-rationale').fill('Third CTA bucket for the December experiment');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => /#\/enum-proposals\/\d+\/show/.test(u.hash));
    const id = /enum-proposals\/(\d+)\/show/.exec(page.url())![1]!;
    await page.locator('[data-testid="proposal-status-pending"]').waitFor();
    // its proposer cannot approve it: no button, a note saying someone else does
    const waiting = page.locator(`[data-testid="proposal-waiting-${id}"]`);
    await waiting.waitFor();
    expect(await waiting.getAttribute('data-standing')).toBe('own');
    expect(await page.locator(`[data-testid="proposal-approve-${id}"]`).count()).toBe(0);

    // the second planner finds it in the inbox, in the "to approve" view, and approves it
    const page2 = await planner2.newPage();
    await signIn(page2, server.url, 'planner2');
    await page2.goto(`${server.url}/#/enum-proposals`);
    await page2.locator('[data-testid="proposal-view-to_approve"]').click();
    const approve = page2.locator(`[data-testid="proposal-approve-${id}"]`);
    await approve.click();
    const dialog = page2.locator('[data-testid="proposal-approve-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="proposal-approve-effect"]').textContent()).toContain(
      'applies to the table at once',
    );
    await dialog.locator('[data-testid="proposal-approve-confirm"]').click();
    await dialog.waitFor({ state: 'detached' });
    // decided: gone from the pending "to approve" view
    await approve.waitFor({ state: 'detached' });

    await page2.goto(`${server.url}/#/enum-proposals/${id}/show`);
    await page2.locator('[data-testid="proposal-status-approved"]').waitFor();
    expect(await page2.locator('[data-testid="proposal-decision"]').textContent()).toContain('version 2');

    // the table's history: version 2 added the bucket, through this proposal
    await page2.goto(`${server.url}/#/enums/ab_bucket/show/history`);
    const v2 = page2.locator('[data-testid="enum-version-2"]');
    await v2.waitFor();
    expect(await v2.locator(`[data-testid="diff-${bucket}"]`).textContent()).toContain('Added');
    expect(await v2.textContent()).toContain(`#${id}`);

    // an event occurring from now on with the new value is valid at once (no restart); the earlier ones keep
    // the verdict they were stored with (a value is valid from its approval: valid_from)
    await send([landingView(3, Date.now())]);
    expect((await stored(planner2, `lv_e2e_${run}_3`))?.violation_count).toBe(0);
    expect((await stored(planner2, `lv_e2e_${run}_1`))?.violation_count).toBe(1);
  });
});

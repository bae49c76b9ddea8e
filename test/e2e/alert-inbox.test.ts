import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * A compliance reviewer works the risk-alert inbox, in real Chromium against the real server: a D3 alert sent
 * at ops_review arrives raised to the compliance committee; the reviewer finds it, cannot escalate it further,
 * acknowledges and resolves it with notes; a B1 alert is escalated one step. Each step is in the audit log.
 */
describe('risk-alert inbox, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const tag = `alert_e2e_${Date.now().toString(36)}`;
  const ids: Record<'d3' | 'b1', number> = { d3: 0, b1: 0 };

  beforeAll(async () => {
    server = await startServer();
    const at = new Date(Date.now() - 2 * 3600_000).toISOString();
    const alert = (suffix: string, props: Record<string, string>) => ({
      event: 'risk_alert',
      event_id: `${tag}_${suffix}`,
      occurred_at: at,
      properties: { alert_id: `${tag}_${suffix}`, task_id: `task_${tag}`, ...props },
    });
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-operations-compliance', 'Content-Type': 'application/json' },
      body: JSON.stringify([
        alert('d3', {
          risk_level: 'high',
          policy_tag: 'D3',
          action_required: 'escalate_review',
          escalation_level: 'ops_review',
        }),
        alert('b1', {
          risk_level: 'medium',
          policy_tag: 'B1',
          action_required: 'update_copy',
          escalation_level: 'none',
        }),
      ]),
    });
    expect(res.status).toBe(200);
    browser = await launchBrowser();
    page = await browser.newPage();
    await signIn(page, server.url, 'reviewer');
    const found = await page.evaluate(async (q) => {
      const r = await fetch(`/api/alerts?filter=${encodeURIComponent(JSON.stringify({ q }))}`);
      return (await r.json()) as Array<{ id: number; alert_id: string }>;
    }, tag);
    for (const a of found) ids[a.alert_id.endsWith('_d3') ? 'd3' : 'b1'] = a.id;
    expect(ids.d3).toBeGreaterThan(0);
    expect(ids.b1).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function step(action: 'acknowledge' | 'escalate' | 'resolve', note: string) {
    await page.locator(`[data-testid="alert-${action}"]`).click();
    const dialog = page.locator(`[data-testid="alert-${action}-dialog"]`);
    await dialog.waitFor();
    await page.locator('#alert-step-note').fill(note);
    await page.locator(`[data-testid="alert-${action}-confirm"]`).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('a D3 alert arrives at the committee; the reviewer acknowledges and resolves it, and escalates a B1', async () => {
    await page.locator('[data-testid="menu-alerts"]').click();
    await page.goto(`${server.url}/#/alerts?filter=${encodeURIComponent(JSON.stringify({ q: tag }))}`);
    const d3 = page.locator(`[data-testid="alert-row-${ids.d3}"]`);
    await d3.waitFor();
    // high risk before medium, and the D3 one marked as the committee's
    await expect
      .poll(() => page.locator('[data-testid^="alert-row-"]').first().getAttribute('data-testid'))
      .toBe(`alert-row-${ids.d3}`);
    expect(await d3.getAttribute('data-committee')).toBe('true');
    await d3.locator('[data-testid="escalation-compliance_committee"]').waitFor();

    await d3.click();
    await page.locator('[data-testid="alert-acknowledge"]').waitFor();
    // already at the top: no escalate
    expect(await page.locator('[data-testid="alert-escalate"]').count()).toBe(0);
    await step('acknowledge', 'asked the creator for the licence of the source footage');
    await page.locator('[data-testid="alert-state-acknowledged"]').first().waitFor();
    await step('resolve', 'committee reviewed: asset removed');
    await page.locator('[data-testid="alert-state-resolved"]').first().waitFor();
    await expect.poll(() => page.locator('[data-testid^="alert-history-"]').count()).toBe(3);
    const history = await page.locator('[data-testid^="alert-history-"]').allTextContents();
    expect(history.join('\n')).toContain('system');
    expect(history.join('\n')).toContain('committee reviewed: asset removed');

    // the B1 alert climbs one step
    await page.goto(`${server.url}/#/alerts/${ids.b1}/show`);
    await step('escalate', 'same account flagged twice this week');
    await page.locator('[data-testid="escalation-ops_review"]').first().waitFor();

    // each step in the audit log, by the reviewer (the arrival by the system)
    const audit = await page.evaluate(async (id) => {
      const r = await fetch(
        `/api/audit?filter=${encodeURIComponent(JSON.stringify({ resource: 'alert' }))}&range=[0,999]`,
      );
      return ((await r.json()) as Array<{ action: string; actor: string; resource_id: string }>)
        .filter((a) => a.resource_id === String(id))
        .map((a) => `${a.actor} ${a.action}`)
        .sort();
    }, ids.d3);
    expect(audit).toEqual([
      'reviewer alert.acknowledge',
      'reviewer alert.resolve',
      'system alert.auto_escalate',
    ]);
  });
});

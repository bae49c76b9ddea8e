import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer } from './server.ts';

/**
 * Ops' path through a refund, in real Chromium against the real server: ops open a charged task, roll back
 * part of its charge (posted at once, net charge drops), then request a refund above the four-eyes limit; it
 * waits, the requester cannot approve it, a second ops user approves it from the ledger, and the task's net
 * charge and the stream's credits_updated events follow.
 */
describe('credits rollback with four-eyes approval, end to end', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let ops: BrowserContext;
  let ops2: BrowserContext;
  let page: Page;
  const taskId = `task_e2e_${Date.now().toString(36)}`;

  beforeAll(async () => {
    // a limit low enough that the second refund needs approval
    server = await startServer({ CONSOLE_ROLLBACK_APPROVAL_LIMIT: '500' });
    const at = new Date(Date.now() - 3600_000).toISOString();
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-platform-integration', 'Content-Type': 'application/json' },
      body: JSON.stringify([
        {
          event: 'task_start',
          event_id: `${taskId}-start`,
          occurred_at: at,
          properties: {
            task_id: taskId,
            template_id: 'tpl_e2e',
            account_id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
            estimated_credits: 2000,
            queue_type: 'fast',
          },
        },
        {
          event: 'task_completed',
          event_id: `${taskId}-done`,
          occurred_at: at,
          properties: {
            task_id: taskId,
            template_id: 'tpl_e2e',
            credits_spent: 2400,
            duration_ms: 60_000,
            output_count: 8,
          },
        },
      ]),
    });
    expect(res.status).toBe(200);
    browser = await launchBrowser();
    ops = await browser.newContext();
    ops2 = await browser.newContext();
    page = await ops.newPage();
    await signIn(page, server.url, 'ops');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const taskUrl = () => `${server.url}/#/tasks/${encodeURIComponent(taskId)}/show`;
  const figure = (p: Page, name: string) => p.locator(`[data-testid="charge-${name}"]`).textContent();

  /** fills and sends the rollback dialog of the task page */
  async function rollBack(amount: string, reason: string) {
    await page.locator('[data-testid="task-rollback"]').click();
    const dialog = page.locator('[data-testid="rollback-dialog"]');
    await dialog.waitFor();
    await page.locator('#rollback-amount').fill(amount);
    await page.locator('#rollback-policy_tag').click();
    await page.locator('li[data-value="B1"]').click();
    await page.locator('#rollback-reason').fill(reason);
    return dialog;
  }

  it('ops roll back part of a charge; a large refund waits for a second ops user, who approves it', async () => {
    await page.goto(taskUrl());
    await page.locator('[data-testid="task-charge"]').waitFor();
    expect(await figure(page, 'net_charge')).toBe('2,400');

    // a small refund is posted at once
    const first = await rollBack('400', 'two outputs unusable: watermark artefacts');
    await page.locator('[data-testid="rollback-confirm"]').click();
    await first.waitFor({ state: 'detached' });
    await expect.poll(() => figure(page, 'net_charge')).toBe('2,000');
    expect(await figure(page, 'refunded')).toBe('400');

    // above the limit the dialog says a second person must approve, and the entry waits
    const second = await rollBack('1200', 'batch rerun after the platform timeout');
    await page.locator('[data-testid="rollback-second-approval"]').waitFor();
    await page.locator('[data-testid="rollback-confirm"]').click();
    await second.waitFor({ state: 'detached' });
    await expect.poll(() => figure(page, 'pending_refunds')).toBe('1,200');
    expect(await figure(page, 'net_charge')).toBe('2,000');
    expect(await figure(page, 'refundable')).toBe('800');

    const pendingId = await page.evaluate(async (task) => {
      const r = await fetch(
        `/api/ledger?filter=${encodeURIComponent(JSON.stringify({ task_id: task, status: 'pending_approval' }))}`,
      );
      return ((await r.json()) as Array<{ id: string }>)[0]?.id;
    }, taskId);
    expect(pendingId).toMatch(/^led_console_/);

    // the requester sees it awaiting a second approver, with no approve button of their own
    await page.locator('[data-testid="menu-ledger"]').click();
    await page.locator('[data-testid="ledger-awaiting-approval"]').click();
    const mine = page.locator(`[data-testid="ledger-row-${pendingId}"]`);
    await mine.waitFor();
    await page.locator(`[data-testid="ledger-awaiting-${pendingId}"]`).waitFor();
    expect(await page.locator(`[data-testid="ledger-approve-${pendingId}"]`).count()).toBe(0);

    // a second ops user approves it from the ledger
    const other = await ops2.newPage();
    await signIn(other, server.url, 'ops2');
    await other.locator('[data-testid="menu-ledger"]').click();
    await other.locator('[data-testid="ledger-awaiting-approval"]').click();
    await other.locator(`[data-testid="ledger-approve-${pendingId}"]`).click();
    await other.locator('[data-testid="ledger-approve-dialog"]').waitFor();
    await other.locator('[data-testid="ledger-approve-confirm"]').click();
    await other.locator('[data-testid="ledger-approve-dialog"]').waitFor({ state: 'detached' });

    // the task now costs 2,400 − 400 − 1,200
    await other.goto(taskUrl());
    await other.locator('[data-testid="task-charge"]').waitFor();
    await expect.poll(() => figure(other, 'net_charge')).toBe('800');
    expect(await figure(other, 'pending_refunds')).toBe('0');
    expect(await other.locator(`[data-testid="task-ledger-${pendingId}"]`).textContent()).toContain('ops2');

    // one credits_updated event per posted refund, written by the console into the stream
    const emitted = await other.evaluate(async (task) => {
      const r = await fetch(
        `/api/events?filter=${encodeURIComponent(JSON.stringify({ event: 'credits_updated', source: 'console' }))}&range=[0,99]`,
      );
      return ((await r.json()) as Array<{ properties: { task_id: string; adjust_amount: number } }>)
        .filter((e) => e.properties.task_id === task)
        .map((e) => e.properties.adjust_amount)
        .sort((a, b) => a - b);
    }, taskId);
    expect(emitted).toEqual([400, 1200]);
  });
});

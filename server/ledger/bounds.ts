import type { ChargeSummary, LedgerEntry } from './schemas.ts';

/** amounts in credits with two decimals: sums are rounded to cents so 0.1 + 0.2 is 0.3 */
export const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * What a task was charged and refunded, from its entries. Posted entries count; a pending refund is
 * reserved (it may still be approved), a rejected entry counts for nothing. Pure: the server, the mocks and
 * the property tests compute it alike.
 */
export function chargeSummary(entries: ReadonlyArray<Pick<LedgerEntry, 'amount' | 'status'>>): ChargeSummary {
  let charged = 0;
  let refunded = 0;
  let pending = 0;
  for (const e of entries) {
    if (e.status === 'posted') {
      if (e.amount < 0) charged -= e.amount;
      else refunded += e.amount;
    } else if (e.status === 'pending_approval' && e.amount > 0) pending += e.amount;
  }
  const net = cents(charged - refunded);
  return {
    charged: cents(charged),
    refunded: cents(refunded),
    net_charge: net,
    pending_refunds: cents(pending),
    // rounded down to the cent: a sub-cent charge never lets a refund exceed it
    refundable: Math.max(0, Math.floor((charged - refunded - pending) * 100 + 1e-6) / 100),
  };
}

/**
 * Why a refund of `amount` may not be requested now (undefined when it may): never more than the task's net
 * charge less the refunds already waiting for approval.
 */
export function refundProblem(amount: number, summary: ChargeSummary): string | undefined {
  if (amount <= 0) return undefined;
  if (summary.net_charge <= 0) return 'the task has no net charge to refund';
  if (cents(amount) > summary.refundable) {
    const pending = summary.pending_refunds ? `, ${summary.pending_refunds} awaiting approval` : '';
    return `exceeds what may be refunded: ${summary.refundable} (net charge ${summary.net_charge}${pending})`;
  }
  return undefined;
}

/**
 * A manual entry waits for a second person when it, together with the task's manual entries already posted
 * or waiting (by their size, either sign), goes above the limit: splitting a large refund into small ones
 * does not get around the four eyes.
 */
export function needsSecondApproval(
  amount: number,
  limit: number,
  taskEntries: ReadonlyArray<Pick<LedgerEntry, 'amount' | 'status' | 'kind'>> = [],
): boolean {
  let requested = Math.abs(amount);
  for (const e of taskEntries)
    if ((e.kind === 'manual_rollback' || e.kind === 'manual_adjustment') && e.status !== 'rejected')
      requested += Math.abs(e.amount);
  return cents(requested) > limit;
}

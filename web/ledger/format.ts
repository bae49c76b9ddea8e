/** credits as people read them: at most two decimals (the ledger keeps cents), grouped */
export const formatCredits = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** a signed ledger amount: refunds with their plus sign, charges with their minus */
export const formatAmount = (n: number) => `${n > 0 ? '+' : ''}${formatCredits(n)}`;

/** a ledger entry's page: the platform's ids are free text (`charge:task_…`, `led_…`) */
export const ledgerPath = (id: string) => `/ledger/${encodeURIComponent(id)}/show`;

/** a task's page */
export const taskPath = (taskId: string) => `/tasks/${encodeURIComponent(taskId)}/show`;

/**
 * Reading a stored event's properties where a projection needs a value of one type: anything else (missing,
 * blank, wrong type — the event carries that violation already) reads as null.
 */
export const textOf = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
export const numberOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
export const integerOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : null;

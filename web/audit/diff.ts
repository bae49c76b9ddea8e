/** one line of an audit row's before/after comparison */
export interface DiffRow {
  /** the top-level field, or '' when before/after are not records */
  key: string;
  before: unknown;
  after: unknown;
  /** present on one side only, or different */
  changed: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** deep equality of JSON values (what an audit row's before/after hold) */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}

/**
 * The fields of before and after side by side, before's order first then fields only after has. A missing
 * side (a creation has no before, a revocation no after) counts as an empty record. Values that are not
 * records (or a record against a plain value) compare as one line.
 */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const empty = (v: unknown) => v === null || v === undefined;
  if (empty(before) && empty(after)) return [];
  const b = empty(before) ? {} : before;
  const a = empty(after) ? {} : after;
  if (!isRecord(b) || !isRecord(a)) return [{ key: '', before, after, changed: !sameJson(before, after) }];
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => ({
    key,
    before: b[key],
    after: a[key],
    changed: !(key in b && key in a && sameJson(b[key], a[key])),
  }));
}

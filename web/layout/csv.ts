/**
 * The console's CSV: RFC 4180 (a field holding a comma, a double quote or a line break is quoted, a double
 * quote inside doubled; CRLF after every record), UTF-8 with a byte-order mark so Excel reads Chinese text
 * correctly, a header row of field names. Pure: no DOM, no react-admin.
 */

/** the byte-order mark the text starts with: Excel takes a CSV without one for the local code page */
export const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * A text that a spreadsheet would take for a formula (or a DDE call) gets a leading single quote, as OWASP
 * advises: =, +, -, @, tab and carriage return. Only text: a number stays a number, negative amounts included.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const guardFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * One value as the text of its cell, before quoting: nothing for null and undefined, numbers and booleans as
 * written, text guarded against formula injection, arrays and objects as JSON text.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return guardFormula(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  // JSON text starts with { [ or ", never with a formula character; guarded all the same
  return guardFormula(JSON.stringify(value) ?? '');
}

/** a cell's text quoted when it must be (RFC 4180 §2.6, §2.7) */
export const quoteField = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

export type CsvRow = Record<string, unknown>;

/** every field of the rows, in the order first seen: the header */
export function columnsOf(rows: readonly CsvRow[], omit: readonly string[] = []): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!omit.includes(key)) seen.add(key);
  return [...seen];
}

/**
 * The whole file: the BOM, a header row of `columns` (every field of the rows unless told) and one record a
 * row, each line ended by CRLF.
 */
export function toCsv(rows: readonly CsvRow[], columns: readonly string[] = columnsOf(rows)): string {
  const line = (cells: readonly unknown[]) => cells.map((v) => quoteField(cellText(v))).join(',') + CRLF;
  let text = BOM + line(columns);
  for (const row of rows) text += line(columns.map((c) => row[c]));
  return text;
}

const UTC8_MS = 8 * 3_600_000;

/** `<resource>-<date>_<time>_UTC+8.csv`, the instant in UTC+8 (the zone the console cuts days in) */
export function exportFileName(resource: string, now: Date = new Date()): string {
  const [date, time] = new Date(now.getTime() + UTC8_MS).toISOString().slice(0, 19).split('T') as [
    string,
    string,
  ];
  return `${resource}-${date}_${time.replaceAll(':', '-')}_UTC+8.csv`;
}

export interface Page {
  data: readonly CsvRow[];
  /** how many rows match the filter, as the API counted when answering this page */
  total: number;
}

export type Collected =
  | {
      kind: 'done';
      /** every row the pages returned, each id once, in the order read */
      rows: CsvRow[];
      /** the total the first page answered with, and the last */
      firstTotal: number;
      lastTotal: number;
      /** the rows changed while paging: the total moved, or the pages did not add up to it */
      changed: boolean;
    }
  | { kind: 'too_many'; total: number };

const idKey = (row: CsvRow): string | undefined =>
  row.id === undefined || row.id === null ? undefined : `${typeof row.id}:${String(row.id)}`;

/**
 * Reads every row of a list, page after page (`fetchPage(page)` with pages from 1), until the total the API
 * counts is reached or a page comes back empty. Nothing is dropped silently: above `cap` rows it stops and says
 * so (`too_many`) instead of keeping the first ones. Rows that arrive while paging shift the pages; a row read
 * twice is kept once (by id), and `changed` says the export is of a list that moved.
 */
export async function collectPages(
  fetchPage: (page: number) => Promise<Page>,
  {
    perPage,
    cap,
    signal,
    onProgress,
  }: {
    perPage: number;
    cap: number;
    signal?: AbortSignal;
    onProgress?: (fetched: number, total: number) => void;
  },
): Promise<Collected> {
  const rows = new Map<string, CsvRow>();
  const unkeyed: CsvRow[] = [];
  let firstTotal: number | undefined;
  let lastTotal = 0;
  for (let page = 1; ; page++) {
    signal?.throwIfAborted();
    const { data, total } = await fetchPage(page);
    signal?.throwIfAborted();
    firstTotal ??= total;
    lastTotal = total;
    if (total > cap) return { kind: 'too_many', total };
    for (const row of data) {
      const key = idKey(row);
      if (key === undefined) unkeyed.push(row);
      else if (!rows.has(key)) rows.set(key, row);
    }
    const fetched = rows.size + unkeyed.length;
    onProgress?.(fetched, total);
    if (data.length === 0 || page * perPage >= total) break;
  }
  const all = [...rows.values(), ...unkeyed];
  const first = firstTotal ?? 0;
  return {
    kind: 'done',
    rows: all,
    firstTotal: first,
    lastTotal,
    changed: lastTotal !== first || all.length !== lastTotal,
  };
}

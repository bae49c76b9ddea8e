import type { AuditRecord } from './schemas.ts';

/** one CSV cell: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs it */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** the audit export's columns, in order (the header row) */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'action',
  'resource',
  'resource_id',
  'outcome',
  'reason',
  'request_id',
  'ip',
  'before',
  'after',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditRecord>;

/** one audit row as a CSV line */
export const auditCsvLine = (r: AuditRecord) =>
  `${AUDIT_CSV_COLUMNS.map((k) => csvCell(r[k])).join(',')}\r\n`;

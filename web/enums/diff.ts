import type { EnumValueRecord } from '../../server/plan/schemas.ts';

/** the fields of a value a version can change (its code never changes; its order is the table's) */
export const DIFF_FIELDS = [
  'label_en',
  'label_zh',
  'description',
  'status',
  'deprecated_at',
  'policy_group',
  'default_risk_level',
  'default_action_required',
  'min_escalation_level',
] as const satisfies ReadonlyArray<keyof EnumValueRecord>;
export type DiffField = (typeof DIFF_FIELDS)[number];

export interface FieldChange {
  field: DiffField;
  before: string | null;
  after: string | null;
}

/** one value's difference between two versions of a table */
export type ValueDiff =
  | { kind: 'added'; code: string; value: EnumValueRecord }
  | { kind: 'removed'; code: string; value: EnumValueRecord }
  | { kind: 'changed'; code: string; changes: FieldChange[] };

/**
 * What changed from one version of an enum table to the next: values added, values changed (each changed
 * field with before and after) and, should a table ever lose one, values removed (values are never deleted,
 * so that would be a finding worth seeing). Unchanged values are left out; the order is the later table's.
 */
export function diffValues(
  before: readonly EnumValueRecord[],
  after: readonly EnumValueRecord[],
): ValueDiff[] {
  const old = new Map(before.map((v) => [v.code, v]));
  const out: ValueDiff[] = [];
  for (const value of after) {
    const prior = old.get(value.code);
    if (!prior) {
      out.push({ kind: 'added', code: value.code, value });
      continue;
    }
    const changes = DIFF_FIELDS.filter((f) => prior[f] !== value[f]).map((field) => ({
      field,
      before: prior[field],
      after: value[field],
    }));
    if (changes.length > 0) out.push({ kind: 'changed', code: value.code, changes });
  }
  const kept = new Set(after.map((v) => v.code));
  for (const value of before)
    if (!kept.has(value.code)) out.push({ kind: 'removed', code: value.code, value });
  return out;
}

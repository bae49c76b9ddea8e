import { ApiError } from '../http/errors.ts';
import type { EnumRecord, EnumValueRecord } from '../plan/schemas.ts';
import {
  type EnumAction,
  MAPPING_ENUM,
  MAPPING_FIELDS,
  type ProposalBody,
  type ProposalChanges,
} from './schemas.ts';

/** a proposal as apply needs it: what to do to which value */
export interface Change {
  action: EnumAction;
  code: string;
  changes: ProposalChanges;
}

/** the body's changes: everything but enum, action, value and rationale */
export function changesOf(body: ProposalBody): ProposalChanges {
  const { enum: _e, action: _a, value: _v, rationale: _r, ...changes } = body;
  return changes;
}

/**
 * The value list with the change applied at `at` (pure; used by approval and by the impact preview's
 * hypothetical table). Values are never removed: add appends (valid_from = at, sort_order max+1), deprecate
 * dates the deprecation at `at`, reactivate clears it, relabel and update_mapping set the fields given.
 */
export function applyChange(
  values: readonly EnumValueRecord[],
  change: Change,
  at: string,
): EnumValueRecord[] {
  const c = change.changes;
  if (change.action === 'add') {
    const sort = values.reduce((m, v) => Math.max(m, v.sort_order), 0) + 1;
    return [
      ...values,
      {
        code: change.code,
        label_en: c.label_en ?? change.code,
        label_zh: c.label_zh ?? change.code,
        description: c.description ?? null,
        status: 'active',
        valid_from: at,
        deprecated_at: null,
        sort_order: sort,
        policy_group: c.policy_group ?? null,
        default_risk_level: c.default_risk_level ?? null,
        default_action_required: c.default_action_required ?? null,
        min_escalation_level: c.min_escalation_level ?? null,
      },
    ];
  }
  return values.map((v) => {
    if (v.code !== change.code) return v;
    if (change.action === 'deprecate') return { ...v, status: 'deprecated', deprecated_at: at };
    if (change.action === 'reactivate') return { ...v, status: 'active', deprecated_at: null };
    const out = { ...v };
    if (change.action === 'relabel') {
      if (c.label_en !== undefined) out.label_en = c.label_en;
      if (c.label_zh !== undefined) out.label_zh = c.label_zh;
      if (c.description !== undefined) out.description = c.description;
    } else {
      for (const f of MAPPING_FIELDS) if (c[f] !== undefined) out[f] = c[f] as string;
    }
    return out;
  });
}

/**
 * Whether the change may be made to the enums as they stand: 404 for an unknown enum or value, 409 for an
 * existing code or a value in the wrong state, 422 for mapping fields that are not allowed or not active
 * values. Run when proposing, previewing and again when the change is applied.
 */
export function checkChange(enums: readonly EnumRecord[], enumName: string, change: Change): EnumRecord {
  const target = enums.find((e) => e.name === enumName);
  if (!target) throw new ApiError(404, `no enum ${enumName}`, { enum: `unknown enum ${enumName}` });
  const existing = target.values.find((v) => v.code === change.code);
  const mappingGiven = MAPPING_FIELDS.filter((f) => change.changes[f] !== undefined);
  if (change.action === 'add') {
    if (existing)
      throw new ApiError(409, `${enumName} already has ${change.code}`, {
        value: `${change.code} exists (${existing.status}); relabel or reactivate it instead`,
      });
    if (enumName === 'policy_tag') {
      const missing = MAPPING_FIELDS.filter((f) => change.changes[f] === undefined);
      if (missing.length)
        throw new ApiError(
          422,
          `a policy_tag needs its mapping: ${missing.join(', ')}`,
          Object.fromEntries(missing.map((f) => [f, 'required for a policy_tag'])),
        );
    }
  } else if (!existing) {
    throw new ApiError(404, `${enumName} has no value ${change.code}`, {
      value: `unknown ${enumName} value`,
    });
  }
  if (change.action === 'update_mapping' && enumName !== 'policy_tag')
    throw new ApiError(422, 'only a policy_tag has a mapping to update', {
      action: 'update_mapping applies to policy_tag only',
    });
  if (mappingGiven.length && enumName !== 'policy_tag')
    throw new ApiError(
      422,
      `only a policy_tag has ${mappingGiven.join(', ')}`,
      Object.fromEntries(mappingGiven.map((f) => [f, 'policy_tag only'])),
    );
  for (const [field, source] of Object.entries(MAPPING_ENUM) as Array<[keyof typeof MAPPING_ENUM, string]>) {
    const value = change.changes[field];
    if (value === undefined) continue;
    const ok = enums
      .find((e) => e.name === source)
      ?.values.some((v) => v.code === value && v.status === 'active');
    if (!ok)
      throw new ApiError(422, `${field} must be an active ${source} value`, {
        [field]: `${value} is not an active ${source}`,
      });
  }
  if (change.action === 'deprecate' && existing?.status !== 'active')
    throw new ApiError(409, `${enumName}.${change.code} is already deprecated`, {
      value: 'already deprecated',
    });
  if (change.action === 'reactivate' && existing?.status !== 'deprecated')
    throw new ApiError(409, `${enumName}.${change.code} is active`, { value: 'not deprecated' });
  return target;
}

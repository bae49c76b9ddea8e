import type { Violation } from '../events/schemas.ts';
import type { PlanFieldRecord } from '../plan/schemas.ts';
import type { PlanSnapshot } from '../plan/snapshot.ts';
import {
  containsPhoneNumber,
  isIdHash,
  isPhoneNumber,
  isWeChatId,
  type Pseudonymize,
  redactPhones,
} from './pii.ts';
import { dateTimeProblem } from './schemas.ts';

/**
 * Validation of one event against the tracking plan (SPEC.md §2–§3): pure, no SQL or HTTP, shared by ingest,
 * the demo generator and the tests. Returns the violations and the properties as they may be stored, with
 * every phone number or WeChat id replaced by its keyed-HMAC stand-in.
 */
export interface ValidationResult {
  planned: boolean;
  violations: Violation[];
  properties: Record<string, unknown>;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'hashed_id':
      return typeof v === 'string' && isIdHash(v);
    case 'id':
    case 'text':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'timestamp':
      return typeof v === 'string' && dateTimeProblem(v) === undefined;
    case 'integer':
      return Number.isSafeInteger(v) && (v as number) >= 0;
    case 'positive_integer':
      return Number.isSafeInteger(v) && (v as number) >= 1;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    case 'nonzero_number':
      return typeof v === 'number' && Number.isFinite(v) && v !== 0;
    case 'credits_range':
      return (
        Array.isArray(v) &&
        v.length === 2 &&
        v.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
        0 <= (v[0] as number) &&
        (v[0] as number) <= (v[1] as number)
      );
    default:
      return false;
  }
}

/** a value valid at `at`: valid_from <= at < deprecated_at (UTC ISO strings compare in order) */
function enumValueAt(plan: PlanSnapshot, enumName: string, code: string, at: string) {
  const value = plan.enumValues.get(enumName)?.get(code);
  if (!value || value.valid_from > at || (value.deprecated_at !== null && at >= value.deprecated_at))
    return undefined;
  return value;
}

/**
 * Replaces phone numbers anywhere in a value (strings, numbers shaped like one, nested objects/arrays).
 * A digest is only replaced when it is a phone number as a whole — its digit runs are not phone numbers:
 * in an id field any id-shaped string (16–128 hex/base64url characters), elsewhere a hex string of 16+.
 * Under a name the plan uses for hashed ids (user_id, account_id), a WeChat id is PII too, in any event.
 */
const HEX_DIGEST = /^[0-9a-fA-F]{16,128}$/;

function scrub(
  v: unknown,
  pseudonymize: Pseudonymize,
  opts: { idField?: boolean; hashedName?: boolean } = {},
): { value: unknown; pii: boolean } {
  if (typeof v === 'string') {
    if (isPhoneNumber(v) || (opts.hashedName && isWeChatId(v))) return { value: pseudonymize(v), pii: true };
    const digest = opts.idField ? isIdHash(v) : HEX_DIGEST.test(v);
    if (digest || !containsPhoneNumber(v)) return { value: v, pii: false };
    return { value: redactPhones(v, pseudonymize), pii: true };
  }
  if (typeof v === 'number' && isPhoneNumber(String(v))) return { value: pseudonymize(String(v)), pii: true };
  if (Array.isArray(v)) {
    let pii = false;
    const value = v.map((x) => {
      const r = scrub(x, pseudonymize);
      pii ||= r.pii;
      return r.value;
    });
    return { value, pii };
  }
  if (v !== null && typeof v === 'object') {
    let pii = false;
    const entries = Object.entries(v).map(([k, x]): [string, unknown] => {
      const r = scrub(x, pseudonymize);
      pii ||= r.pii;
      return [k, r.value];
    });
    return { value: Object.fromEntries(entries), pii };
  }
  return { value: v, pii: false };
}

interface FieldCheck {
  rule: Violation['rule'] | null;
  value: unknown;
}

function checkField(
  f: PlanFieldRecord,
  raw: unknown,
  props: Record<string, unknown>,
  plan: PlanSnapshot,
  occurredAt: string,
  pseudonymize: Pseudonymize,
): FieldCheck {
  if (isBlank(raw)) {
    const nullAllowed =
      raw === null &&
      f.nullable_unless !== null &&
      props[f.nullable_unless.field] !== f.nullable_unless.equals;
    return { rule: !f.required || nullAllowed ? null : 'missing', value: raw };
  }
  const scrubbed = scrub(raw, pseudonymize, {
    idField: f.type === 'hashed_id' || f.type === 'id',
    hashedName: f.type === 'hashed_id',
  });
  if (f.type === 'enum') {
    // judged on what is stored (a phone number becomes its stand-in: out_of_enum), exactly as the SQL check sees it
    const stored = scrubbed.value;
    if (typeof stored !== 'string') return { rule: 'wrong_type', value: stored };
    return {
      rule: enumValueAt(plan, f.enum ?? '', stored, occurredAt) ? null : 'out_of_enum',
      value: stored,
    };
  }
  if (scrubbed.pii) return { rule: 'pii', value: scrubbed.value };
  if (!typeOk(f.type, raw)) return { rule: 'wrong_type', value: raw };
  return { rule: null, value: raw };
}

const hashedNamesOf = new WeakMap<PlanSnapshot, Set<string>>();
/** the property names the plan uses for pseudonymous hashes, anywhere in the plan */
function hashedIdNames(plan: PlanSnapshot): Set<string> {
  let names = hashedNamesOf.get(plan);
  if (!names) {
    names = new Set(
      [...plan.events.values()].flatMap((e) =>
        e.fields.filter((f) => f.type === 'hashed_id').map((f) => f.name),
      ),
    );
    hashedNamesOf.set(plan, names);
  }
  return names;
}

export function validateEvent(
  plan: PlanSnapshot,
  input: { event: string; occurredAt: string; properties: Record<string, unknown> },
  pseudonymize: Pseudonymize,
): ValidationResult {
  const planEvent = plan.events.get(input.event);
  const fields = planEvent?.fields ?? [];
  const hashedNames = hashedIdNames(plan);
  const checked = new Map<string, FieldCheck>();
  for (const f of fields) {
    checked.set(
      f.name,
      checkField(f, input.properties[f.name], input.properties, plan, input.occurredAt, pseudonymize),
    );
  }

  // cross-field: a policy tag's minimum escalation (D3 needs compliance_committee)
  const tagCheck = checked.get('policy_tag');
  const levelCheck = checked.get('escalation_level');
  if (tagCheck && levelCheck && !tagCheck.rule && !levelCheck.rule) {
    const tag = enumValueAt(plan, 'policy_tag', tagCheck.value as string, input.occurredAt);
    const levels = plan.enumValues.get('escalation_level');
    const min = tag?.min_escalation_level ? levels?.get(tag.min_escalation_level) : undefined;
    const actual = levels?.get(levelCheck.value as string);
    if (min && actual && actual.sort_order < min.sort_order) levelCheck.rule = 'escalation_below_policy';
  }

  const violations: Violation[] = planEvent ? [] : [{ field: 'event', rule: 'unplanned' }];
  for (const f of fields) {
    const rule = checked.get(f.name)?.rule;
    if (rule) violations.push({ field: f.name, rule });
  }
  // properties keep their order; those outside the plan are kept too, with any phone number replaced.
  // The object is rebuilt only when a value was replaced (with fromEntries, so "__proto__" stays a property).
  const entries: Array<[string, unknown]> = [];
  let replaced = false;
  for (const [k, v] of Object.entries(input.properties)) {
    let value = checked.get(k)?.value;
    if (!checked.has(k)) {
      const r = scrub(v, pseudonymize, { hashedName: hashedNames.has(k) });
      if (r.pii) violations.push({ field: k, rule: 'pii' });
      value = r.value;
    }
    if (value !== v) replaced = true;
    entries.push([k, value]);
  }
  const properties = replaced ? Object.fromEntries(entries) : input.properties;
  return { planned: planEvent !== undefined, violations, properties };
}

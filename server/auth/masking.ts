import { ApiError } from '../http/errors.ts';
import { can, type Role } from './permissions.ts';

/**
 * Server-side masking of sensitive fields (the hashed user/account ids, approver ids — SPEC.md §3): for roles
 * without `sensitive:read` every endpoint and export replaces them before they leave the server. A masked
 * value keeps its first 4 characters so people can still tell two ids apart at a glance.
 */
export const MASK = '••••••';

export function maskValue(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length <= 4 ? MASK : `${s.slice(0, 4)}${MASK}`;
}

/** a copy of `value` with every property named in `names`, at any depth, masked */
export function maskDeep(value: unknown, names: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, names));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, names.has(k) ? maskValue(v) : maskDeep(v, names)]),
    );
  }
  return value;
}

/** what a role sees of an answer: in clear with `sensitive:read`, masked otherwise */
export const presenter =
  (roles: readonly Role[], names: ReadonlySet<string>) =>
  <T>(value: T): T =>
    can(roles, 'sensitive:read') ? value : (maskDeep(value, names) as T);

const PROBE_SUFFIXES = ['_gte', '_gt', '_lte', '_lt', '_neq'];

/**
 * For a role that sees sensitive ids masked, a list must not let it recover one by probing: range filters,
 * prefix searches (`probes`, e.g. a `q` over account ids) and sorting by a sensitive column are refused (403).
 * An exact match needs the whole value already, so it stays allowed.
 */
export function refuseSensitiveProbes(
  roles: readonly Role[],
  names: ReadonlySet<string>,
  query: { filter: Record<string, unknown>; sort?: { field: string } },
  probes: readonly string[] = [],
): void {
  if (can(roles, 'sensitive:read')) return;
  const refuse = (what: string, field: string) => {
    throw new ApiError(403, `${what} needs sensitive:read: your role sees ${field} masked`, {
      [what]: `your role sees ${field} masked`,
    });
  };
  for (const [key, value] of Object.entries(query.filter)) {
    if (value === undefined || value === '') continue;
    if (probes.includes(key)) refuse(`filter.${key}`, 'the ids it searches');
    const suffix = PROBE_SUFFIXES.find((s) => key.endsWith(s));
    const base = suffix ? key.slice(0, -suffix.length) : key;
    if (suffix && names.has(base)) refuse(`filter.${key}`, base);
  }
  if (query.sort && names.has(query.sort.field)) refuse('sort', query.sort.field);
}

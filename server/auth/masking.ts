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

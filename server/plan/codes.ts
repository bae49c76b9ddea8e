import { ApiError } from '../http/errors.ts';
import type { PlanSnapshot } from './snapshot.ts';

/**
 * Codes a person chooses (reason codes, policy tags …) must be active values of their enum now: 422 naming
 * each field otherwise. `codes` maps a field to [enum name, code].
 */
export function checkActiveCodes(
  snapshot: PlanSnapshot,
  now: Date,
  codes: Record<string, [enumName: string, code: string]>,
): void {
  const at = now.toISOString();
  const errors: Record<string, string> = {};
  for (const [field, [enumName, code]] of Object.entries(codes)) {
    const value = snapshot.enumValues.get(enumName)?.get(code);
    const valid =
      value && value.valid_from <= at && (value.deprecated_at === null || at < value.deprecated_at);
    if (!valid)
      errors[field] = value
        ? `${code} is deprecated in ${enumName}`
        : `${code} is not a value of ${enumName}`;
  }
  if (Object.keys(errors).length) {
    throw new ApiError(
      422,
      `unknown or deprecated codes: ${Object.entries(errors)
        .map(([f, w]) => `${f}: ${w}`)
        .join('; ')}`,
      errors,
    );
  }
}

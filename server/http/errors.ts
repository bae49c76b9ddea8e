import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorBody } from './schemas.ts';

/** An expected failure: its status, a message for people and, when input was at fault, reasons per field. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

/** field path as people read it: `[3].occurred_at`, `properties.user_id` */
export function pathOf(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(body)';
}

export function zodErrors(error: z.ZodError, prefix = ''): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = pathOf(issue.path, prefix);
    errors[key] ??= issue.message;
  }
  return errors;
}

export function invalid(error: z.ZodError, what = 'request', prefix = ''): ApiError {
  const errors = zodErrors(error, prefix);
  const fields = Object.keys(errors);
  const shown = fields.slice(0, 5).map((f) => `${f} ${errors[f]}`);
  const more = fields.length > 5 ? ` (and ${fields.length - 5} more)` : '';
  return new ApiError(400, `invalid ${what}: ${shown.join('; ')}${more}`, errors);
}

/** the one error handler: expected failures answer their status; anything else is a 500 with no detail */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    const body: ErrorBody = err.errors
      ? { message: err.message, errors: err.errors }
      : { message: err.message };
    return c.json(body, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json({ message: err.message || 'request failed' } satisfies ErrorBody, status);
  }
  console.error(`[${c.req.method} ${c.req.path}]`, err);
  return c.json({ message: 'internal error' } satisfies ErrorBody, 500);
}

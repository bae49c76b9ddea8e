import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { ApiError, invalid } from './errors.ts';

/** the request's JSON body, validated: 400 naming each bad field, or the body when it is not JSON at all */
export async function parseBody<T extends z.ZodType>(
  c: Context,
  schema: T,
  what: string,
): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, `the ${what} must be a JSON object`, { '(body)': 'not valid JSON' });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error, what);
  return parsed.data;
}

/** the route's numeric `:id`: 400 naming it unless it is a positive integer */
export function idParam(c: Context): number {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id < 1)
    throw new ApiError(400, 'id must be a positive integer', { id: 'must be a positive integer' });
  return id;
}

/** the version a decision or step is made on: the If-Match header or the body's `version` */
export function versionOf(c: Context, body: { version?: number | undefined }): number | undefined {
  const header = c.req.header('If-Match');
  if (header !== undefined) {
    const v = Number(header.replace(/^W\//, '').replace(/"/g, ''));
    if (!Number.isSafeInteger(v) || v < 1)
      throw new ApiError(400, 'If-Match must be the version you read', {
        version: 'If-Match is not a version',
      });
    return v;
  }
  return body.version;
}

/** the largest JSON body a console or platform call (other than ingestion) takes */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** refuses a larger body with 413 before it is read whole */
export const jsonBodyLimit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, `request body is larger than ${MAX_JSON_BODY_BYTES} bytes`);
  },
});

import type { z } from 'zod';
import type { Permission } from '../auth/permissions.ts';

/**
 * What the API reference says about one route. The schemas are the very zod objects the route validates with
 * (request bodies, queries) and the ones its answers and the mocks are checked against (responses), so the
 * document is generated from them and cannot drift from what the server accepts.
 */

/**
 * Who may call a route: a permission of the matrix (a console session holding it), any signed-in session,
 * anyone, or one of the platform's credentials (Bearer write key, Segment's Basic write key, Bearer service
 * token). The same words as test/server/permissions-matrix.test.ts.
 */
export type Access =
  | Permission
  | 'signed-in'
  | 'public'
  | 'write-key'
  | 'segment-write-key'
  | 'service-token';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** a named example, as OpenAPI's Example Object: tests parse each `value` with the schema it illustrates */
export interface Example {
  summary: string;
  description?: string;
  value: unknown;
}
export type Examples = Record<string, Example>;

/** a plain JSON Schema fragment, for what no zod schema validates (path parameters, headers, the list dialect) */
export type JsonSchema = Record<string, unknown>;

export interface Param {
  description: string;
  schema: JsonSchema;
  required?: boolean;
  example?: unknown;
}

/**
 * A list in the ra-data-simple-rest dialect: `sort`, `range` and `filter` (each a JSON value in the query),
 * answered as a JSON array with Content-Range. `columns` are the filter keys the dialect compares (equality,
 * an array for IN, suffixes _gte _gt _lte _lt _neq); `custom` the keys the route reads itself, with what each
 * means. test/server/openapi.test.ts checks both lists and `sortable` against the running routes.
 */
export interface ListSpec {
  sortable: readonly string[];
  defaultSort: [string, 'ASC' | 'DESC'];
  columns: readonly string[];
  custom?: Record<string, string>;
  /** filter keys the dialect knows but the route fixes itself (credentials: `kind`): not offered */
  fixed?: readonly string[];
  /** the longest page `range` may ask for (MAX_PAGE unless the resource allows more) */
  maxPage?: number;
  /** whether `sort` and `range` are read (the CSV export reads only `filter`) */
  filterOnly?: boolean;
}

export interface RequestBody {
  schema: z.ZodType;
  description?: string;
  examples?: Examples;
  /** false when a body may be left out */
  required?: boolean;
}

export interface Success {
  status: 200 | 201 | 204;
  description: string;
  /** the answer's schema; a list answers an array of it */
  schema?: z.ZodType;
  /** a dialect list: an array of `schema` with Content-Range */
  list?: boolean;
  /** application/json unless said otherwise (CSV, server-sent events, NDJSON, HTML, assets) */
  contentType?: string;
  /** for a non-JSON answer: what the body is */
  raw?: JsonSchema;
  /** response headers other than Content-Range, by name */
  headers?: Record<string, Param>;
  examples?: Examples;
  /** OpenAPI extensions on the media type, e.g. the schema of each NDJSON line */
  extensions?: Record<string, unknown>;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export interface Operation {
  method: Method;
  /** the route as Hono registers it (`/api/licenses/:id`) */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** each `:name` of the path */
  pathParams?: Record<string, Param>;
  /** a query validated by a zod object: one parameter per key */
  query?: { schema: z.ZodObject; examples?: Examples };
  /** query parameters the route reads by hand */
  queryParams?: Record<string, Param>;
  list?: ListSpec;
  headers?: Record<string, Param>;
  body?: RequestBody;
  ok: Success;
  /**
   * error statuses beyond those the access, body, list and parameters imply (401/403 of the guard, 400 of
   * bad input, 413 of a large body, 403/415 of a cookie mutation)
   */
  errors?: ErrorStatus[];
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions.ts';
import { MAX_PAGE } from '../http/dialect.ts';
import { eventEnvelopeSchema, occurredAtSchema } from '../ingest/schemas.ts';
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from './components.ts';
import type { Access, ErrorStatus, JsonSchema, ListSpec, Operation, Param } from './model.ts';
import { OPERATIONS } from './operations.ts';

/**
 * Builds the OpenAPI 3.1 document from the operations (operations.ts) and the zod schemas they name,
 * converted with zod's own z.toJSONSchema (draft 2020-12, the dialect OpenAPI 3.1 uses).
 */

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
};

const TAGS: Array<{ name: string; description: string }> = [
  { name: 'Ingestion', description: 'The platform sends its tracking events (write keys).' },
  {
    name: 'Platform',
    description: "The platform's other calls: licence check, credit estimate (service tokens).",
  },
  { name: 'Auth', description: 'Sign-in, the session and the permission matrix.' },
  { name: 'Completeness', description: 'Live event-completeness counters per UTC+8 day.' },
  { name: 'Events', description: 'Stored events with their violations.' },
  { name: 'Exports', description: 'Data leaving the console.' },
  { name: 'Metrics', description: 'The metrics board (指标看板): one chart per call.' },
  { name: 'Tracking plan', description: 'The tracking plan, read-only.' },
  { name: 'Enums', description: 'Enums and their governance: proposals, approvals, history, impact.' },
  { name: 'Users', description: 'Users and roles (admin).' },
  { name: 'Write keys', description: 'Ingestion write keys (admin).' },
  { name: 'Service tokens', description: "Tokens of the platform's other calls (admin)." },
  { name: 'Audit', description: 'The append-only, hash-chained audit log.' },
  { name: 'Licences', description: 'Template licence applications and their review.' },
  { name: 'Tasks', description: 'Generation tasks assembled from their events.' },
  { name: 'Alerts', description: 'The risk-alert inbox.' },
  { name: 'Ledger', description: 'The credits ledger: charges, refunds and their approval.' },
  { name: 'Reference', description: 'This document and its interactive page.' },
  { name: 'Health', description: 'Readiness.' },
];

const ERRORS: Record<ErrorStatus, { name: string; description: string; headers?: Record<string, unknown> }> =
  {
    400: {
      name: 'BadRequest',
      description: 'Bad input: `errors` names each bad field (or query parameter, or header).',
    },
    401: {
      name: 'Unauthorized',
      description:
        'No session (console routes), or a missing, unknown or revoked write key or service token (with a WWW-Authenticate challenge).',
      headers: {
        'WWW-Authenticate': {
          description: 'on write key and service token routes: `Bearer realm="…"` or `Basic realm="ingest"`',
          schema: { type: 'string' },
        },
      },
    },
    403: {
      name: 'Forbidden',
      description:
        "The role lacks the permission (audited as access.denied), a rule of the resource refuses this user (e.g. approving one's own request), or a cookie-authenticated mutation without the console's own Origin.",
    },
    404: { name: 'NotFound', description: 'No such record.' },
    409: {
      name: 'Conflict',
      description: 'Stale version, a state that no longer allows this, or a duplicate.',
    },
    413: {
      name: 'PayloadTooLarge',
      description: 'The body is over 64 KiB (an ingestion batch: over 1 MB or 1000 events).',
    },
    415: {
      name: 'UnsupportedMediaType',
      description:
        'A cookie-authenticated mutation must be sent as JSON (Content-Type: application/json), even without a body.',
    },
    422: {
      name: 'UnprocessableContent',
      description: 'Well-formed but breaks a rule (inactive code, refund bound, …).',
    },
    429: {
      name: 'TooManyRequests',
      description: 'Too many failed sign-ins; try again after Retry-After seconds.',
      headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer', minimum: 1 } } },
    },
  };

const SECURITY: Record<Exclude<Access, 'public'>, string> = {
  'signed-in': 'session',
  'write-key': 'writeKey',
  'segment-write-key': 'segmentWriteKey',
  'service-token': 'serviceToken',
  ...(Object.fromEntries(Object.keys(PERMISSIONS).map((p) => [p, 'session'])) as Record<
    keyof typeof PERMISSIONS,
    string
  >),
};
const CREDENTIALS = new Set<Access>(['write-key', 'segment-write-key', 'service-token']);

const SECURITY_SCHEMES = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'lc_session',
    description:
      "The console session, set by POST /api/auth/login (named `__Host-lc_session` over HTTPS). Cookie-authenticated mutations must carry the console's own Origin and be JSON.",
  },
  writeKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'An ingestion write key of a source team: `Authorization: Bearer <write key>`.',
  },
  segmentWriteKey: {
    type: 'http',
    scheme: 'basic',
    description: "Segment's form: the write key as the Basic user name, no password.",
  },
  serviceToken: {
    type: 'http',
    scheme: 'bearer',
    description: "A service token of the platform's calls: `Authorization: Bearer <service token>`.",
  },
};

/** Hono's `/api/licenses/:id` as OpenAPI's `/api/licenses/{id}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** getLicensesByIdApprove, postV1Batch */
function operationId(op: Operation): string {
  const words = op.path
    .split('/')
    .filter((s) => s && s !== 'api')
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [op.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

/** the envelope's `properties`: a plain-object check zod cannot express as JSON Schema */
const ENVELOPE_PROPERTIES = eventEnvelopeSchema.shape.properties.unwrap().unwrap();

type Io = 'input' | 'output';
const SAFE_INT = Number.MAX_SAFE_INTEGER;

function conversion(io: Io) {
  return {
    target: 'draft-2020-12' as const,
    io,
    unrepresentable: (ctx: { zodSchema: unknown }): z.core.JSONSchema.JSONSchema | 'throw' =>
      ctx.zodSchema === ENVELOPE_PROPERTIES
        ? {
            type: 'object',
            additionalProperties: true,
            description: "the event's properties, validated against the tracking plan after the envelope",
          }
        : 'throw',
    override: (ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }) => {
      const json = ctx.jsonSchema;
      if (ctx.zodSchema === occurredAtSchema) {
        json.format = 'date-time';
        json.description =
          'ISO-8601 date-time with an explicit offset (Z or ±hh:mm), e.g. 2026-11-25T10:00:00+08:00';
      }
      // a plain z.object strips unknown keys when it parses; the server's answers are not parsed, so say nothing
      const def = ctx.zodSchema._zod.def;
      if (io === 'output' && def.type === 'object' && def.catchall === undefined)
        delete json.additionalProperties;
      // a tuple: `items: false` is 2020-12 for "nothing after prefixItems"; Swagger UI cannot render it,
      // and maxItems says the same
      if (Array.isArray(json.prefixItems) && json.items === false) {
        delete json.items;
        json.maxItems = json.prefixItems.length;
      }
      // integers are bounded to the safe range by zod: noise to a reader
      if (json.minimum === -SAFE_INT) delete json.minimum;
      if (json.maximum === SAFE_INT) delete json.maximum;
    },
  };
}

/** one registry per direction, converted as a whole so that named parts become $refs */
function convertComponents(entries: ReadonlyArray<readonly [z.ZodType, string]>, io: Io) {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    ...conversion(io),
    uri: (id) => `#/components/schemas/${id}`,
  }) as unknown as { schemas: Record<string, Record<string, unknown>> };
  for (const [id, schema] of Object.entries(schemas)) {
    delete schema.$schema;
    delete schema.$id;
    if (schema.$defs)
      throw new Error(`components.schemas.${id} has $defs: name the shared part in components.ts`);
  }
  return schemas;
}

function param(name: string, where: 'path' | 'query' | 'header', p: Param, required = p.required ?? false) {
  return {
    name,
    in: where,
    description: p.description,
    required: where === 'path' ? true : required,
    schema: p.schema,
    ...(p.example === undefined ? {} : { example: p.example }),
  };
}

const SCALAR = { type: ['string', 'number', 'boolean'] };

/** sort, range and filter of a dialect list, each a JSON value in the query (OpenAPI's `content` form) */
function listParams(list: ListSpec) {
  const suffixes = '_gte _gt _lte _lt _neq';
  const properties: Record<string, JsonSchema> = {};
  for (const c of list.columns)
    properties[c] = {
      description: 'equals; an array means any of',
      anyOf: [SCALAR, { type: 'array', items: SCALAR }],
    };
  for (const [k, description] of Object.entries(list.custom ?? {})) properties[k] = { description };
  const filter: JsonSchema = {
    type: 'object',
    properties,
    ...(list.columns.length
      ? { patternProperties: { [`^(${list.columns.join('|')})_(gte|gt|lte|lt|neq)$`]: { ...SCALAR } } }
      : {}),
    additionalProperties: false,
  };
  // OpenAPI's `content` form: the value is JSON; its example sits beside its schema
  const json = (schema: JsonSchema, example: unknown) => ({ 'application/json': { schema, example } });
  const maxPage = list.maxPage ?? MAX_PAGE;
  const params: Array<Record<string, unknown>> = [];
  if (!list.filterOnly) {
    params.push(
      {
        name: 'sort',
        in: 'query',
        description: `\`["field","ASC"|"DESC"]\`; sortable: ${list.sortable.join(', ')} (default \`${JSON.stringify(list.defaultSort)}\`)`,
        content: json(
          {
            type: 'array',
            prefixItems: [
              { type: 'string', enum: [...list.sortable] },
              { type: 'string', enum: ['ASC', 'DESC', 'asc', 'desc'] },
            ],
            minItems: 2,
            maxItems: 2,
          },
          list.defaultSort,
        ),
      },
      {
        name: 'range',
        in: 'query',
        description: `\`[from, to]\`, both included, at most ${maxPage} records (default \`[0,24]\`)`,
        content: json(
          {
            type: 'array',
            prefixItems: [
              { type: 'integer', minimum: 0 },
              { type: 'integer', minimum: 0 },
            ],
            minItems: 2,
            maxItems: 2,
          },
          [0, 24],
        ),
      },
    );
  }
  params.push({
    name: 'filter',
    in: 'query',
    description: `a JSON object; keys${list.columns.length ? `: ${list.columns.join(', ')} (equality, an array for any of, suffixes ${suffixes} compare)` : ''}${
      list.custom
        ? `${list.columns.length ? ';' : ':'} ${Object.entries(list.custom)
            .map(([k, v]) => `${k} (${v})`)
            .join(', ')}`
        : ''
    }. An unknown key is a 400.`,
    content: json(filter, {}),
  });
  return params;
}

function accessNote(access: Access): string {
  if (access === 'public') return 'No sign-in.';
  if (access === 'signed-in') return 'Any signed-in user.';
  if (access === 'write-key') return 'A write key (Bearer).';
  if (access === 'segment-write-key') return 'A write key (Basic, as the user name).';
  if (access === 'service-token') return 'A service token (Bearer).';
  return `Needs \`${access}\` (${PERMISSIONS[access].join(', ')}).`;
}

/** the error statuses an operation can answer: those its access, input and mount imply, and its own */
function errorStatuses(op: Operation): ErrorStatus[] {
  const out = new Set<ErrorStatus>(op.errors ?? []);
  if (op.access !== 'public') out.add(401);
  if (op.access in PERMISSIONS) out.add(403);
  // the console's cookie mutations (everything under /api but the platform's calls): Origin and JSON
  if (op.method !== 'GET' && !CREDENTIALS.has(op.access) && op.path.startsWith('/api/')) {
    out.add(403);
    out.add(415);
  }
  if (op.body) {
    out.add(400);
    out.add(413);
  }
  const numericPath = Object.values(op.pathParams ?? {}).some((p) => p.schema.type === 'integer');
  const requiredHeader = Object.values(op.headers ?? {}).some((h) => h.required);
  if (op.list || op.query || op.queryParams || numericPath || requiredHeader) out.add(400);
  return [...out].sort((a, b) => a - b);
}

function schemaRef(schema: z.ZodType, names: Map<z.ZodType, string>, where: string) {
  const name = names.get(schema);
  if (!name) throw new Error(`${where}: its schema has no name in server/openapi/components.ts`);
  return { $ref: `#/components/schemas/${name}` };
}

function operationObject(
  op: Operation,
  requestNames: Map<z.ZodType, string>,
  responseNames: Map<z.ZodType, string>,
) {
  const where = `${op.method} ${op.path}`;
  const pathNames = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const parameters: Array<Record<string, unknown>> = [];
  for (const name of pathNames) {
    const p = op.pathParams?.[name];
    if (!p) throw new Error(`${where}: path parameter ${name} is not described`);
    parameters.push(param(name, 'path', p));
  }
  if (op.query) {
    const json = z.toJSONSchema(op.query.schema, conversion('input')) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      const example = Object.values(op.query.examples ?? {})[0]?.value as Record<string, unknown> | undefined;
      parameters.push({
        name,
        in: 'query',
        required: json.required?.includes(name) ?? false,
        schema,
        ...(example?.[name] === undefined ? {} : { example: example[name] }),
      });
    }
  }
  for (const [name, p] of Object.entries(op.queryParams ?? {})) parameters.push(param(name, 'query', p));
  if (op.list) parameters.push(...listParams(op.list));
  for (const [name, p] of Object.entries(op.headers ?? {})) parameters.push(param(name, 'header', p));

  const ok = op.ok;
  const okSchema = ok.schema ? schemaRef(ok.schema, responseNames, where) : undefined;
  const okHeaders: Record<string, unknown> = {};
  if (ok.list) okHeaders['Content-Range'] = { $ref: '#/components/headers/ContentRange' };
  for (const [name, h] of Object.entries(ok.headers ?? {}))
    okHeaders[name] = { description: h.description, schema: h.schema };
  const okContent =
    ok.status === 204
      ? undefined
      : {
          [ok.contentType ?? 'application/json']: {
            schema: ok.raw ?? (ok.list ? { type: 'array', items: okSchema } : okSchema),
            ...(ok.examples ? { examples: ok.examples } : {}),
            ...(ok.extensions ?? {}),
          },
        };

  const responses: Record<string, unknown> = {
    [String(ok.status)]: {
      description: ok.description,
      ...(Object.keys(okHeaders).length ? { headers: okHeaders } : {}),
      ...(okContent ? { content: okContent } : {}),
    },
  };
  for (const status of errorStatuses(op))
    responses[String(status)] = { $ref: `#/components/responses/${ERRORS[status].name}` };

  const permission = op.access in PERMISSIONS ? { 'x-permission': op.access } : {};
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, accessNote(op.access)].filter(Boolean).join('\n\n'),
    ...permission,
    security: op.access === 'public' ? [] : [{ [SECURITY[op.access]]: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required ?? true,
            ...(op.body.description ? { description: op.body.description } : {}),
            content: {
              'application/json': {
                schema: schemaRef(op.body.schema, requestNames, where),
                ...(op.body.examples ? { examples: op.body.examples } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

const packageVersion = () =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

/** the whole document; `operations` defaults to every route's (tests pass others) */
export function buildDocument(operations: readonly Operation[] = OPERATIONS): OpenApiDocument {
  const requestNames = new Map(REQUEST_SCHEMAS.map(([s, n]) => [s, n]));
  const responseNames = new Map(RESPONSE_SCHEMAS.map(([s, n]) => [s, n]));
  for (const [schema, name] of requestNames)
    if (responseNames.has(schema)) throw new Error(`${name} is named both as a request and as a response`);
  const schemas = { ...convertComponents(REQUEST_SCHEMAS, 'input') };
  for (const [id, schema] of Object.entries(convertComponents(RESPONSE_SCHEMAS, 'output'))) {
    if (schemas[id]) throw new Error(`components.schemas.${id} is named twice`);
    schemas[id] = schema;
  }

  const paths: OpenApiDocument['paths'] = {};
  const ids = new Set<string>();
  for (const op of operations) {
    const path = openApiPath(op.path);
    const method = op.method.toLowerCase();
    paths[path] ??= {};
    if (paths[path][method]) throw new Error(`${op.method} ${op.path} is documented twice`);
    const o = operationObject(op, requestNames, responseNames);
    if (ids.has(o.operationId)) throw new Error(`operationId ${o.operationId} is used twice`);
    ids.add(o.operationId);
    paths[path][method] = o;
  }

  const responses: Record<string, unknown> = {};
  for (const e of Object.values(ERRORS))
    responses[e.name] = {
      description: e.description,
      ...(e.headers ? { headers: e.headers } : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };

  return {
    openapi: '3.1.1',
    info: {
      title: 'Landing Console API',
      version: packageVersion(),
      description: [
        'The operations & compliance console of the Phase 1 landing: event ingestion, completeness checks, licence review, the credits ledger, enum governance.',
        'Console resources speak the ra-data-simple-rest dialect: `GET /api/<resource>?sort=["field","ASC"]&range=[0,24]&filter={...}` answers a JSON array with `Content-Range: <resource> 0-24/319`. Errors are `{"message": "...", "errors": {"field": "why"}}`; never a stack trace.',
        'Sensitive fields (hashed user/account ids, approver ids) are masked (`a3f1••••••`) for roles other than product_planner, data_analyst and compliance_reviewer.',
        'Generated from the zod schemas the routes validate with (server/openapi/).',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'this console' }],
    tags: TAGS,
    paths,
    components: {
      schemas,
      responses,
      headers: {
        ContentRange: {
          description: 'the page and the total: `<resource> <from>-<to>/<total>`',
          schema: { type: 'string' },
          example: 'licenses 0-24/319',
        },
      },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Role } from '../../server/auth/permissions.ts';
import { buildDocument, openApiPath } from '../../server/openapi/document.ts';
import {
  estimateExamples,
  ingestExamples,
  licenseCheckExamples,
  segmentExamples,
} from '../../server/openapi/examples.ts';
import type { Examples, Operation } from '../../server/openapi/model.ts';
import { OPERATIONS } from '../../server/openapi/operations.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import { KEYS, ORIGIN, type TestApp, testApp } from './helpers.ts';

/**
 * The API reference (server/openapi/): complete (every registered route documented, nothing documented that
 * is not registered), structurally valid OpenAPI 3.1, true to the running routes (access, list sort and
 * filter keys) and with examples that the schemas accept and the server answers as shown.
 */

const SERVICE_TOKEN = 'test-service-token-openapi';

const apps: TestApp[] = [];
function app() {
  const t = testApp();
  createWriteKey(t.db, {
    kind: 'service_token',
    source: 'platform-integration',
    label: 'openapi test',
    createdAt: t.now.toISOString(),
    key: SERVICE_TOKEN,
  });
  apps.push(t);
  return t;
}
afterEach(() => {
  for (const t of apps.splice(0)) {
    t.hub.close();
    t.cleanup();
  }
});

const doc = buildDocument();
type OperationObject = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { examples?: Examples }> };
  responses: Record<string, { content?: Record<string, { examples?: Examples }> }>;
  'x-permission'?: string;
};
const operationOf = (method: string, path: string) =>
  doc.paths[openApiPath(path)]?.[method.toLowerCase()] as OperationObject | undefined;

/** the app's routes as `METHOD /path`: less middleware (ALL) and the SPA's static fallbacks */
const registeredRoutes = (t: TestApp) =>
  [
    ...new Set(
      t.app.routes
        .filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*')
        .map((r) => `${r.method} ${openApiPath(r.path)}`),
    ),
  ].sort();

describe('completeness', () => {
  it('documents every route the app registers, and only those', () => {
    const t = app();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const registered = registeredRoutes(t);
    expect(
      registered.filter((r) => !documented.includes(r)),
      'registered but not documented',
    ).toEqual([]);
    expect(
      documented.filter((r) => !registered.includes(r)),
      'documented but not registered',
    ).toEqual([]);
    expect(documented.length).toBe(OPERATIONS.length);
  });
});

describe('the document', () => {
  it('is valid OpenAPI 3.1 by its published JSON schema', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('resolves every $ref within itself', () => {
    const pointer = (ref: string) =>
      ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((r) => !r.startsWith('#/') || pointer(r) === undefined)).toEqual([]);
  });

  it('declares every path parameter, required, and no other', () => {
    const problems: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
      for (const [method, op] of Object.entries(methods) as Array<[string, OperationObject]>) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        if (declared.some((p) => p.required !== true))
          problems.push(`${method} ${path}: optional path parameter`);
        const names = declared.map((p) => p.name).sort();
        if (JSON.stringify(names) !== JSON.stringify(inPath))
          problems.push(
            `${method} ${path}: declares ${names.join(',') || 'none'}, path has ${inPath.join(',')}`,
          );
        const keys = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
        if (new Set(keys).size !== keys.length) problems.push(`${method} ${path}: a parameter twice`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation a unique operationId and its permission', () => {
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m)) as OperationObject[];
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of OPERATIONS)
      if (op.access in PERMISSIONS) expect(operationOf(op.method, op.path)?.['x-permission']).toBe(op.access);
  });
});

/** a path with its parameters filled in (an integer id 1, a text id `x`, an enum's first value) */
function concretePath(op: Operation): string {
  return op.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const schema = op.pathParams?.[name]?.schema ?? {};
    if (Array.isArray(schema.enum)) return String(schema.enum[0]);
    return schema.type === 'integer' ? '1' : 'x';
  });
}

describe('access, as documented, is what the routes enforce', () => {
  it('no session or credential: 401 on every console and platform route, nothing asked of public ones', async () => {
    const t = app();
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const op of OPERATIONS) {
      const res = await t.app.request(concretePath(op), {
        method: op.method,
        headers: op.method === 'GET' ? {} : { Origin: ORIGIN, 'Content-Type': 'application/json' },
        ...(op.method === 'GET' ? {} : { body: '{}' }),
      });
      await res.body?.cancel();
      const key = `${op.method} ${op.path}`;
      const challenge = res.headers.get('WWW-Authenticate') ? ' with a challenge' : '';
      outcomes[key] = res.status === 401 ? `401${challenge}` : res.status === 403 ? '403' : 'not refused';
      expected[key] =
        op.access === 'public'
          ? 'not refused'
          : ['write-key', 'segment-write-key', 'service-token'].includes(op.access)
            ? '401 with a challenge'
            : '401';
    }
    expect(outcomes).toEqual(expected);
  });

  it('a role without the documented permission is refused naming it', async () => {
    const t = app();
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const op of OPERATIONS) {
      if (!(op.access in PERMISSIONS)) continue;
      const permission = op.access as keyof typeof PERMISSIONS;
      const holders: readonly Role[] = PERMISSIONS[permission];
      const outsider = ROLES.find((r) => !holders.includes(r));
      if (!outsider) continue; // everyone holds it
      const user = t.as(outsider);
      const res =
        op.method === 'GET'
          ? await user.get(concretePath(op))
          : await user.send(op.method, concretePath(op), {});
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      const key = `${op.method} ${op.path}`;
      outcomes[key] = `${res.status} ${body.message ?? ''}`;
      expected[key] = `403 your role may not do this (needs ${permission})`;
    }
    expect(Object.keys(expected).length).toBeGreaterThan(30);
    expect(outcomes).toEqual(expected);
  });
});

describe('dialect lists, as documented', () => {
  const lists = OPERATIONS.filter((op) => op.list);

  /** a role holding the list's permission, one that reads ids in clear when there is one */
  const readerOf = (op: Operation): Role => {
    const holders: readonly Role[] = PERMISSIONS[op.access as keyof typeof PERMISSIONS];
    const clear: readonly Role[] = PERMISSIONS['sensitive:read'];
    return holders.find((r) => clear.includes(r)) ?? holders[0]!;
  };
  const query = (q: Record<string, unknown>) =>
    `?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, JSON.stringify(v)]))}`;

  it('sorts by exactly the documented fields', async () => {
    const t = app();
    const actual: Record<string, string[]> = {};
    const documented: Record<string, string[]> = {};
    for (const op of lists) {
      const res = await t.as(readerOf(op)).get(`${op.path}${query({ sort: ['not_a_field', 'ASC'] })}`);
      const body = (await res.json()) as { errors?: Record<string, string> };
      actual[op.path] = (body.errors?.sort?.split('sortable: ')[1] ?? '').split(', ').sort();
      documented[op.path] = [...op.list!.sortable].sort();
    }
    expect(actual).toEqual(documented);
  });

  it('documents every filter key the route knows, and the route knows every documented key', async () => {
    const t = app();
    const undocumented: string[] = [];
    const unknown: string[] = [];
    for (const op of lists) {
      const spec = op.list!;
      const reader = t.as(readerOf(op));
      const documented = new Set([...spec.columns, ...Object.keys(spec.custom ?? {}), ...(spec.fixed ?? [])]);
      const probe = await reader.get(`${op.path}${query({ filter: { not_a_filter: 1 } })}`);
      const errors = ((await probe.json()) as { errors?: Record<string, string> }).errors ?? {};
      const known = (errors['filter.not_a_filter'] ?? '').replace('unknown filter; known: ', '').split(', ');
      for (const k of known) if (!documented.has(k)) undocumented.push(`${op.path} ${k}`);
      // columns compare and take arrays; the dialect names them: a column documented as one must be one
      for (const c of spec.columns) if (!known.includes(c)) unknown.push(`${op.path} ${c} (not a column)`);
      for (const key of [...spec.columns, ...Object.keys(spec.custom ?? {})]) {
        const res = await reader.get(`${op.path}${query({ filter: { [key]: null } })}`);
        const body = (await res.json().catch(() => ({}))) as { errors?: Record<string, string> };
        if (body.errors?.[`filter.${key}`]?.startsWith('unknown filter')) unknown.push(`${op.path} ${key}`);
      }
    }
    expect(undocumented, 'filters the routes know that the document does not list').toEqual([]);
    expect(unknown, 'documented filters the routes do not know').toEqual([]);
  });

  it('takes pages up to the documented size', async () => {
    const t = app();
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const op of lists.filter((o) => !o.list!.filterOnly)) {
      const max = op.list!.maxPage ?? 1000;
      const reader = t.as(readerOf(op));
      const full = await reader.get(`${op.path}${query({ range: [0, max - 1] })}`);
      const over = await reader.get(`${op.path}${query({ range: [0, max] })}`);
      outcomes[op.path] = `${full.status} ${over.status}`;
      expected[op.path] = '200 400';
    }
    expect(outcomes).toEqual(expected);
  });
});

describe('examples', () => {
  it('each parses with the schema it illustrates', () => {
    const failures: string[] = [];
    const check = (
      where: string,
      schema: { safeParse: (v: unknown) => { success: boolean } },
      ex?: Examples,
    ) => {
      for (const [name, e] of Object.entries(ex ?? {}))
        if (!schema.safeParse(e.value).success) failures.push(`${where} ${name}`);
    };
    let count = 0;
    for (const op of OPERATIONS) {
      const where = `${op.method} ${op.path}`;
      if (op.body) check(`${where} request`, op.body.schema, op.body.examples);
      if (op.query) check(`${where} query`, op.query.schema, op.query.examples);
      if (op.ok.schema && !op.ok.list) check(`${where} response`, op.ok.schema, op.ok.examples);
      for (const ex of [op.body?.examples, op.query?.examples, op.ok.examples])
        count += Object.keys(ex ?? {}).length;
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(15);
  });

  it('the platform-facing calls have request and response examples in the document', () => {
    for (const [method, path] of [
      ['POST', '/api/events'],
      ['POST', '/v1/batch'],
      ['POST', '/v1/track'],
      ['POST', '/api/credits/estimate'],
    ] as const) {
      const op = operationOf(method, path)!;
      expect(Object.keys(op.requestBody?.content['application/json']?.examples ?? {}), path).not.toHaveLength(
        0,
      );
      expect(
        Object.keys(op.responses['200']?.content?.['application/json']?.examples ?? {}),
        path,
      ).not.toHaveLength(0);
    }
    const check = operationOf('GET', '/api/licenses/check')!;
    expect(check.parameters?.map((p) => [p.name, p.required, 'example' in p])).toEqual([
      ['account_id', true, true],
      ['template_id', true, true],
    ]);
    expect(Object.keys(check.responses['200']?.content?.['application/json']?.examples ?? {})).toHaveLength(
      3,
    );
  });

  it('POST /api/events answers its examples as shown', async () => {
    const t = app();
    const one = await t.post('/api/events', ingestExamples.request.one.value);
    expect(await one.json()).toEqual(ingestExamples.response.one.value);
    const again = await t.post('/api/events', ingestExamples.request.one.value);
    expect(await again.json()).toEqual(ingestExamples.response.duplicate.value);
    const batch = await t.post('/api/events', ingestExamples.request.batch.value);
    expect(await batch.json()).toEqual(ingestExamples.response.batch.value);
  });

  it('the Segment calls answer their examples as shown', async () => {
    const basic = { Authorization: `Basic ${Buffer.from(`${KEYS.frontend}:`).toString('base64')}` };
    const track = await app().post('/v1/track', segmentExamples.track.value, null, basic);
    expect(await track.json()).toEqual(segmentExamples.trackResponse.value);
    const batch = await app().post('/v1/batch', segmentExamples.batch.value, null, basic);
    expect(await batch.json()).toEqual(segmentExamples.batchResponse.value);
  });

  it('the licence check and the estimate answer their examples', async () => {
    const t = app();
    const bearer = { Authorization: `Bearer ${SERVICE_TOKEN}` };
    const check = await t.app.request(
      `/api/licenses/check?${new URLSearchParams(licenseCheckExamples.query.check.value)}`,
      { headers: bearer },
    );
    // nothing applied for on a fresh database
    expect(await check.json()).toEqual(licenseCheckExamples.response.none.value);

    const minimal = await t.post(
      '/api/credits/estimate',
      estimateExamples.request.minimal.value,
      null,
      bearer,
    );
    expect(await minimal.json()).toEqual(estimateExamples.response.rateTable.value);
    const spec = await t.post('/api/credits/estimate', estimateExamples.request.spec.value, null, bearer);
    expect(spec.status).toBe(200);
    const answer = (await spec.json()) as { precheck_balance: { account_id: string } | null };
    expect(answer.precheck_balance?.account_id).toBe(estimateExamples.request.spec.value.account_id);
  });
});

describe('serving it', () => {
  it('GET /api/openapi.json needs a session; any role reads it', async () => {
    const t = app();
    expect((await t.app.request('/api/openapi.json')).status).toBe(401);
    for (const role of ROLES) {
      const res = await t.as(role).get('/api/openapi.json');
      expect(res.status, role).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      if (role === 'engineer') expect(((await res.json()) as { openapi: string }).openapi).toBe(doc.openapi);
    }
  });

  it('GET /api/docs is a page of same-origin scripts and styles only, served with their types', async () => {
    const t = app();
    const page = await t.app.request('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const html = await page.text();

    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    const srcs = scripts.map(([, attrs, inline]) => {
      expect(inline?.trim(), 'no inline script').toBe('');
      return /\bsrc="([^"]+)"/.exec(attrs ?? '')?.[1] ?? '';
    });
    const styles = [...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!);
    for (const url of [...srcs, ...styles]) expect(url, 'same origin').toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either

    for (const src of srcs) {
      const res = await t.app.request(src);
      expect(res.status, src).toBe(200);
      expect(res.headers.get('Content-Type'), src).toMatch(/^text\/javascript/);
      const js = await res.text();
      if (src.endsWith('/docs.js')) expect(js).toContain('/api/openapi.json');
      else expect(js.length).toBeGreaterThan(100_000); // Swagger UI itself
    }
    for (const href of styles) {
      const res = await t.app.request(href);
      await res.body?.cancel();
      expect(res.status, href).toBe(200);
      expect(res.headers.get('Content-Type'), href).toMatch(/^(text\/css|image\/png)/);
    }
  });

  it('serves only its own files under /api/docs/', async () => {
    const t = app();
    for (const path of [
      '/api/docs/package.json',
      '/api/docs/..%2F..%2Fpackage.json',
      '/api/docs/index.html',
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    }
  });
});

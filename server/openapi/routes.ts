import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { DOCS_ASSETS, DOCS_PAGE, docsAsset, isDocsAsset } from './assets.ts';
import { buildDocument, type OpenApiDocument } from './document.ts';

/** any signed-in user, whatever their role (as GET /api/auth/me) */
const signedIn = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) throw new ApiError(401, 'sign in first');
  await next();
});

/**
 * GET /api/openapi.json (any signed-in user: the document maps every console route, so it is not handed to
 * anonymous callers; every role may already read the permission matrix it repeats), and the interactive
 * reference at GET /api/docs with its files under /api/docs/:asset (public: static files, no data).
 * Mounted in the console's /api sub-app, before the app's /api/* 404 and the SPA's fallback.
 */
export function openapiRoutes() {
  let doc: OpenApiDocument | undefined;
  return new Hono<AppEnv>()
    .get('/openapi.json', signedIn, (c) => {
      doc ??= buildDocument();
      return c.json(doc);
    })
    .get('/docs', (c) => c.html(DOCS_PAGE))
    .get('/docs/:asset', (c) => {
      const name = c.req.param('asset');
      if (!isDocsAsset(name)) throw new ApiError(404, `no file ${name} in the API reference`);
      return c.body(new Uint8Array(docsAsset(name)), 200, {
        'Content-Type': DOCS_ASSETS[name].type,
        'Cache-Control': 'public, max-age=3600',
      });
    });
}

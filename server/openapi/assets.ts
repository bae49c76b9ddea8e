import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The reference page's files, served from this server (no CDN: the machines have no network and the CSP is
 * script-src 'self'): Swagger UI from the swagger-ui-dist package, and our own initializer (docs.js) in
 * place of an inline script. A fixed list: the route serves these names and nothing else.
 */
const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const here = dirname(fileURLToPath(import.meta.url));

export const DOCS_ASSETS = {
  'swagger-ui-bundle.js': {
    file: join(swaggerUiDist, 'swagger-ui-bundle.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'swagger-ui.css': { file: join(swaggerUiDist, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { file: join(swaggerUiDist, 'favicon-32x32.png'), type: 'image/png' },
  'docs.js': { file: join(here, 'docs.js'), type: 'text/javascript; charset=utf-8' },
  'docs.css': { file: join(here, 'docs.css'), type: 'text/css; charset=utf-8' },
} as const;
export type DocsAsset = keyof typeof DOCS_ASSETS;

export const isDocsAsset = (name: string): name is DocsAsset => Object.hasOwn(DOCS_ASSETS, name);

const loaded = new Map<DocsAsset, Buffer>();
/** read once, on first use (the bundle is 1.8 MB) */
export function docsAsset(name: DocsAsset): Buffer {
  let body = loaded.get(name);
  if (!body) {
    body = readFileSync(DOCS_ASSETS[name].file);
    loaded.set(name, body);
  }
  return body;
}

/** the page: Swagger UI's stylesheet and script, then ours; no inline script or style */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Landing Console · API reference</title>
    <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" />
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
    <link rel="stylesheet" href="/api/docs/docs.css" />
  </head>
  <body>
    <div id="docs-status" role="status" hidden></div>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/docs.js"></script>
  </body>
</html>
`;

/**
 * Local only: the rendered API reference at /docs. Redoc's standalone bundle comes from
 * node_modules (no CDN, works offline) and reads the document from GET /openapi.json, the route
 * every deployment serves.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { problemAnswer, type HttpAnswer } from './http-api';

const REDOC_BUNDLE = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
const BUNDLE_PATH = '/docs/redoc.standalone.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Clienteling API reference</title>
  <style>body { margin: 0; }</style>
</head>
<body>
  <redoc spec-url="/openapi.json" hide-download-button="false"></redoc>
  <script src="${BUNDLE_PATH}"></script>
</body>
</html>
`;

/** Everything from this stack: the bundle's one outside reference (Redocly's footer logo) is not fetched, so the page works offline. */
const PAGE_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
].join('; ');

export const isApiReferencePath = (path: string): boolean =>
  path === '/docs' || path === '/docs/' || path === BUNDLE_PATH;

export async function serveApiReference(method: string, path: string): Promise<HttpAnswer> {
  if (method !== 'GET') return problemAnswer(404, 'not-found', 'Not Found', `No local route ${method} ${path}.`);
  if (path === BUNDLE_PATH) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' },
      body: await readFile(REDOC_BUNDLE),
    };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY },
    body: Buffer.from(PAGE),
  };
}

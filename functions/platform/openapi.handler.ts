/**
 * GET /openapi.json: the API description, public. It is the file `npm run openapi` generates from
 * the routes' own schemas (docs/openapi.json, kept fresh by a test), bundled in as data, so this
 * function carries no schema code and answers the same document on AWS and locally, except that
 * its first server is the address this API answers on (its public base URL: locally the stack's
 * `PORT`), so a client generated or tried from the document calls this API.
 */
import document from '../../docs/openapi.json';
import { loadConfig } from '../shared/config';
import { httpApi, publicRoute } from '../shared/http';

type Server = (typeof document.servers)[number];

/** The document's servers with this API's own address first (and not twice). */
export function servedServers(
  servers: readonly Server[],
  baseUrl: string,
): Array<Server | { url: string; description: string }> {
  return [
    { url: baseUrl, description: 'This API (the address this document was served from)' },
    ...servers.filter((server) => server.url !== baseUrl),
  ];
}

let body: string | undefined;
const servedBody = (): string =>
  (body ??= JSON.stringify({
    ...document,
    servers: servedServers(document.servers, loadConfig('publicBaseUrl').publicBaseUrl),
  }));

export const handler = httpApi({
  'GET /openapi.json': publicRoute({}, async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
    body: servedBody(),
  })),
});

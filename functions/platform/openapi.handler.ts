/**
 * GET /openapi.json: the API description, public. It is the file `npm run openapi` generates from
 * the routes' own schemas (docs/openapi.json, kept fresh by a test), bundled in as data, so this
 * function carries no schema code and answers the same document on AWS and locally.
 */
import document from '../../docs/openapi.json';
import { httpApi, publicRoute } from '../shared/http';

const body = JSON.stringify(document);

export const handler = httpApi({
  'GET /openapi.json': publicRoute({}, async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
    body,
  })),
});

/**
 * The committed outputs of `npm run openapi`: the document (docs/openapi.json, which GET
 * /openapi.json serves) and the TypeScript types of the typed client (test/support/api-types.ts).
 * A test renders both again and fails when a committed file is out of date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { REPO_ROOT } from '../local/defaults';
import { buildOpenApiDocument } from './document';

export const OPENAPI_FILE = join(REPO_ROOT, 'docs', 'openapi.json');
export const API_TYPES_FILE = join(REPO_ROOT, 'test', 'support', 'api-types.ts');

const TYPES_BANNER =
  "/**\n * The HTTP API's types, generated from docs/openapi.json by `npm run openapi` (openapi-typescript). Do not edit.\n */\n\n";

export async function renderOpenApiFiles(): Promise<{ document: string; types: string }> {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const document = await buildOpenApiDocument(version);
  const types = TYPES_BANNER + astToString(await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]));
  return { document: `${JSON.stringify(document, null, 2)}\n`, types };
}

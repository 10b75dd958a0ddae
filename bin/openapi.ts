/** `npm run openapi`: writes docs/openapi.json and the typed client's types from the routes' own schemas. */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from '../lib/local/defaults';
import { API_TYPES_FILE, OPENAPI_FILE, renderOpenApiFiles } from '../lib/openapi/files';

const { document, types } = await renderOpenApiFiles();
writeFileSync(OPENAPI_FILE, document);
writeFileSync(API_TYPES_FILE, types);
console.log(`wrote ${relative(REPO_ROOT, OPENAPI_FILE)} and ${relative(REPO_ROOT, API_TYPES_FILE)}`);

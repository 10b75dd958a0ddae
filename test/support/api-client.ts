/**
 * The e2e tests call the API as a consumer would: through openapi-fetch typed by the types
 * generated from docs/openapi.json, so a change of contract breaks the build where a consumer
 * would break. Every answer is also checked against the document (ajv): its status must be one
 * the operation documents, and a JSON body must match that status's schema.
 *
 *   const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: 'admin' }));
 *   const { data, response } = await admin.GET('/stores/{storeId}', { params: { path: { storeId } } });
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import createClient, { type Middleware } from 'openapi-fetch';
import document from '../../docs/openapi.json';
import type { paths } from './api-types';
import { baseUrl } from './e2e';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
const PATHS = document.paths as unknown as Record<string, Record<string, Operation>>;
const DOCUMENT_ID = 'openapi.json';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
// Answer schemas refer to the document's components; they resolve against the document itself.
ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
const validators = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: unknown): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    const anchored = JSON.parse(
      JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
    ) as object;
    validate = ajv.compile(anchored);
    validators.set(key, validate);
  }
  return validate;
}

const TEMPLATES = Object.keys(PATHS).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
}));

/** The document's path template a concrete request path belongs to (`/stores/nyc` → `/stores/{storeId}`), if any. */
export function documentedPathOf(method: string, path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return TEMPLATES.find((t) => t.pattern.test(bare) && PATHS[t.template]?.[method.toLowerCase()])?.template;
}

/** Fails the call when the answer is not one the document describes for this operation. */
export async function checkAnswer(method: string, schemaPath: string, response: Response): Promise<void> {
  const operation = PATHS[schemaPath]?.[method.toLowerCase()];
  const where = `${method} ${schemaPath} answered ${response.status}`;
  if (!operation) throw new Error(`${method} ${schemaPath} is not in docs/openapi.json`);
  const documented = operation.responses[String(response.status)];
  if (!documented)
    throw new Error(`${where}, a status the document does not list (${Object.keys(operation.responses).join(', ')})`);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const text = await response.clone().text();
  if (!documented.content) {
    if (text !== '') throw new Error(`${where} with a body, where the document says there is none`);
    return;
  }
  const media = documented.content[contentType];
  if (!media)
    throw new Error(
      `${where} as ${contentType || 'no content type'}, where the document says ${Object.keys(documented.content).join(', ')}`,
    );
  if (!/json/.test(contentType) || media.schema === undefined) return;
  const validate = validatorFor(`${method} ${schemaPath} ${response.status} ${contentType}`, media.schema);
  if (!validate(JSON.parse(text))) {
    throw new Error(
      `${where} with a body the document does not allow: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${text.slice(0, 2000)}`,
    );
  }
}

const checkedAgainstDocument: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    await checkAnswer(request.method, schemaPath, response);
    return undefined;
  },
};

/** The API as one caller (anonymous without a token), typed and checked against the document. */
export function apiClient(token?: string) {
  const client = createClient<paths>({
    baseUrl: baseUrl(),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    redirect: 'manual',
  });
  client.use(checkedAgainstDocument);
  return client;
}

export type ApiClient = ReturnType<typeof apiClient>;

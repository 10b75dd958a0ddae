/** The API description: generated from the manifest and the handlers' own schemas, complete both ways, and committed fresh. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { StoreInput } from '../../functions/stores/rules';
import { routeKey, routeTable } from '../../lib/functions';
import { buildOpenApiDocument, routeContracts } from '../../lib/openapi/document';
import { API_TYPES_FILE, OPENAPI_FILE, renderOpenApiFiles } from '../../lib/openapi/files';

type Operation = {
  security: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
};
type Document = { paths: Record<string, Record<string, Operation>> };

let document: Document;
beforeAll(async () => {
  document = (await buildOpenApiDocument('test')) as unknown as Document;
}, 60_000);

const documented = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
const operationOf = (key: string): Operation => {
  const [method, path] = key.split(' ') as [string, string];
  return document.paths[path]![method.toLowerCase()]!;
};

describe('the OpenAPI document', () => {
  it('describes every route of the manifest, and no route the manifest does not have', () => {
    expect(documented().sort()).toEqual(routeTable().map(routeKey).sort());
  });

  it('takes a request body from the schema the handler validates with', () => {
    const body = operationOf('PUT /stores/{storeId}').requestBody!.content['application/json']!.schema;
    const { $schema: _, ...expected } = z.toJSONSchema(StoreInput, { io: 'input' });
    expect(body).toEqual(expected);
  });

  it.each(routeTable().map((r) => [routeKey(r), r.auth] as const))(
    '%s: security and problem answers match its %s route',
    async (key, auth) => {
      const operation = operationOf(key);
      const contract = (await routeContracts()).get(key)!;
      if (auth === 'jwt') {
        expect(operation.security).toEqual([{ bearerJwt: [...contract.roles!] }]);
        expect(operation.responses['401']?.content).toHaveProperty(['application/problem+json']);
        expect(operation.responses['403']?.content).toHaveProperty(['application/problem+json']);
      } else {
        expect(operation.security.flatMap(Object.keys)).not.toContain('bearerJwt');
      }
      if (contract.params || contract.query || contract.body || contract.form)
        expect(operation.responses).toHaveProperty(['400']);
    },
  );

  it("names the webhooks' signature headers as their security", () => {
    expect(operationOf('POST /webhooks/twilio/sms').security).toEqual([{ twilioSignature: [] }]);
    expect(operationOf('POST /webhooks/twilio/status').security).toEqual([{ twilioSignature: [] }]);
    expect(operationOf('POST /webhooks/payments').security).toEqual([{ paymentSignature: [] }]);
  });

  it("is committed as generated: docs/openapi.json and the typed client's types are up to date (run npm run openapi)", async () => {
    const { document: json, types } = await renderOpenApiFiles();
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(json);
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(types);
  }, 60_000);
});

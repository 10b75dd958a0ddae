/** The API description: generated from the manifest and the handlers' own schemas, complete both ways, and committed fresh. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CustomerInput, StoreInput } from '../../functions/stores/schemas';
import { routeKey, routeTable } from '../../lib/functions';
import { buildOpenApiDocument, OPERATION_DOCS, routeContracts } from '../../lib/openapi/document';
import { OPERATION_IDS } from '../../lib/openapi/operation-ids';
import { API_TYPES_FILE, OPENAPI_FILE, renderOpenApiFiles } from '../../lib/openapi/files';

type Operation = {
  operationId: string;
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

  it('names every operation for generated clients: camelCase verbs, unique, none for a route that is gone', () => {
    const ids = documented().map((key) => operationOf(key).operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(
        /^(get|list|create|open|set|put|save|clear|remove|delete|erase|search|update|send|share|start|cancel|request|mark|enable|disable|view|receive)[A-Z][A-Za-z]*$/,
      );
    expect(Object.keys(OPERATION_IDS).sort()).toEqual(routeTable().map(routeKey).sort());
    expect(operationOf('POST /conversations/{conversationId}/messages').operationId).toBe('sendMessage');
    expect(operationOf('GET /inbox').operationId).toBe('listInbox');
  });

  it('takes a request body from the schema the handler validates with', () => {
    const body = operationOf('PUT /stores/{storeId}').requestBody!.content['application/json']!.schema;
    const { $schema: _, ...expected } = z.toJSONSchema(StoreInput, { io: 'input' });
    expect(body).toEqual(expected);
  });

  it('describes each customers/batch entry by the schema the handler checks it with, the required fields marked', () => {
    const batch = operationOf('POST /customers/batch').requestBody!.content['application/json']!.schema as {
      properties: { customers: { items: unknown } };
    };
    const { $schema: _, ...expected } = z.toJSONSchema(CustomerInput, { io: 'input' });
    expect(batch.properties.customers.items).toEqual(expected);
    expect(batch.properties.customers.items).toMatchObject({ type: 'object', required: ['email'] });
    expect(operationOf('POST /customers').requestBody!.content['application/json']!.schema).toEqual(expected);
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

describe('date-time fields (issue 24: sendAt shown as a date-time, no regex)', () => {
  it('are described by their format alone, without zod’s checking pattern', () => {
    const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    const dateTimes: Array<Record<string, unknown>> = [];
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (!Array.isArray(node) && schema.format === 'date-time') dateTimes.push(schema);
      for (const inner of Object.values(schema)) walk(inner);
    };
    walk(document);

    const sendAt =
      document.paths['/conversations/{conversationId}/messages'].post.requestBody.content['application/json'].schema
        .properties.sendAt;
    expect(sendAt).toEqual({ type: 'string', format: 'date-time' });
    expect(dateTimes.length).toBeGreaterThan(10);
    expect(dateTimes.filter((schema) => 'pattern' in schema)).toEqual([]);
  });
});

describe('examples (issue 24: response examples in /docs)', () => {
  type Media = { schema?: unknown; example?: unknown };
  type Described = { content?: Record<string, Media> };
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: Described; responses: Record<string, Described> }>>;
    components: { schemas: Record<string, { examples?: unknown[] }> };
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: committed.components });
  const validatorOf = (schema: unknown) =>
    ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')));

  /** Every example of the committed document with the schema it illustrates, named by where it is. */
  const examples = Object.entries(committed.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const described: Array<[string, Described | undefined]> = [
        ['request', operation.requestBody],
        ...Object.entries(operation.responses),
      ];
      return described.flatMap(([where, doc]) =>
        Object.entries(doc?.content ?? {})
          .filter(([, media]) => media.example !== undefined && media.schema !== undefined)
          .map(
            ([type, media]) =>
              [`${method.toUpperCase()} ${path} ${where} ${type}`, media.schema, media.example] as const,
          ),
      );
    }),
  );
  const componentExamples = Object.entries(committed.components.schemas).flatMap(([id, schema]) =>
    (schema.examples ?? []).map(
      (example, i) => [`${id} example ${i}`, { $ref: `#/components/schemas/${id}` }, example] as const,
    ),
  );

  it('shows the answers of the send routes and of the golden path', () => {
    const answered = examples.map(([where]) => where.split(' ').slice(0, 3).join(' '));
    expect(answered).toEqual(
      expect.arrayContaining([
        'POST /conversations/{conversationId}/messages 201',
        'POST /conversations/{conversationId}/messages 202',
        'POST /conversations/{conversationId}/opt-in-request 201',
        'PUT /stores/{storeId} 201',
        'POST /customers 201',
        'GET /inbox 200',
        'POST /conversations/{conversationId}/cart/share 200',
      ]),
    );
  });

  it.each([...examples, ...componentExamples])(
    '%s: the example is valid for its own schema',
    (_where, schema, example) => {
      const validate = validatorOf(schema);
      expect(validate(example), ajv.errorsText(validate.errors)).toBe(true);
    },
  );

  it("is what the answer's zod schema accepts too, so the code's schema and the example agree", () => {
    const checked = Object.entries(OPERATION_DOCS).flatMap(([key, doc]) =>
      Object.entries(doc.answers)
        .filter(([, answer]) => answer.example !== undefined && answer.schema !== undefined)
        .map(([status, answer]) => {
          const parsed = z.safeParse(answer.schema!, answer.example);
          return { answer: `${key} ${status}`, issues: parsed.success ? [] : parsed.error.issues };
        }),
    );
    expect(checked.length).toBeGreaterThanOrEqual(7);
    expect(checked.filter((c) => c.issues.length > 0)).toEqual([]);
  });
});

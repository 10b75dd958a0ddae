/**
 * The OpenAPI 3.1 document of the HTTP API, built from the manifest (which routes exist and whether
 * they take a JWT), each route's own contract on its handler (the zod schemas it validates path,
 * query and body with, and its roles) and each capability's answer docs (functions/<capability>/openapi.ts).
 * `npm run openapi` writes it to docs/openapi.json; GET /openapi.json serves that file.
 *
 * Over 300 lines: one document, built in one pass from the route contracts (zod to JSON Schema included).
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import * as z from 'zod';
import { ENV } from '../../functions/shared/env-names';
import { checkedLaterSchema } from '../../functions/shared/validation';
import type { RouteContract, RouteHandler } from '../../functions/shared/http';
import {
  Problem,
  type AnswerDoc,
  type HeaderDoc,
  type OperationDoc,
  type OperationDocs,
  type ProblemStatus,
} from '../../functions/shared/openapi';
import { operations as campaigns } from '../../functions/campaigns/openapi';
import { operations as carts } from '../../functions/carts/openapi';
import { operations as conversations } from '../../functions/conversations/openapi';
import { operations as customers } from '../../functions/customers/openapi';
import { operations as platform } from '../../functions/platform/openapi';
import { operations as reports } from '../../functions/reports/openapi';
import { operations as stores } from '../../functions/stores/openapi';
import { operations as tasks } from '../../functions/tasks/openapi';
import { OPERATION_IDS } from './operation-ids';
import type { RouteSpec } from '../function-spec';
import { routeKey, routeTable } from '../functions';
import { REPO_ROOT } from '../local/defaults';

type Json = Record<string, unknown>;

/** Every capability's answer docs, by route key. */
export const OPERATION_DOCS: OperationDocs = {
  ...platform,
  ...stores,
  ...customers,
  ...campaigns,
  ...conversations,
  ...carts,
  ...tasks,
  ...reports,
};

const TAGS = [
  { name: 'Stores', description: 'The store registry: name, time zone, country, Twilio number, currency.' },
  { name: 'Customers', description: 'Customers, unique by email and by phone; search by prefix.' },
  {
    name: 'Campaigns',
    description: 'Head office outreach campaigns, imported from a CSV of `customer email,store id`.',
  },
  { name: 'Outreach lists', description: "A store's share of each enabled campaign: the customers to contact." },
  {
    name: 'Conversations',
    description: 'One conversation per (store, customer), shared by the store; My Inbox and the Store Inbox.',
  },
  {
    name: 'Messages',
    description: 'Texts, templates and images to customers who opted in; the opt-in request before that.',
  },
  {
    name: 'WhatsApp',
    description: "WhatsApp templates registered in Twilio's Content API, with WhatsApp's approval status.",
  },
  {
    name: 'Carts',
    description:
      'A remote cart per conversation, shared as a link that works until midnight store time. Every write takes an optional If-Match.',
  },
  { name: 'Cart page', description: 'What the customer opens from the link.' },
  {
    name: 'Tasks',
    description:
      "Follow-up tasks by due time: an associate's own, and the system's (unpaid carts, customers who wrote after hours).",
  },
  {
    name: 'Reports',
    description: 'What campaigns and associates achieve: contacts, replies, carts and attributed revenue; CSV exports.',
  },
  { name: 'Webhooks', description: 'Calls from Twilio and the payment provider, authenticated by their signatures.' },
  { name: 'Platform', description: 'The API itself.' },
];

const DESCRIPTION = `The HTTP API of the clienteling backend: store associates text their customers, work through
outreach lists and sell through remote carts.

- JSON in and out; times are ISO-8601 UTC; money is integer minor units with an ISO 4217 currency.
- Errors are \`application/problem+json\` (RFC 9457) with a stable \`type\`; a 400 lists each invalid field in \`errors\`.
- Lists take \`?limit=\` (default 50, max 200) and \`?cursor=\` and answer \`{items, nextCursor}\`; a cursor is opaque and signed for its list: one that was altered, or taken from another list, is a 400 naming \`cursor\`.
- Authentication: a bearer JWT (the Cognito ID token; locally \`npm run token\`). Each operation names the roles it allows.
  Associates and managers see their own store only (\`custom:store_id\`); \`clienteling-admin\` sees all.`;

const SECURITY_SCHEMES = {
  bearerJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'The Cognito ID token (locally: `npm run -s token -- --role associate --store nyc-5th --user alice`). Claims: `sub`, `custom:store_id`, ' +
      "`cognito:groups` with `associate`, `manager` or `clienteling-admin`. An operation lists the groups it allows as this scheme's roles.",
  },
  twilioSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description:
      "Twilio's request signature: base64 HMAC-SHA1, keyed with the account's auth token, of the public URL followed by the sorted form fields. Bad or missing: 403, nothing stored.",
  },
  paymentSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Signature',
    description:
      "The payment provider's signature: hex HMAC-SHA256 of the raw body, keyed with the webhook secret. Bad or missing: 401.",
  },
};

// ── zod to JSON Schema ───────────────────────────────────────────────────────────────────────

/**
 * A `date-time` string says what it is by its format: zod's checking regex (a page of leap-year
 * arithmetic) would only hide that from readers and generated clients, so it is left out.
 */
const withoutFormatPatterns = (converted: Record<string, unknown>): void => {
  if (converted.format === 'date-time') delete converted.pattern;
};

/**
 * A value the route takes as it comes and its handler checks later (functions/shared/validation.ts,
 * `checkedLaterWith`) is shown as the schema it is checked with, not as "anything".
 */
function asCheckedLater(zodSchema: z.core.$ZodType, converted: Record<string, unknown>, io: 'input' | 'output'): void {
  const later = checkedLaterSchema(zodSchema);
  if (!later) return;
  const {
    $schema: _dialect,
    $defs,
    ...shown
  } = z.toJSONSchema(later, {
    io,
    target: 'draft-2020-12',
    override: ({ jsonSchema: inner }) => withoutFormatPatterns(inner),
  }) as Json;
  if ($defs) throw new Error('A schema checked later cannot name components (.meta({ id })) yet.');
  Object.assign(converted, shown);
}

/**
 * One schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1). Schemas named with
 * `.meta({ id })` become components, referenced wherever they appear.
 */
function jsonSchema(schema: z.core.$ZodType, io: 'input' | 'output', components: Record<string, unknown>): Json {
  const converted = JSON.stringify(
    z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      override: ({ zodSchema, jsonSchema: converted }) => {
        withoutFormatPatterns(converted);
        asCheckedLater(zodSchema, converted, io);
      },
    }),
  ).replaceAll('"#/$defs/', '"#/components/schemas/');
  const { $schema: _dialect, $defs, ...rest } = JSON.parse(converted) as Json & { $defs?: Record<string, Json> };
  for (const [id, definition] of Object.entries($defs ?? {})) {
    const known = components[id];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(definition)) {
      throw new Error(`Two different schemas are named ${id}; give each its own id.`);
    }
    components[id] = definition;
  }
  return rest;
}

const propertiesOf = (schema: Json): { properties: Record<string, Json>; required: string[] } => ({
  properties: (schema.properties ?? {}) as Record<string, Json>,
  required: (schema.required ?? []) as string[],
});

// ── one operation ────────────────────────────────────────────────────────────────────────────

const ROUTE_ERRORS: Record<ProblemStatus, string> = {
  400: 'Invalid input; `errors` names each invalid field',
  401: 'No bearer token, or one that is invalid or expired',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'Gone',
  413: 'The body is over 1 MB (MAX_BODY_BYTES)',
  415: 'The body is not sent as application/json',
  422: 'Refused by a business rule',
  429: 'Too many requests; `Retry-After` says when to try again',
  503: 'Unavailable for now; try again',
};

/** The route's name for generated clients (./operation-ids.ts): a route without one is a mistake, found here. */
function operationId(route: RouteSpec): string {
  const key = routeKey(route);
  const id = OPERATION_IDS[key];
  if (!id) throw new Error(`${key} has no operationId: name it in lib/openapi/operation-ids.ts`);
  return id;
}

function header(name: string, doc: HeaderDoc): Json {
  return { name, in: 'header', required: doc.required ?? false, description: doc.description, schema: doc.schema };
}

function answer(
  doc: AnswerDoc,
  components: Record<string, unknown>,
  contentType = doc.contentType ?? 'application/json',
  schema?: Json,
): Json {
  const body =
    schema ??
    (doc.schema
      ? jsonSchema(doc.schema, 'output', components)
      : contentType === 'application/json'
        ? undefined
        : { type: 'string' });
  return {
    description: doc.description,
    ...(doc.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(doc.headers).map(([name, h]) => [name, { description: h.description, schema: h.schema }]),
          ),
        }
      : {}),
    ...(body
      ? { content: { [contentType]: { schema: body, ...(doc.example !== undefined ? { example: doc.example } : {}) } } }
      : {}),
  };
}

function problems(
  route: RouteSpec,
  contract: RouteContract,
  doc: OperationDoc,
  components: Record<string, unknown>,
): Record<string, Json> {
  const texts: Partial<Record<ProblemStatus, string | AnswerDoc>> = {};
  if (contract.params || contract.query || contract.body || contract.form || doc.body) texts[400] = ROUTE_ERRORS[400];
  // Every body is bounded by the function (functions/shared/http.ts); a JSON body must say it is JSON.
  if (contract.body || contract.form || doc.body) texts[413] = ROUTE_ERRORS[413];
  if (contract.body) texts[415] = ROUTE_ERRORS[415];
  if (route.auth === 'jwt') {
    texts[401] = ROUTE_ERRORS[401];
    const roles = `The caller's role is not one of: ${(contract.roles ?? []).join(', ')}`;
    const more = doc.problems?.[403];
    texts[403] = typeof more === 'string' ? `${roles}; or: ${more[0]!.toLowerCase()}${more.slice(1)}` : roles;
  }
  for (const [status, text] of Object.entries(doc.problems ?? {})) {
    if (!(route.auth === 'jwt' && status === '403')) texts[Number(status) as ProblemStatus] = text;
  }
  const problemRef = { $ref: '#/components/schemas/Problem' };
  return Object.fromEntries(
    Object.entries(texts).map(([status, text]) => {
      const given: AnswerDoc = typeof text === 'string' ? { description: text } : text!;
      const contentType = given.contentType ?? 'application/problem+json';
      return [
        status,
        answer(given, components, contentType, contentType === 'application/problem+json' ? problemRef : undefined),
      ];
    }),
  );
}

function operation(
  route: RouteSpec,
  contract: RouteContract,
  doc: OperationDoc,
  components: Record<string, unknown>,
): Json {
  const key = routeKey(route);
  const parameters: Json[] = [];
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const path = contract.params
    ? propertiesOf(jsonSchema(contract.params, 'input', components))
    : { properties: {}, required: [] };
  const extra = Object.keys(path.properties).filter((name) => !pathNames.includes(name));
  if (extra.length > 0)
    throw new Error(`${key}: the handler validates path parameters the route does not have: ${extra.join(', ')}`);
  for (const name of pathNames)
    parameters.push({ name, in: 'path', required: true, schema: path.properties[name] ?? { type: 'string' } });
  if (contract.query) {
    const query = propertiesOf(jsonSchema(contract.query, 'input', components));
    for (const [name, schema] of Object.entries(query.properties)) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: query.required.includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const [name, h] of Object.entries(doc.headers ?? {})) parameters.push(header(name, h));

  const bodySchema = doc.body?.schema ?? contract.body ?? contract.form;
  const bodyType = doc.body?.contentType ?? (contract.form ? 'application/x-www-form-urlencoded' : 'application/json');
  const requestBody = bodySchema && {
    required: doc.body?.required ?? true,
    ...(doc.body?.description ? { description: doc.body.description } : {}),
    content: {
      [bodyType]: {
        schema: jsonSchema(bodySchema, 'input', components),
        ...(doc.example !== undefined ? { example: doc.example } : {}),
      },
    },
  };

  const security =
    route.auth === 'jwt' ? [{ bearerJwt: [...(contract.roles ?? [])] }] : doc.signedBy ? [{ [doc.signedBy]: [] }] : [];
  const roles = route.auth === 'jwt' ? `\n\nRoles: ${(contract.roles ?? []).map((r) => `\`${r}\``).join(', ')}.` : '';
  return {
    operationId: operationId(route),
    summary: doc.summary,
    ...(doc.description || roles ? { description: `${doc.description ?? ''}${roles}`.trim() } : {}),
    tags: [doc.tag],
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      ...Object.fromEntries(Object.entries(doc.answers).map(([status, a]) => [status, answer(a, components)])),
      ...problems(route, contract, doc, components),
    },
  };
}

// ── the document ─────────────────────────────────────────────────────────────────────────────

/**
 * Each route's contract as its handler module declares it. Importing a handler module runs its
 * module scope, and a few read their bindings there; the document needs only their route tables,
 * so placeholders stand in for bindings that are not set.
 */
export async function routeContracts(): Promise<Map<string, RouteContract>> {
  process.env[ENV.publicBaseUrl] ??= 'https://api.example.invalid';
  const contracts = new Map<string, RouteContract>();
  const entries = new Set(routeTable().map((r) => r.fn.entry));
  for (const entry of entries) {
    const module = (await import(pathToFileURL(join(REPO_ROOT, entry)).href)) as {
      handler?: { routes?: Record<string, RouteHandler> };
    };
    for (const [key, handler] of Object.entries(module.handler?.routes ?? {})) {
      if (handler.contract) contracts.set(key, handler.contract);
    }
  }
  return contracts;
}

export async function buildOpenApiDocument(version: string): Promise<Json> {
  const contracts = await routeContracts();
  const components: Record<string, unknown> = {};
  jsonSchema(Problem, 'output', components);
  const paths: Record<string, Record<string, Json>> = {};
  const routes = routeTable().sort((a, b) => a.path.localeCompare(b.path));
  for (const route of routes) {
    const key = routeKey(route);
    const contract = contracts.get(key);
    const doc = OPERATION_DOCS[key];
    if (!contract) throw new Error(`${key} is in the manifest, but ${route.fn.entry} has no such route in its table.`);
    if (!doc) throw new Error(`${key} is in the manifest, but no functions/<capability>/openapi.ts describes it.`);
    const operations = paths[route.path] ?? {};
    operations[route.method.toLowerCase()] = operation(route, contract, doc, components);
    paths[route.path] = operations;
  }
  const undocumented = Object.keys(OPERATION_DOCS).filter((key) => !routes.some((r) => routeKey(r) === key));
  if (undocumented.length > 0) throw new Error(`Described but not in the manifest: ${undocumented.join(', ')}`);

  return {
    openapi: '3.1.1',
    info: { title: 'Clienteling API', version, description: DESCRIPTION },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'The local stack (`npm start`)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployment on AWS (or its publicBaseUrl)',
        variables: {
          apiId: { default: 'abcdef1234', description: 'The HTTP API id (stack output)' },
          region: { default: 'us-east-1' },
        },
      },
    ],
    tags: TAGS,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

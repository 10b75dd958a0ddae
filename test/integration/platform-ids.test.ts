/**
 * Every id a request carries is bounded at the edge (docs/architecture.md, "HTTP API"): at most
 * 128 characters, no control characters, else a 400 problem+json naming the field, never a 500
 * from DynamoDB, S3 or SQS refusing a key. The routes are the manifest's (lib/functions.ts) and
 * each route's schemas its handler's own contract, so a route added later is swept too: every
 * path parameter, every query parameter that is an id or a cursor, every body field that is an
 * id or a key. The webhooks' id-like fields are checked with signed requests: a malformed one
 * is a 400 (Twilio retries a 5xx) with no table or queue call.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import type { RouteHandler } from '../../functions/shared/http';
import type { Role } from '../../functions/shared/principal';
import { signedTwilioForm } from '../../lib/local/carrier';
import { routeKey, routeTable } from '../../lib/functions';
import { REPO_ROOT } from '../../lib/local/defaults';
import { invoker, type Answer } from '../support/invoke';
import type { Caller } from '../support/http-events';
import { useFreshTable } from '../support/table';

await useFreshTable('platform-ids');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const { dynamo, documentClient, sqs } = await import('../../functions/shared/clients');
const { client: s3 } = await (await import('../../functions/shared/s3')).loadS3();
const { signPaymentBody } = await import('../../functions/carts/rules');
const { MAX_CURSOR_LENGTH } = await import('../../functions/shared/pagination');

type Handler = Parameters<typeof invoker>[0] & { routes: Record<string, RouteHandler> };
const modules = new Map<string, Handler>();
for (const entry of new Set(routeTable().map((r) => r.fn.entry))) {
  const module = (await import(pathToFileURL(join(REPO_ROOT, entry)).href)) as { handler: Handler };
  modules.set(entry, module.handler);
}
const ROUTES = routeTable().map((route) => {
  const handler = modules.get(route.fn.entry)!;
  const key = routeKey(route);
  const contract = handler.routes[key]?.contract;
  if (!contract) throw new Error(`${key}: ${route.fn.entry} has no such route in its table`);
  return { key, call: invoker(handler), contract, params: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) };
});

/** A value each named parameter accepts, so that the one under test is the only invalid one. */
const VALID: Record<string, string> = {
  storeId: 'edge-store',
  conversationId: 'c-1',
  customerId: 'u-1',
  campaignId: 'camp-1',
  messageId: 'm-1',
  templateId: 'tpl-1',
  noteId: 'n-1',
  taskId: 't-1',
  exportId: randomUUID(),
  sku: 'SKU-1',
  token: randomBytes(32).toString('base64url'),
  query: 'ada',
  from: '2026-01-01',
  to: '2026-01-31',
};
const BAD_IDS = [
  ['3,000 characters', 'a'.repeat(3000)],
  ['129 characters', 'a'.repeat(129)],
  ['a NUL', 'c1\u0000'],
  ['an escape', 'c\u001b1'],
  ['a DEL', 'c1\u007f'],
] as const;
const BAD_CURSORS = [
  [`${MAX_CURSOR_LENGTH + 1} characters`, 'a'.repeat(MAX_CURSOR_LENGTH + 1)],
  ['a NUL', 'eyJwayI6IngifQ\u0000'],
  ['a character outside base64url', 'eyJwayI6IngifQ=='],
] as const;

const callerFor = (roles: readonly Role[] | undefined): Caller | undefined =>
  roles ? { userId: 'edge-user', role: roles[0]!, storeId: VALID.storeId } : undefined;
const objectKeys = (schema: z.ZodMiniType | undefined): string[] =>
  schema instanceof z.ZodMiniObject ? Object.keys(schema.shape) : [];
/** A query parameter that names an item or a page: `cursor` and every `…Id`. */
const isIdName = (name: string) => name === 'cursor' || /Id$/.test(name);
/** A body field that names an item or an object: every `…Id` and `…Key`. */
const isBodyIdName = (name: string) => /(Id|Key)$/.test(name);

/** A 400 problem naming `field` in `where`; with `only`, nothing else is wrong with the request. */
function expectFieldRefused(answer: Answer, where: 'path' | 'query' | 'body', field: string, only = true) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  const errors = answer.body.errors as Array<{ in: string; field: string }>;
  expect(errors).toContainEqual(expect.objectContaining({ in: where, field }));
  if (only) expect(errors.filter((e) => e.in !== where || e.field !== field)).toEqual([]);
}

/** The cart page answers a link of the wrong shape as any unknown link: the documented 404 page, no look-up. */
const UNKNOWN_LINK_PAGE = new Set(['GET /c/{token}']);

const pathCases = ROUTES.flatMap((route) =>
  route.params.flatMap((param) => BAD_IDS.map(([what, value]) => ({ ...route, param, what, value }))),
);
const queryCases = ROUTES.flatMap((route) =>
  objectKeys(route.contract.query)
    .filter(isIdName)
    .flatMap((name) =>
      (name === 'cursor' ? BAD_CURSORS : BAD_IDS).map(([what, value]) => ({ ...route, name, what, value })),
    ),
);
const bodyCases = ROUTES.flatMap((route) =>
  objectKeys(route.contract.body)
    .filter(isBodyIdName)
    .flatMap((name) =>
      [...BAD_IDS, ['a lone surrogate', 'c\ud8001'] as const].map(([what, value]) => ({
        ...route,
        name,
        what,
        value,
      })),
    ),
);

afterEach(() => vi.restoreAllMocks());

describe('ids on every route are bounded at the edge', () => {
  it('sweeps every route of the manifest, with a valid value for each other parameter', () => {
    const withParams = ROUTES.filter((route) => route.params.length > 0);
    expect(withParams.length).toBeGreaterThan(25);
    expect(new Set(pathCases.map((c) => c.key))).toEqual(new Set(withParams.map((route) => route.key)));
    for (const param of withParams.flatMap((route) => route.params)) expect(VALID).toHaveProperty(param);
    expect(queryCases.map((c) => `${c.key} ${c.name}`)).toContain('POST /webhooks/twilio/status conversationId');
    expect(bodyCases.map((c) => `${c.key} ${c.name}`)).toContain(
      'POST /conversations/{conversationId}/messages mediaKey',
    );
  });

  it.each(pathCases)(
    '$key: {$param} with $what is a 400 naming it',
    async ({ key, call, contract, params, param, value }) => {
      const pathParameters = Object.fromEntries(params.map((p) => [p, p === param ? value : VALID[p]!]));
      const dynamoCalls = vi.spyOn(dynamo, 'send');
      const documentCalls = vi.spyOn(documentClient, 'send');
      const answer = await call({ routeKey: key, pathParameters, caller: callerFor(contract.roles) });
      if (UNKNOWN_LINK_PAGE.has(key)) {
        expect(answer.status).toBe(404);
        expect(answer.headers['content-type']).toMatch(/^text\/html/);
        expect(dynamoCalls).not.toHaveBeenCalled();
        expect(documentCalls).not.toHaveBeenCalled();
        return;
      }
      expectFieldRefused(answer, 'path', param);
    },
  );

  it.each(queryCases)(
    '$key: ?$name= with $what is a 400 naming it',
    async ({ key, call, contract, params, name, value }) => {
      const pathParameters = Object.fromEntries(params.map((p) => [p, VALID[p]!]));
      const required = objectKeys(contract.query).filter((q) => q !== name && VALID[q] !== undefined && !isIdName(q));
      const query = { ...Object.fromEntries(required.map((q) => [q, VALID[q]!])), [name]: value };
      const answer = await call({ routeKey: key, pathParameters, query, caller: callerFor(contract.roles) });
      expectFieldRefused(answer, 'query', name);
    },
  );

  it.each(bodyCases)(
    '$key: body {$name} with $what is a 400 naming it',
    async ({ key, call, contract, params, name, value }) => {
      const pathParameters = Object.fromEntries(params.map((p) => [p, VALID[p]!]));
      const body = { [name]: value };
      const answer = await call({ routeKey: key, pathParameters, body, caller: callerFor(contract.roles) });
      expectFieldRefused(answer, 'body', name, false);
    },
  );
});

// ── webhooks ─────────────────────────────────────────────────────────────────────────────────

const twilioRoute = (path: string) => ROUTES.find((r) => r.key === `POST ${path}`)!;
const hex32 = () => randomBytes(16).toString('hex');

/** A request Twilio signed for this URL (query included), as it would post it. */
function signedTwilio(
  path: '/webhooks/twilio/sms' | '/webhooks/twilio/status',
  form: Record<string, string>,
  query = {},
) {
  const search = new URLSearchParams(query).toString();
  const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}${path}${search ? `?${search}` : ''}`, form);
  return twilioRoute(path).call({ routeKey: `POST ${path}`, rawBody: signed.body, headers: signed.headers, query });
}

/** Twilio's fields as it sends them today: a two-letter prefix and 32 hex digits. */
const inboundForm = () => ({
  MessageSid: `SM${hex32()}`,
  AccountSid: `AC${hex32()}`,
  MessagingServiceSid: `MG${hex32()}`,
  From: '+15550001111',
  To: '+12125550000',
  Body: 'hello',
  NumMedia: '0',
});
const statusForm = () => ({ MessageSid: `SM${hex32()}`, AccountSid: `AC${hex32()}`, MessageStatus: 'delivered' });

function spyOnClients() {
  return [dynamo, documentClient, sqs(), s3].map((client) => vi.spyOn(client, 'send'));
}

const SMS_FIELDS = ['MessageSid', 'AccountSid', 'MessagingServiceSid', 'From', 'To'] as const;
const STATUS_FIELDS = ['MessageSid', 'AccountSid', 'MessagingServiceSid', 'ErrorCode'] as const;
const BAD_WEBHOOK_VALUES = [
  ['5,000 characters', `SM${'a'.repeat(4998)}`],
  ['a NUL', `SM${hex32()}\u0000`],
  ['a newline', `SM${hex32()}\n`],
] as const;

describe("Twilio's webhooks bound their id-like fields", () => {
  it.each(SMS_FIELDS.flatMap((field) => BAD_WEBHOOK_VALUES.map(([what, value]) => ({ field, what, value }))))(
    'a signed inbound SMS whose $field has $what is a 400 naming it, with no table or queue call',
    async ({ field, value }) => {
      const spies = spyOnClients();
      const answer = await signedTwilio('/webhooks/twilio/sms', { ...inboundForm(), [field]: value });
      expectFieldRefused(answer, 'body', field);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );

  it.each(STATUS_FIELDS.flatMap((field) => BAD_WEBHOOK_VALUES.map(([what, value]) => ({ field, what, value }))))(
    'a signed status callback whose $field has $what is a 400 naming it, with no table call',
    async ({ field, value }) => {
      const spies = spyOnClients();
      const answer = await signedTwilio('/webhooks/twilio/status', { ...statusForm(), [field]: value });
      expectFieldRefused(answer, 'body', field);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );

  it.each(['conversationId', 'messageId'])(
    'a signed status callback whose URL names a 3,000-character %s is a 400 naming it',
    async (name) => {
      const spies = spyOnClients();
      const query = { conversationId: 'c-1', messageId: 'm-1', [name]: 'c'.repeat(3000) };
      const answer = await signedTwilio('/webhooks/twilio/status', statusForm(), query);
      expectFieldRefused(answer, 'query', name);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );

  it("still takes Twilio's own formats, and longer ids of the same alphabet", async () => {
    const today = await signedTwilio('/webhooks/twilio/sms', inboundForm());
    expect(today.status).toBe(200);
    const future = { ...inboundForm(), MessageSid: `MM${'0'.repeat(62)}`, AccountSid: 'AC_local' };
    expect((await signedTwilio('/webhooks/twilio/sms', future)).status).toBe(200);
    expect((await signedTwilio('/webhooks/twilio/status', { ...statusForm(), ErrorCode: '30003' })).status).toBe(204);
  });
});

describe("the payment provider's webhook bounds its paymentId", () => {
  const payment = (paymentId: string) => {
    const rawBody = JSON.stringify({ token: VALID.token, amount: 100, currency: 'USD', paymentId });
    return ROUTES.find((r) => r.key === 'POST /webhooks/payments')!.call({
      routeKey: 'POST /webhooks/payments',
      rawBody,
      headers: { 'x-signature': signPaymentBody(rawBody, 'local-payment-secret') },
    });
  };

  it.each(BAD_IDS)('a signed payment whose paymentId has %s is a 400 naming it, with no table call', async (_, id) => {
    const spies = spyOnClients();
    expectFieldRefused(await payment(id), 'body', 'paymentId');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

/**
 * WhatsApp templates against DynamoDB Local and the local carrier's Content API, through the real
 * twilio client (docs/rules.md, "WhatsApp templates"): a PUT reads the approval status and stores
 * it; an unknown content is a 422 naming `contentSid`; no answer is a 503 and nothing is stored;
 * only admins write, every user reads; the hourly refresh records what changed; only APPROVED
 * templates are sendable.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { lambdaContext, type Caller } from '../support/http-events';
import { scheduledEvent } from '../../lib/lambda-events';
import { LocalCarrier } from '../../lib/local/carrier';
import { PENDING_CONTENT_SID, REJECTED_CONTENT_SID } from '../../lib/local/content-api';
import { LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';
import { DomainError } from '../../functions/shared/errors';

await useFreshTable('wa-templates');
process.env.OUTBOX_FILE = join(mkdtempSync(join(tmpdir(), 'wa-templates-')), 'outbox.jsonl');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const carrier = new LocalCarrier({ authToken: LOCAL_TWILIO_AUTH_TOKEN, track: () => {}, log: () => {} });
const call = invoker((await import('../../functions/conversations/whatsapp-templates.handler')).handler);
const { handler: refresh } = await import('../../functions/conversations/whatsapp-template-refresh.handler');
const { configureTwilioClients } = await import('../../functions/conversations/messenger');
const { sendableTemplate } = await import('../../functions/conversations/whatsapp-templates');
const repository = await import('../../functions/conversations/repository');

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const associate: Caller = { userId: 'alice', role: 'associate', storeId: 'nyc' };
const manager: Caller = { userId: 'bob', role: 'manager', storeId: 'lon' };

/** A Content SID of the shape Twilio gives out: the local carrier approves it. */
const approvedSid = () => `HX${randomBytes(16).toString('hex')}`;
const body = (contentSid: string, overrides: Record<string, unknown> = {}) => ({
  contentSid,
  name: 'Opt-in request',
  language: 'en_US',
  category: 'UTILITY',
  purpose: 'OPT_IN',
  text: 'Hi {{1}}, {{2}} would like to message you on WhatsApp. Reply YES to chat with us.',
  variables: ['1', '2'],
  ...overrides,
});
const put = (templateId: string, payload: unknown, caller: Caller = admin) =>
  call({ routeKey: 'PUT /whatsapp/templates/{templateId}', pathParameters: { templateId }, body: payload, caller });
const list = (caller: Caller, query?: Record<string, string>) =>
  call({ routeKey: 'GET /whatsapp/templates', caller, ...(query ? { query } : {}) });
const stored = async (templateId: string) =>
  (await repository.allWhatsAppTemplates()).find((t) => t.templateId === templateId);

/** A loopback port nothing answers on: the Content API unreachable. */
async function deadPort(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Runs `work` with the twilio client pointed at a port nothing answers on, then at the carrier again. */
async function withContentApiDown<T>(work: () => Promise<T>): Promise<T> {
  const carrierUrl = process.env.TWILIO_API_URL;
  process.env.TWILIO_API_URL = await deadPort();
  configureTwilioClients(undefined); // the cached client keeps the URL it was made with
  try {
    return await work();
  } finally {
    process.env.TWILIO_API_URL = carrierUrl;
    configureTwilioClients(undefined);
  }
}

beforeAll(async () => {
  process.env.TWILIO_API_URL = await carrier.start();
});
afterAll(async () => {
  delete process.env.TWILIO_API_URL;
  await carrier.stop();
});

describe('PUT /whatsapp/templates/{templateId}', () => {
  it("stores the template with the status Twilio's Content API gives now: 201, then 200 on a replace", async () => {
    const sid = approvedSid();
    const before = Date.now();
    const first = await put('opt-in', body(sid));
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      templateId: 'opt-in',
      ...body(sid),
      status: 'APPROVED',
      statusCheckedAt: expect.any(String),
    });
    expect(Date.parse(first.body.statusCheckedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await stored('opt-in')).toEqual(first.body);

    const replaced = await put('opt-in', body(sid, { name: 'Opt-in (v2)' }));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ templateId: 'opt-in', name: 'Opt-in (v2)', status: 'APPROVED' });
  });

  it.each([
    [REJECTED_CONTENT_SID, 'REJECTED'],
    [PENDING_CONTENT_SID, 'PENDING'],
  ])('stores %s as %s', async (sid, status) => {
    const answer = await put(`status-${status}`, body(sid, { purpose: 'RECONNECT', category: 'MARKETING' }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ contentSid: sid, status, category: 'MARKETING', purpose: 'RECONNECT' });
  });

  it('refuses a contentSid Twilio does not have: 422 naming contentSid, nothing stored', async () => {
    const answer = await put('unknown-content', body('HXnotacontentsid'));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      type: expect.stringContaining('unknown-content'),
      errors: [{ in: 'body', field: 'contentSid', detail: expect.any(String) }],
    });
    expect(await stored('unknown-content')).toBeUndefined();
  });

  it('refuses a malformed body with a 400 naming each field, before Twilio', async () => {
    const answer = await put('bad', body('SM123', { category: 'AUTHENTICATION', language: 'English' }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'category',
      'contentSid',
      'language',
    ]);
  });

  it('refuses variables that disagree with the placeholders of the text: 400 naming variables', async () => {
    const answer = await put('mismatch', body(approvedSid(), { variables: ['1', 'name'] }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { in: 'body', field: 'variables', detail: expect.stringMatching(/\{\{2\}\}.*name/) },
    ]);
    expect(await stored('mismatch')).toBeUndefined();
  });

  it('is for admins only: 403 for an associate and a manager, nothing stored', async () => {
    expect((await put('by-associate', body(approvedSid()), associate)).status).toBe(403);
    expect((await put('by-manager', body(approvedSid()), manager)).status).toBe(403);
    expect(await stored('by-associate')).toBeUndefined();
    expect(await stored('by-manager')).toBeUndefined();
  });

  it('answers 503 with Retry-After when the Content API does not answer, and keeps what was stored', async () => {
    const sid = approvedSid();
    expect((await put('outage', body(sid))).status).toBe(201);
    const kept = await stored('outage');

    const answer = await withContentApiDown(() => put('outage', body(PENDING_CONTENT_SID, { name: 'Changed' })));
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('30');
    expect(answer.body).toMatchObject({ type: expect.stringContaining('unavailable'), status: 503 });
    expect(await stored('outage')).toEqual(kept);

    const fresh = await withContentApiDown(() => put('outage-new', body(sid)));
    expect(fresh.status).toBe(503);
    expect(await stored('outage-new')).toBeUndefined();
  });
});

describe('GET /whatsapp/templates', () => {
  it('lists every template with its status to store users and admins, paged by id', async () => {
    const all = await repository.allWhatsAppTemplates();
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const caller of [associate, manager, admin]) {
      const answer = await list(caller);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ items: all, nextCursor: null });
    }
    const ids = all.map((t) => t.templateId);
    expect(ids).toEqual([...ids].sort());

    const first = await list(associate, { limit: '2' });
    expect(first.body.items.map((t: { templateId: string }) => t.templateId)).toEqual(ids.slice(0, 2));
    const second = await list(associate, { limit: '2', cursor: first.body.nextCursor });
    expect(second.body.items.map((t: { templateId: string }) => t.templateId)).toEqual(ids.slice(2, 4));
  });

  it('refuses a cursor it did not give out: 400 naming cursor', async () => {
    const answer = await list(associate, { cursor: 'bm90LWEtY3Vyc29y' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ in: 'query', field: 'cursor', detail: 'invalid cursor' }]);
  });
});

describe('the whatsapp-templates schedule', () => {
  const run = (time: string) => refresh(scheduledEvent('whatsapp-templates', new Date(time)), lambdaContext());
  const EARLIER = '2025-03-01T09:00:00.000Z';
  /** The run's hour: after every check the PUTs above made. */
  const HOUR = new Date(Date.now() + 3600_000).toISOString();

  /** A template as an earlier check left it: the status then, checked then. */
  const storedAs = (templateId: string, contentSid: string, status: 'APPROVED' | 'PENDING' | 'PAUSED') =>
    repository.putWhatsAppTemplate({
      templateId,
      ...(body(contentSid) as ReturnType<typeof body> & { category: 'UTILITY'; purpose: 'OPT_IN' }),
      status,
      statusCheckedAt: EARLIER,
    });

  it('keeps statuses as they were while the Content API does not answer, and says so', async () => {
    await storedAs('refresh-approved', approvedSid(), 'PENDING');
    const before = await repository.allWhatsAppTemplates();
    const summary = await withContentApiDown(() => run(HOUR));
    expect(summary).toMatchObject({ checked: 0, changed: 0, unreachable: before.length, gone: 0, left: 0 });
    expect(await repository.allWhatsAppTemplates()).toEqual(before);
  });

  it('records every status read as checked at the run, and the ones that changed', async () => {
    await storedAs('refresh-approved', approvedSid(), 'PENDING');
    await storedAs('refresh-rejected', REJECTED_CONTENT_SID, 'APPROVED');
    await storedAs('refresh-gone', 'HXdeletedattwilio', 'APPROVED');
    await storedAs('refresh-same', PENDING_CONTENT_SID, 'PENDING');
    const before = await repository.allWhatsAppTemplates();
    const unchangedElsewhere = before.filter((t) => !t.templateId.startsWith('refresh-'));

    const summary = await run(HOUR);
    expect(summary).toMatchObject({ checked: before.length, changed: 3, unreachable: 0, gone: 1, left: 0 });
    expect(await stored('refresh-approved')).toMatchObject({ status: 'APPROVED', statusCheckedAt: HOUR });
    expect(await stored('refresh-rejected')).toMatchObject({ status: 'REJECTED', statusCheckedAt: HOUR });
    expect(await stored('refresh-gone')).toMatchObject({ status: 'REJECTED', statusCheckedAt: HOUR });
    expect(await stored('refresh-same')).toMatchObject({ status: 'PENDING', statusCheckedAt: HOUR });
    for (const template of unchangedElsewhere)
      expect(await stored(template.templateId)).toEqual({ ...template, statusCheckedAt: HOUR });
  });

  it('never writes an older check over a newer one (a replayed run)', async () => {
    await storedAs('refresh-approved', approvedSid(), 'PENDING');
    await run(HOUR);
    const summary = await run(EARLIER);
    expect(summary).toMatchObject({ checked: 0, changed: 0 });
    expect(await stored('refresh-approved')).toMatchObject({ status: 'APPROVED', statusCheckedAt: HOUR });
  });
});

describe('sendableTemplate', () => {
  it('gives an APPROVED template', async () => {
    const sid = approvedSid();
    await put('sendable', body(sid));
    expect(await sendableTemplate('sendable')).toMatchObject({ templateId: 'sendable', contentSid: sid });
  });

  it.each([
    [PENDING_CONTENT_SID, 'PENDING'],
    [REJECTED_CONTENT_SID, 'REJECTED'],
  ])('refuses a template of %s (%s): 422 template-not-approved', async (sid, status) => {
    await put(`not-sendable-${status}`, body(sid));
    const refusal = await sendableTemplate(`not-sendable-${status}`).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      status: 422,
      slug: 'template-not-approved',
      message: expect.stringContaining(status),
    });
  });

  it('refuses an unknown template: 400 naming templateId', async () => {
    const refusal = await sendableTemplate('no-such-template').catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      status: 400,
      errors: [{ in: 'body', field: 'templateId', detail: expect.any(String) }],
    });
  });
});

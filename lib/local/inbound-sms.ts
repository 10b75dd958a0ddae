/**
 * `POST /_local/sms` (and `npm run -s sms`, bin/sms.ts): a customer's text, posted to Twilio's
 * inbound webhook exactly as Twilio posts one, so a local user can opt a customer in (YES), ask
 * for HELP or reply without writing an HMAC-SHA1 signer (README, "Texting the store locally").
 *
 * What Twilio does, and so what this does: the form fields From, To, Body, MessageSid (a fresh
 * `SM…` SID), NumMedia with MediaUrl<i>, AccountSid; `X-Twilio-Signature` computed over the URL
 * Twilio calls (the public base URL + `/webhooks/twilio/sms`) with the auth token the webhook
 * verifies with, by the one signer of the local stack (`signedTwilioForm`, ./carrier.ts). The
 * request then goes through the front door's own route path (the TwilioWebhook function, its
 * signature check included), and the answer is what the webhook answered.
 *
 * `receivedAt` replays a message received earlier. The webhook takes its receive time from the
 * event's `requestContext.timeEpoch`, which API Gateway sets and no caller can: the local front
 * door builds that event, so it sets the time there, and nothing the deployed webhook reads
 * changes (no header, no form field).
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { publicRequestUrl } from '../../functions/shared/public-url';
import { twilioCredentials } from '../../functions/shared/secrets';
import { describeFieldErrors, fieldErrors } from '../../functions/shared/validation';
import { signedTwilioForm } from './carrier';
import { type HttpAnswer, problemAnswer } from './http-api';
import { heardOnWhatsApp } from './whatsapp-window';

/** The inbound webhook's path: Twilio's "A message comes in" URL is the public base URL + this. */
export const INBOUND_WEBHOOK_PATH = '/webhooks/twilio/sms';

/** A phone (or a carrier address), named `required` when missing. */
const Address = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'a phone number, as text') })
  .check(z.minLength(1, 'required'));

/** The body of `POST /_local/sms`. */
export const LocalSmsRequest = z.strictObject({
  from: Address,
  to: Address,
  body: z._default(z.string(), ''),
  channel: z._default(z.enum(['sms', 'whatsapp']), 'sms'),
  mediaUrls: z._default(
    z.array(z.url({ error: 'a URL' })).check(z.maxLength(10, 'at most 10 (Twilio sends at most 10 media)')),
    [],
  ),
  buttonPayload: z.optional(z.string().check(z.minLength(1, 'not empty'))),
  receivedAt: z.optional(z.iso.datetime({ offset: true, error: 'an ISO-8601 instant, e.g. 2026-05-04T10:15:00Z' })),
});
export type LocalSmsRequest = z.infer<typeof LocalSmsRequest>;

/** A MessageSid as Twilio writes one: `SM` and 32 hex digits. */
const newMessageSid = (): string => `SM${randomBytes(16).toString('hex')}`;

/** A WhatsApp address carries Twilio's `whatsapp:` prefix; one already prefixed is kept. */
const addressOf = (channel: LocalSmsRequest['channel'], phone: string) =>
  channel === 'whatsapp' && !phone.startsWith('whatsapp:') ? `whatsapp:${phone}` : phone;

/** Twilio's inbound form for this message: every field text, as Twilio sends (and signs) it. */
export function inboundWebhookForm(
  request: LocalSmsRequest,
  accountSid: string,
  messageSid: string = newMessageSid(),
): Record<string, string> {
  const form: Record<string, string> = {
    MessageSid: messageSid,
    SmsSid: messageSid,
    SmsMessageSid: messageSid,
    AccountSid: accountSid,
    From: addressOf(request.channel, request.from),
    To: addressOf(request.channel, request.to),
    Body: request.body,
    NumMedia: String(request.mediaUrls.length),
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  for (const [i, url] of request.mediaUrls.entries()) form[`MediaUrl${i}`] = url;
  if (request.channel === 'whatsapp' && request.buttonPayload !== undefined) form.ButtonPayload = request.buttonPayload;
  return form;
}

/** The request Twilio would send: the URL it signs and calls, its headers and its form body. */
export interface SignedInboundRequest {
  readonly url: string;
  readonly messageSid: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The signed webhook request for a message, with the credentials the webhook verifies with. */
export async function signedInboundRequest(
  publicBaseUrl: string,
  request: LocalSmsRequest,
): Promise<SignedInboundRequest> {
  const { accountSid, authToken } = await twilioCredentials();
  const form = inboundWebhookForm(request, accountSid);
  const url = publicRequestUrl(publicBaseUrl, INBOUND_WEBHOOK_PATH);
  return { url, messageSid: form.MessageSid!, ...signedTwilioForm(url, form, authToken) };
}

/** How the front door hands a request to a manifest route (its own path, with the event's receive time). */
export type RouteDispatch = (request: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  receivedAt?: Date;
}) => Promise<HttpAnswer>;

/**
 * `POST /_local/sms`: the body checked, the webhook request signed and dispatched; the answer is
 * the webhook's status, with `{messageSid, url, status, contentType, body}` (its body as text).
 */
export async function postLocalSms(body: Buffer, publicBaseUrl: string, dispatch: RouteDispatch): Promise<HttpAnswer> {
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return problemAnswer(400, 'validation', 'Invalid request', 'The body is not valid JSON.');
  }
  const parsed = LocalSmsRequest.safeParse(json);
  if (!parsed.success)
    return problemAnswer(
      400,
      'validation',
      'Invalid request',
      `Invalid body: ${describeFieldErrors(fieldErrors('body', parsed.error))}. Send {"from": "+1…", "to": "<store number>", "body": "YES"}.`,
    );
  const signed = await signedInboundRequest(publicBaseUrl, parsed.data);
  if (parsed.data.channel === 'whatsapp') {
    const form = new URLSearchParams(signed.body);
    heardOnWhatsApp(form.get('From')!, form.get('To')!, new Date(parsed.data.receivedAt ?? Date.now()));
  }
  const answer = await dispatch({
    method: 'POST',
    url: INBOUND_WEBHOOK_PATH,
    headers: { ...signed.headers, host: new URL(signed.url).host, 'user-agent': 'TwilioProxy/1.1' },
    body: Buffer.from(signed.body),
    ...(parsed.data.receivedAt ? { receivedAt: new Date(parsed.data.receivedAt) } : {}),
  });
  const contentType = answer.headers['content-type'];
  return {
    statusCode: answer.statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(
      JSON.stringify({
        messageSid: signed.messageSid,
        url: signed.url,
        status: answer.statusCode,
        contentType: typeof contentType === 'string' ? contentType : null,
        body: answer.body.toString('utf8'),
      }),
    ),
  };
}

/**
 * The messenger: the one place that talks to Twilio. On AWS (and locally when real credentials
 * are set) messages go out through the twilio library; otherwise they land in the local outbox,
 * a JSON-lines file that is also printed, so the whole flow runs without a Twilio account.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type twilio from 'twilio';
import type { ClientOpts } from 'twilio/lib/base/BaseTwilio';
import RestException from 'twilio/lib/base/RestException';
import { twilioCredentials, type TwilioCredentials } from '../shared/secrets';
import type { MessageStatus } from './rules';

/** Twilio: "Attempt to send to unsubscribed recipient" — the customer opted out at the carrier. */
export const OPTED_OUT_ERROR_CODE = 21610;

export interface OutboundSms {
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  statusCallback: string;
}

export interface SentSms {
  sid: string;
  status: MessageStatus;
}

/** Twilio refused the message (a RestException with a Twilio error code). */
export class TwilioRefusedError extends Error {
  constructor(message: string, readonly code: number | undefined, readonly httpStatus: number) {
    super(message);
  }
}

type TwilioClient = twilio.Twilio;
export type TwilioClientOptions = ClientOpts;

/**
 * The REST client is most of the twilio package (several MB of generated API classes), so it is
 * loaded on the first real send, not at cold start: signature checks, TwiML and the local outbox
 * never pay for it.
 */
let loading: Promise<typeof twilio> | undefined;
const loadTwilio = () => (loading ??= import('./twilio-rest.mjs').then((module) => module.default));

const clients = new Map<string, TwilioClient>();
let clientOptions: TwilioClientOptions | undefined;

/**
 * Options for every Twilio client made from now on (e.g. an `httpClient` aimed at a local HTTP
 * server in tests, or a Twilio edge). The request itself still goes through the library's HTTP stack.
 */
export function configureTwilioClients(options: TwilioClientOptions | undefined): void {
  clientOptions = options;
  clients.clear();
}

/** One client per account and container. */
export async function twilioClient(credentials: TwilioCredentials, options: TwilioClientOptions | undefined = clientOptions): Promise<TwilioClient> {
  let client = clients.get(credentials.accountSid);
  if (!client || options !== clientOptions) {
    const twilio = await loadTwilio();
    client = twilio(credentials.accountSid, credentials.authToken, options);
    if (options === clientOptions) clients.set(credentials.accountSid, client);
  }
  return client;
}

export async function sendSms(sms: OutboundSms): Promise<SentSms> {
  const credentials = await twilioCredentials();
  return credentials.live ? sendViaTwilio(await twilioClient(credentials), sms) : appendToOutbox(sms);
}

export async function sendViaTwilio(client: TwilioClient, sms: OutboundSms): Promise<SentSms> {
  try {
    const message = await client.messages.create({
      to: sms.to,
      from: sms.from,
      body: sms.body,
      ...(sms.mediaUrls.length > 0 ? { mediaUrl: sms.mediaUrls } : {}),
      statusCallback: sms.statusCallback,
    });
    return { sid: message.sid, status: message.status === 'failed' || message.status === 'undelivered' ? message.status : 'queued' };
  } catch (error) {
    if (error instanceof RestException) throw new TwilioRefusedError(error.message, error.code, error.status);
    throw error;
  }
}

export const outboxFile = (): string => resolve(process.env.OUTBOX_FILE ?? '.data/outbox.jsonl');

/** The local outbox: one JSON line per message, printed too, with a unique fake SID. */
export function appendToOutbox(sms: OutboundSms): SentSms {
  const sid = `SMlocal${randomUUID().replace(/-/g, '')}`;
  const entry = { to: sms.to, from: sms.from, body: sms.body, mediaUrls: sms.mediaUrls, sid, statusCallback: sms.statusCallback, createdAt: new Date().toISOString() };
  const file = outboxFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify(entry) + '\n');
  console.log(`[outbox] ${JSON.stringify(entry)}`);
  return { sid, status: 'queued' };
}

/**
 * The messenger: the one place that talks to Twilio. On AWS (and locally when real credentials
 * are set) messages go out through the twilio library's REST client. The local stack points the
 * same client at its local carrier (TWILIO_API_URL), which answers as Twilio does. With neither,
 * messages land in the local outbox file, so a test can run without any carrier.
 *
 * Every call is bounded (TWILIO_TIMEOUT_MS, well inside the functions' timeouts) and every failure
 * becomes a CarrierError that says whether retrying can help (rules.ts, classifyCarrierFailure).
 * The same client reads WhatsApp template approvals from Twilio's Content API (fetchContentApproval).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type twilio from 'twilio';
import type { ClientOpts } from 'twilio/lib/base/BaseTwilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

type RequestOptions<T> = RequestClient.RequestOptions<T>;
import { twilioCredentials, type TwilioCredentials } from '../shared/secrets';
import { onFirstUse } from '../shared/first-use';
import { tracedCall } from '../shared/xray';
import { classifyCarrierFailure, type CarrierFailure, type MessageStatus } from './delivery-rules';
import type { CarrierRequest } from './channels';
import type { CarrierMessage } from './sending-rules';

/**
 * How long one send may wait for Twilio: half the sender's timeout. Only the sender worker calls
 * Twilio (never a request someone waits on), so a slow carrier (10 s) is waited for rather than
 * timed out and tried again, which might send the message twice.
 */
export const TWILIO_TIMEOUT_MS = 15_000;

export interface CarrierReceipt {
  sid: string;
  status: MessageStatus;
}

/** Twilio did not take the message: `failure` says whether for good (refused) or for now (unavailable). */
export class CarrierError extends Error {
  constructor(
    message: string,
    readonly failure: CarrierFailure,
    readonly twilioCode?: number,
  ) {
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
const loadTwilio = /* @__PURE__ */ onFirstUse(() => import('./twilio-rest.mjs').then((module) => module.default));

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

/** The local carrier's URL (local stack only): the REST client sends there instead of api.twilio.com. */
const localCarrierUrl = () => process.env.TWILIO_API_URL;

async function defaultOptions(): Promise<TwilioClientOptions> {
  const twilioLib = await loadTwilio();
  const target = localCarrierUrl();
  /**
   * Every call an X-Ray subsegment (functions/shared/xray.ts, `tracedCall`); locally, path and
   * query kept and the origin swapped for the local carrier's.
   */
  class CarrierHttp extends twilioLib.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const sent = new URL(opts.uri);
      const uri = target ? `${target}${sent.pathname}${sent.search}` : opts.uri;
      return tracedCall(
        { method: opts.method, url: uri },
        () => super.request<TData>({ ...opts, uri }),
        (answer) => answer.statusCode,
      );
    }
  }
  return { httpClient: new CarrierHttp({ timeout: TWILIO_TIMEOUT_MS }), autoRetry: false };
}

/** One client per account and container. */
export async function twilioClient(
  credentials: TwilioCredentials,
  options: TwilioClientOptions | undefined = clientOptions,
): Promise<TwilioClient> {
  let client = clients.get(credentials.accountSid);
  if (!client || options !== clientOptions) {
    const twilioLib = await loadTwilio();
    client = twilioLib(credentials.accountSid, credentials.authToken, options ?? (await defaultOptions()));
    if (options === clientOptions) clients.set(credentials.accountSid, client);
  }
  return client;
}

/** The carrier call of every channel: the channel built the request (channels/, carrierRequest). */
export async function sendToCarrier(request: CarrierRequest): Promise<CarrierReceipt> {
  const credentials = await twilioCredentials();
  if (credentials.live || localCarrierUrl() || clientOptions)
    return sendViaTwilio(await twilioClient(credentials), request);
  return appendToOutbox(request);
}

/** How many of the most recent messages between two numbers an expired claim is looked for in: one page. */
const RECENT_PAGE_SIZE = 50;

/**
 * The carrier's most recent messages from `from` to `to`, newest first: one page of Twilio's
 * Messages list (the local carrier answers it too), or the outbox file without a carrier. The
 * outbox sweep asks when a send claim expired without a SID (sending-rules.ts, takenByCarrier).
 */
export async function recentMessages(to: string, from: string): Promise<CarrierMessage[]> {
  const credentials = await twilioCredentials();
  if (!(credentials.live || localCarrierUrl() || clientOptions)) return outboxMessages(to, from);
  const client = await twilioClient(credentials);
  const page = await client.messages.page({ to, from, pageSize: RECENT_PAGE_SIZE });
  return page.instances.map((m) => ({ sid: m.sid, body: m.body, createdAt: m.dateCreated }));
}

/** The outbox file's messages from `from` to `to`, newest first. */
export function outboxMessages(to: string, from: string, file = outboxFile()): CarrierMessage[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { to: string; from: string; body: string; sid: string; createdAt: string })
    .filter((line) => line.to === to && line.from === from)
    .map((line) => ({ sid: line.sid, body: line.body, createdAt: new Date(line.createdAt) }))
    .reverse();
}

export async function sendViaTwilio(client: TwilioClient, sms: CarrierRequest): Promise<CarrierReceipt> {
  try {
    const message = await client.messages.create({
      to: sms.to,
      from: sms.from,
      // A template is its ContentSid and variables, never a Body (channels/whatsapp.ts).
      ...(sms.contentSid
        ? { contentSid: sms.contentSid, ...(sms.contentVariables ? { contentVariables: sms.contentVariables } : {}) }
        : { body: sms.body ?? '' }),
      ...(sms.mediaUrls.length > 0 ? { mediaUrl: sms.mediaUrls } : {}),
      statusCallback: sms.statusCallback,
    });
    return {
      sid: message.sid,
      status: message.status === 'failed' || message.status === 'undelivered' ? message.status : 'queued',
    };
  } catch (error) {
    const answer = twilioAnswer(error);
    if (answer)
      throw new CarrierError(
        `Twilio answered ${answer.status}: ${(error as Error).message}`,
        classifyCarrierFailure({ code: answer.code, httpStatus: answer.status }),
        answer.code,
      );
    // No answer: a timeout, a refused connection, a reset. Whether Twilio took the message is unknown.
    const failure = classifyCarrierFailure({});
    const timedOut = /timeout|ECONNABORTED|ETIMEDOUT/i.test(
      `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`,
    );
    throw new CarrierError(
      `Twilio did not answer: ${(error as Error).message}`,
      timedOut ? { ...failure, errorCode: 'CARRIER_TIMEOUT' } : failure,
    );
  }
}

/**
 * How long a Content API read may take: it is on an admin's request (PUT /whatsapp/templates/…),
 * well inside the function's timeout, and a read that fails is simply tried again later.
 */
export const CONTENT_API_TIMEOUT_MS = 5_000;

/** Twilio's Content API gave no usable answer: no Twilio account to ask, no answer in time, or an error other than 404. */
export class ContentApiUnavailableError extends Error {}

/**
 * The WhatsApp approval of a Content SID as Twilio's Content API answers it
 * (GET content.twilio.com/v1/Content/{sid}/ApprovalRequests): `whatsapp.status` (`approved`,
 * `pending`, `rejected`, …; undefined when never submitted), or undefined when Twilio has no such
 * content (404). Through the same REST client as sends, so locally the local carrier answers.
 */
export async function fetchContentApproval(contentSid: string): Promise<{ status: string | undefined } | undefined> {
  const credentials = await twilioCredentials();
  if (!(credentials.live || localCarrierUrl() || clientOptions))
    throw new ContentApiUnavailableError('No Twilio account is configured to read template approvals from.');
  const client = await twilioClient(credentials);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${CONTENT_API_TIMEOUT_MS} ms`)), CONTENT_API_TIMEOUT_MS);
  });
  try {
    const approval = await Promise.race([client.content.v1.contents(contentSid).approvalFetch().fetch(), timeout]);
    const status = (approval.whatsapp as { status?: unknown } | null | undefined)?.status;
    return { status: typeof status === 'string' ? status : undefined };
  } catch (error) {
    if (twilioAnswer(error)?.status === 404) return undefined;
    throw new ContentApiUnavailableError(`Twilio's Content API did not answer: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Twilio's RestException, recognised by its shape (an HTTP status and Twilio's error code): the
 * class is not one object across module systems (the REST client is loaded on its own), so
 * `instanceof` cannot be trusted. An error without a status never got an answer.
 */
function twilioAnswer(error: unknown): { status: number; code?: number } | undefined {
  const fields = error as { status?: unknown; code?: unknown } | null;
  if (!(error instanceof Error) || typeof fields?.status !== 'number') return undefined;
  return { status: fields.status, ...(typeof fields.code === 'number' ? { code: fields.code } : {}) };
}

export const outboxFile = (): string => resolve(process.env.OUTBOX_FILE ?? '.data/outbox.jsonl');

/** One accepted message as a JSON line of the outbox file (printed too): the local carrier and the carrier-less fallback both write here. */
export function writeOutboxLine(entry: {
  to: string;
  from: string;
  body: string;
  contentSid?: string;
  mediaUrls: string[];
  sid: string;
  statusCallback: string;
}): void {
  const line = { ...entry, createdAt: new Date().toISOString() };
  const file = outboxFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(line)}\n`);
  console.log(`[outbox] ${JSON.stringify(line)}`);
}

/** No carrier at all (unit and integration tests): the message is written to the outbox with a unique fake SID. */
export function appendToOutbox(sms: CarrierRequest): CarrierReceipt {
  const sid = `SMlocal${randomUUID().replace(/-/g, '')}`;
  writeOutboxLine({
    to: sms.to,
    from: sms.from,
    body: sms.body ?? '',
    ...(sms.contentSid ? { contentSid: sms.contentSid } : {}),
    mediaUrls: sms.mediaUrls,
    sid,
    statusCallback: sms.statusCallback,
  });
  return { sid, status: 'queued' };
}

/**
 * The local carrier: a stand-in for Twilio's Messages API on a loopback port, so the local stack
 * sends through the real twilio REST client and meets Twilio's answers. Accepted messages go to
 * the outbox file; then, as Twilio does, signed status callbacks are posted to the message's
 * StatusCallback URL: `sent` (before the create call is answered, the hardest order for the
 * sender), then `delivered`. Twilio's test numbers refuse with their codes, two numbers of
 * this project end `undelivered` (30003) and `failed` (30007), and three exercise the sender
 * (slow: 10 s; two 500s, or two 20429s, then accepted), so every failure path can be driven end
 * to end (docs/rules.md, local carrier). It speaks WhatsApp (`whatsapp:` addresses): free text
 * outside the customer's 24-hour window is refused with 63016 (./whatsapp-window.ts), ContentSid
 * sends are taken and followed by `sent`, `delivered`, `read`, and `whatsapp:+15005550006` is
 * refused with 63024. It answers the Content API's template approvals too (./content-api.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { outboxMessages, writeOutboxLine } from '../../functions/conversations/messenger';
import { approvalAnswer, isContentApiPath } from './content-api';
import { windowOpen } from './whatsapp-window';
import { LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';

/** Refused at once, with Twilio's error code and message. */
export const REFUSING_NUMBERS: Readonly<Record<string, { code: number; message: string }>> = {
  '+15005550001': { code: 21211, message: "The 'To' number is not a valid phone number." },
  '+15005550002': { code: 21612, message: "The 'To' phone number is not currently reachable via SMS." },
  '+15005550003': {
    code: 21408,
    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient.' },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number." },
};
/** WhatsApp: "Recipient is not a valid WhatsApp user" (63024), refused at once. */
export const WHATSAPP_INVALID_NUMBER = 'whatsapp:+15005550006';

/**
 * Twilio's refusal of a WhatsApp send, or undefined when it takes it: 63024 for the invalid
 * test number; 63016 for free text (no ContentSid) outside the customer's 24-hour window.
 */
function whatsAppRefusal(form: URLSearchParams): { code: number; message: string } | undefined {
  const to = form.get('To') ?? '';
  if (!to.startsWith('whatsapp:')) return undefined;
  if (to === WHATSAPP_INVALID_NUMBER) return { code: 63024, message: 'Invalid message recipient' };
  if (!form.get('ContentSid') && !windowOpen(form.get('From') ?? '', to, Date.now()))
    return {
      code: 63016,
      message: 'Failed to send freeform message because you are outside the allowed window. Please use a Template.',
    };
  return undefined;
}

/** Accepted, then reported failed by the (pretend) handset's carrier. */
export const FAILING_NUMBERS: Readonly<Record<string, { status: 'undelivered' | 'failed'; errorCode: string }>> = {
  '+15005550030': { status: 'undelivered', errorCode: '30003' },
  '+15005550031': { status: 'failed', errorCode: '30007' },
};

/**
 * The sender's test numbers: slow, or refusing the first tries of each message (a message is
 * known by its StatusCallback URL, which names it, so a retry of it is recognised).
 */
export const SLOW_NUMBER = '+15005550040';
export const FLAKY_NUMBERS: Readonly<Record<string, { status: number; code: number; message: string; times: number }>> =
  {
    '+15005550041': { status: 500, code: 20500, message: 'An internal server error has occurred', times: 2 },
    '+15005550042': { status: 429, code: 20429, message: 'Too Many Requests', times: 2 },
  };
/** How long the carrier takes to answer a send to the slow number. */
const SLOW_ANSWER_MS = 10_000;

export interface LocalCarrierOptions {
  authToken: string;
  /** Background work the stack waits for (`drained()`): the callbacks still to post. */
  track: (work: Promise<unknown>) => void;
  log: (line: string) => void;
  /** Time between `sent` and the final callback. Default 50 ms. */
  finalCallbackDelayMs?: number;
}

/**
 * Twilio's Messages list (one page, newest first, filtered by To and From), from the outbox file:
 * what the outbox sweep reads when a send claim expired without a SID.
 */
function listMessages(accountSid: string, url: string) {
  const query = new URL(url, 'http://carrier').searchParams;
  const pageSize = Number(query.get('PageSize') ?? '50');
  const messages = outboxMessages(query.get('To') ?? '', query.get('From') ?? '').slice(0, pageSize);
  return {
    messages: messages.map((m) => ({
      sid: m.sid,
      account_sid: accountSid,
      to: query.get('To'),
      from: query.get('From'),
      body: m.body,
      status: 'delivered',
      date_created: m.createdAt.toUTCString(),
    })),
    page: 0,
    page_size: pageSize,
    next_page_uri: null,
  };
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export class LocalCarrier {
  private server: Server | undefined;
  private readonly tries = new Map<string, number>();
  url = '';

  constructor(private readonly options: LocalCarrierOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.serve(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  private async serve(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'GET' && isContentApiPath(path)) return this.serveContentApi(req, path);
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if ((req.method !== 'POST' && req.method !== 'GET') || !match)
      return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    if (user !== match[1] || password !== this.options.authToken) {
      return { status: 401, body: { code: 20003, message: 'Authentication Error - invalid username', status: 401 } };
    }
    if (req.method === 'GET') return { status: 200, body: listMessages(match[1]!, req.url ?? '') };
    const form = new URLSearchParams(await readBody(req));
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const refusal = REFUSING_NUMBERS[to] ?? whatsAppRefusal(form);
    if (refusal) {
      this.options.log(`carrier: refused ${to} with ${refusal.code}`);
      return {
        status: 400,
        body: {
          code: refusal.code,
          message: refusal.message,
          more_info: `https://www.twilio.com/docs/errors/${refusal.code}`,
          status: 400,
        },
      };
    }
    const statusCallback = form.get('StatusCallback') ?? '';
    const flaky = FLAKY_NUMBERS[to];
    if (flaky) {
      const identity = statusCallback || `${to}|${form.get('Body') ?? ''}`;
      const tries = (this.tries.get(identity) ?? 0) + 1;
      this.tries.set(identity, tries);
      if (tries <= flaky.times) {
        this.options.log(`carrier: answered ${flaky.status} (${flaky.code}) to try ${tries} for ${to}`);
        return { status: flaky.status, body: { code: flaky.code, message: flaky.message, status: flaky.status } };
      }
    }
    if (to === SLOW_NUMBER) await new Promise((resolve) => setTimeout(resolve, SLOW_ANSWER_MS));
    const sid = `SM${randomBytes(16).toString('hex')}`;
    writeOutboxLine({
      to,
      from,
      body: form.get('Body') ?? '',
      ...(form.get('ContentSid') ? { contentSid: form.get('ContentSid')! } : {}),
      mediaUrls: form.getAll('MediaUrl'),
      sid,
      statusCallback,
    });
    if (statusCallback) {
      const callbacks = this.postCallbacks({ sid, to, from, accountSid: match[1]!, statusCallback });
      this.options.track(callbacks);
      await callbacks.sentPosted;
    }
    return {
      status: 201,
      body: {
        sid,
        account_sid: match[1],
        to,
        from,
        body: form.get('Body') ?? '',
        status: 'queued',
        num_media: String(form.getAll('MediaUrl').length),
        date_created: new Date().toUTCString(),
        error_code: null,
      },
    };
  }

  /** The Content API's approval read (./content-api.ts), behind the same Basic auth as Twilio's. */
  private serveContentApi(req: IncomingMessage, path: string): { status: number; body: unknown } {
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    if (!user || password !== this.options.authToken)
      return { status: 401, body: { code: 20003, message: 'Authentication Error - invalid username', status: 401 } };
    return approvalAnswer(user, path);
  }

  /** `sent` now (awaited by the create call), the final status a moment later. */
  private postCallbacks(input: {
    sid: string;
    to: string;
    from: string;
    accountSid: string;
    statusCallback: string;
  }): Promise<void> & { sentPosted: Promise<void> } {
    const failing = FAILING_NUMBERS[input.to];
    const sentPosted = this.postStatus(input, 'sent');
    const all = sentPosted.then(async () => {
      await new Promise((r) => setTimeout(r, this.options.finalCallbackDelayMs ?? 50));
      await this.postStatus(input, failing?.status ?? 'delivered', failing?.errorCode);
      // WhatsApp reports the customer read it.
      if (!failing && input.to.startsWith('whatsapp:')) await this.postStatus(input, 'read');
    });
    return Object.assign(all, { sentPosted });
  }

  private async postStatus(
    input: { sid: string; to: string; from: string; accountSid: string; statusCallback: string },
    status: string,
    errorCode?: string,
  ): Promise<void> {
    const params: Record<string, string> = {
      MessageSid: input.sid,
      SmsSid: input.sid,
      AccountSid: input.accountSid,
      From: input.from,
      To: input.to,
      MessageStatus: status,
      SmsStatus: status,
      ApiVersion: '2010-04-01',
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    };
    try {
      const response = await fetch(input.statusCallback, {
        method: 'POST',
        ...signedTwilioForm(input.statusCallback, params, this.options.authToken),
      });
      if (!response.ok)
        this.options.log(`carrier: status callback ${status} for ${input.sid} answered ${response.status}`);
    } catch (error) {
      this.options.log(`carrier: status callback ${status} for ${input.sid} failed: ${(error as Error).message}`);
    }
  }
}

/**
 * A webhook request as Twilio sends it: the form as text, and X-Twilio-Signature computed over
 * the public URL and the form with the auth token. The local carrier, the tests and the benches
 * all post Twilio's webhooks through this.
 */
export function signedTwilioForm(
  url: string,
  form: Record<string, string>,
  authToken: string = LOCAL_TWILIO_AUTH_TOKEN,
): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(authToken, url, form),
    },
    body: new URLSearchParams(form).toString(),
  };
}

/**
 * Twilio's inbound webhook (SMS/MMS, opt-in/out keywords), also its Fallback URL. Every request
 * must carry a valid X-Twilio-Signature over our public URL (twilio-signature.ts), checked before
 * anything else: otherwise 403 and no table or queue call. Messages are only accepted and queued
 * here (accept-inbound.ts). Status callbacks have a function of their own (twilio-status.handler.ts), so
 * a flood of them cannot take this one's concurrency.
 *
 * A message's receive time is when API Gateway received the request (`requestContext.timeEpoch`,
 * set by the gateway, never by the caller): the moment Twilio delivered it, not when this
 * function got to run after a cold start. The local stack's `POST /_local/sms` sets that time on
 * the event it builds to replay a message "received" earlier (README, "Texting the store locally").
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { httpApi, publicRoute, type HttpEvent, type HttpResult } from '../shared/http';
import { parseOrReject } from '../shared/validation';
import { acceptInbound } from './accept-inbound';
import { InboundSms } from './twilio-model';
import { requireTwilioSignature } from './twilio-signature';

const AnyForm = /* @__PURE__ */ droppable(() => z.record(z.string(), z.string()));

const twiml = (body: string): HttpResult => ({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body });

/** When the gateway received the request (payload format 2.0 always carries it). */
const receivedAt = (event: HttpEvent): Date => new Date(event.requestContext.timeEpoch);

export const handler = httpApi({
  'POST /webhooks/twilio/sms': publicRoute({ form: AnyForm }, async ({ event, headers, body }) => {
    await requireTwilioSignature(event, headers['x-twilio-signature'], body);
    // Fields Twilio must send: checked after the signature, so an unsigned request learns nothing.
    const sms = parseOrReject('body', InboundSms, body, 'Invalid Twilio request');
    return twiml(await acceptInbound(sms, body, receivedAt(event)));
  }),
});

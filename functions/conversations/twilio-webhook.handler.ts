/**
 * Twilio's webhooks: inbound SMS/MMS and delivery status callbacks. Every request must carry a
 * valid X-Twilio-Signature computed over our public URL (PUBLIC_BASE_URL + path + query: behind
 * API Gateway the Host header is the execute-api domain, not the URL Twilio called); otherwise
 * 403 and nothing is stored. Inbound messages are only accepted and queued here (inbound.ts).
 */
import * as z from 'zod';
import { ForbiddenError } from '../shared/errors';
import { loadConfig } from '../shared/config';
import { httpApi, publicRoute, type HttpEvent, type HttpResult } from '../shared/http';
import { systemClock } from '../shared/clock';
import { recordWebhookRefused } from '../shared/metrics';
import { parseOrReject } from '../shared/validation';
import { acceptInbound, isSignedByTwilio, receiveStatus } from './inbound';
import { InboundSms, StatusCallback, StatusCallbackQuery } from './model';

const config = loadConfig('publicBaseUrl');
const AnyForm = z.record(z.string(), z.string());

const publicUrlOf = (event: HttpEvent): string =>
  `${config.publicBaseUrl}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;

async function requireTwilioSignature(
  event: HttpEvent,
  signature: string | undefined,
  params: Record<string, string>,
): Promise<void> {
  if (!(await isSignedByTwilio({ signature, url: publicUrlOf(event), params }))) {
    recordWebhookRefused('twilio');
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request.');
  }
}

/** Fields Twilio must send; checked after the signature, so an unsigned request learns nothing. */
function fieldsOf<T>(schema: z.ZodType<T>, form: Record<string, string>): T {
  return parseOrReject('body', schema, form, 'Invalid Twilio request');
}

const twiml = (body: string): HttpResult => ({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body });

export const handler = httpApi({
  'POST /webhooks/twilio/sms': publicRoute({ form: AnyForm }, async ({ event, headers, body }) => {
    await requireTwilioSignature(event, headers['x-twilio-signature'], body);
    return twiml(await acceptInbound(fieldsOf(InboundSms, body), body, systemClock()));
  }),
  'POST /webhooks/twilio/status': publicRoute(
    { form: AnyForm, query: StatusCallbackQuery },
    async ({ event, headers, body, query }) => {
      await requireTwilioSignature(event, headers['x-twilio-signature'], body);
      await receiveStatus(fieldsOf(StatusCallback, body), query, systemClock());
      return { statusCode: 204 };
    },
  ),
});

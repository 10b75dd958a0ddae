/**
 * Twilio's delivery status callbacks (the URL each send names, hand-over.ts). Its own function,
 * with its own reserved concurrency and route throttle, so callbacks (two per message sent) can
 * never starve inbound messages. The signature is checked before anything else
 * (twilio-signature.ts): otherwise 403 and no table call.
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { httpApi, publicRoute } from '../shared/http';
import { systemClock } from '../shared/clock';
import { parseOrReject } from '../shared/validation';
import { receiveStatus } from './receive-status';
import { StatusCallback, StatusCallbackQuery } from './twilio-model';
import { requireTwilioSignature } from './twilio-signature';

const AnyForm = /* @__PURE__ */ droppable(() => z.record(z.string(), z.string()));

export const handler = httpApi({
  'POST /webhooks/twilio/status': publicRoute(
    { form: AnyForm, query: StatusCallbackQuery },
    async ({ event, headers, body, query }) => {
      await requireTwilioSignature(event, headers['x-twilio-signature'], body);
      const callback = parseOrReject('body', StatusCallback, body, 'Invalid Twilio request');
      await receiveStatus(callback, query, systemClock());
      return { statusCode: 204 };
    },
  ),
});

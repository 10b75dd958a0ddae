/**
 * The check both Twilio webhooks run first: a valid X-Twilio-Signature over the URL Twilio called
 * (PUBLIC_BASE_URL + path + query, functions/shared/public-url.ts), or 403 and nothing else. It
 * reads the auth token (Secrets Manager, cached) and nothing more: no table, no queue, so an
 * unsigned flood costs no database or queue call.
 */
import { ForbiddenError } from '../shared/errors';
import { loadConfig } from '../shared/config';
import type { HttpEvent } from '../shared/http';
import { recordWebhookRefused } from '../shared/metrics';
import { publicRequestUrl } from '../shared/public-url';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { twilioCredentials } from '../shared/secrets';

const publicBaseUrl = () => loadConfig('publicBaseUrl').publicBaseUrl;

/** Twilio's request: the URL it called (our public base URL + path + query) and its form fields. */
export async function isSignedByTwilio(input: {
  signature: string | undefined;
  url: string;
  params: Record<string, string>;
}): Promise<boolean> {
  if (!input.signature) return false;
  const signedWith = (authToken: string) => validateRequest(authToken, input.signature!, input.url, input.params);
  if (signedWith((await twilioCredentials()).authToken)) return true;
  // The cached token may be the one just rotated out: one fresh read decides.
  const fresh = await twilioCredentials({ refresh: true });
  return fresh.refreshed && signedWith(fresh.authToken);
}

export async function requireTwilioSignature(
  event: HttpEvent,
  signature: string | undefined,
  params: Record<string, string>,
): Promise<void> {
  const url = publicRequestUrl(publicBaseUrl(), event.rawPath, event.rawQueryString);
  if (!(await isSignedByTwilio({ signature, url, params }))) {
    recordWebhookRefused('twilio');
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request.');
  }
}

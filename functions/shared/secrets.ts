/**
 * Secrets: on AWS read once per container from Secrets Manager (the ARN comes from the
 * manifest binding); locally from the environment with the fixed defaults listed in
 * docs/architecture.md ("The local stack"), so a client can sign webhooks without configuration.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { ENV } from './env-names';

const secretsManager = /* @__PURE__ */ new SecretsManagerClient({});
const cache = new Map<string, Promise<string>>();

async function fetchSecret(arn: string): Promise<string> {
  const out = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error(`Secret ${arn} has no string value`);
  return out.SecretString;
}

function cached(arn: string): Promise<string> {
  let value = cache.get(arn);
  if (!value) {
    value = fetchSecret(arn);
    value.catch(() => cache.delete(arn));
    cache.set(arn, value);
  }
  return value;
}

export const TwilioCredentials = z.object({
  accountSid: z.string().min(1),
  authToken: z.string().min(1),
});
export type TwilioCredentials = z.infer<typeof TwilioCredentials>;

export const LOCAL_TWILIO_AUTH_TOKEN = 'local-twilio-token';
export const LOCAL_PAYMENT_SECRET = 'local-payment-secret';
export const LOCAL_SUPPRESSION_KEY = 'local-suppression-key';

/**
 * Twilio credentials. On AWS the secret is JSON `{accountSid, authToken}`. Locally
 * TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN may be set to send for real; `live` says whether
 * messages should go to Twilio (true) or to the local outbox (false).
 */
export async function twilioCredentials(): Promise<TwilioCredentials & { live: boolean }> {
  const arn = process.env[ENV.twilioSecret];
  if (arn) return { ...TwilioCredentials.parse(JSON.parse(await cached(arn))), live: true };
  const accountSid = process.env.TWILIO_ACCOUNT_SID;
  return {
    accountSid: accountSid ?? 'AC_local',
    authToken: process.env.TWILIO_AUTH_TOKEN ?? LOCAL_TWILIO_AUTH_TOKEN,
    live: Boolean(accountSid && process.env.TWILIO_AUTH_TOKEN),
  };
}

/** The HMAC key of suppression records (an erased customer's phone number, kept only as a keyed hash). */
export async function suppressionKey(): Promise<string> {
  const arn = process.env[ENV.suppressionSecret];
  if (arn) return cached(arn);
  return process.env.SUPPRESSION_KEY ?? LOCAL_SUPPRESSION_KEY;
}

/** The payment provider's webhook signing secret (plain string). */
export async function paymentWebhookSecret(): Promise<string> {
  const arn = process.env[ENV.paymentSecret];
  if (arn) return cached(arn);
  return process.env.PAYMENT_WEBHOOK_SECRET ?? LOCAL_PAYMENT_SECRET;
}

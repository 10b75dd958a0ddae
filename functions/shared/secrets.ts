/**
 * Secrets: on AWS read from Secrets Manager through Powertools Parameters (the ARN comes from the
 * manifest binding) and cached for SECRET_MAX_AGE_SECONDS, so a rotated secret reaches every warm
 * container within minutes; locally from the environment with the fixed defaults of the local
 * stack, so a client can sign webhooks without configuration.
 *
 * A webhook whose signature fails against the cached secret asks for one fresh read
 * (`{ refresh: true }`): right after a rotation that is the new secret, and the request passes.
 * Such fresh reads are spaced by SECRET_MIN_REFRESH_MS, so forged requests cannot turn every
 * refusal into a Secrets Manager call.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';
import { droppable } from './droppable';
import { ENV } from './env-names';
import { traced } from './xray';

export const SECRET_MAX_AGE_SECONDS = 300;
export const SECRET_MIN_REFRESH_MS = 30_000;

/**
 * The Secrets Manager client and the Powertools provider over it, built on the first secret read:
 * a function that never reads one (most of the HTTP chain only holds the cursor helpers that
 * could) then neither builds nor bundles them (README, "Measured").
 */
let reader: { client: SecretsManagerClient; provider: SecretsProvider } | undefined;
function secretsReader(): { client: SecretsManagerClient; provider: SecretsProvider } {
  if (!reader) {
    const client = traced(new SecretsManagerClient({}));
    reader = { client, provider: new SecretsProvider({ awsSdkV3Client: client }) };
  }
  return reader;
}
/** When each secret was last read afresh because a signature failed. */
const refreshedAt = new Map<string, number>();
/** Each rotated secret's `AWSPREVIOUS` value (undefined: never rotated) and when it was read. */
const previousValues = new Map<string, { value: string | undefined; readAt: number }>();

/** `refreshed`: this call read Secrets Manager afresh (only ever true when `refresh` was asked). */
async function secretString(arn: string, refresh: boolean): Promise<{ value: string; refreshed: boolean }> {
  const last = refreshedAt.get(arn);
  const forceFetch = refresh && (last === undefined || Date.now() - last >= SECRET_MIN_REFRESH_MS);
  if (forceFetch) refreshedAt.set(arn, Date.now());
  const value = await secretsReader().provider.get(arn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch });
  if (typeof value !== 'string' || value === '') throw new Error(`Secret ${arn} has no string value`);
  return { value, refreshed: forceFetch };
}

/**
 * The value a rotation replaced (stage `AWSPREVIOUS`), cached like the current one; undefined
 * while the secret was never rotated. Read straight from the client: Powertools' cache keys by
 * name only, so it would hand the current value back.
 */
async function previousSecretString(arn: string): Promise<string | undefined> {
  const cached = previousValues.get(arn);
  if (cached && Date.now() - cached.readAt < SECRET_MAX_AGE_SECONDS * 1000) return cached.value;
  let value: string | undefined;
  try {
    const out = await secretsReader().client.send(
      new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }),
    );
    value = out.SecretString || undefined;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  previousValues.set(arn, { value, readAt: Date.now() });
  return value;
}

export interface SecretOptions {
  /** The cached value just failed a signature check: read it afresh (at most every SECRET_MIN_REFRESH_MS). */
  readonly refresh?: boolean;
}

export const TwilioCredentials = /* @__PURE__ */ droppable(() =>
  z.object({
    accountSid: z.string().check(z.minLength(1)),
    authToken: z.string().check(z.minLength(1)),
  }),
);
export type TwilioCredentials = z.infer<typeof TwilioCredentials>;

export const LOCAL_TWILIO_AUTH_TOKEN = 'local-twilio-token';
export const LOCAL_PAYMENT_SECRET = 'local-payment-secret';
export const LOCAL_SUPPRESSION_KEY = 'local-suppression-key';
export const LOCAL_CURSOR_KEY = 'local-cursor-key';

/**
 * Twilio credentials. On AWS the secret is JSON `{accountSid, authToken}`. Locally
 * TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN may be set to send for real; `live` says whether
 * messages should go to Twilio (true) or to the local outbox (false).
 */
export async function twilioCredentials(
  options: SecretOptions = {},
): Promise<TwilioCredentials & { live: boolean; refreshed: boolean }> {
  const arn = process.env[ENV.twilioSecret];
  if (arn) {
    const { value, refreshed } = await secretString(arn, options.refresh ?? false);
    return { ...TwilioCredentials.parse(JSON.parse(value)), live: true, refreshed };
  }
  const accountSid = process.env.TWILIO_ACCOUNT_SID;
  return {
    accountSid: accountSid ?? 'AC_local',
    authToken: process.env.TWILIO_AUTH_TOKEN ?? LOCAL_TWILIO_AUTH_TOKEN,
    live: Boolean(accountSid && process.env.TWILIO_AUTH_TOKEN),
    refreshed: false,
  };
}

/** The HMAC key of suppression records (an erased customer's phone number, kept only as a keyed hash). */
export async function suppressionKey(): Promise<string> {
  const arn = process.env[ENV.suppressionSecret];
  if (arn) return (await secretString(arn, false)).value;
  return process.env.SUPPRESSION_KEY ?? LOCAL_SUPPRESSION_KEY;
}

/** The payment provider's webhook signing secret (plain string). */
export async function paymentWebhookSecret(): Promise<string> {
  const arn = process.env[ENV.paymentSecret];
  if (arn) return (await secretString(arn, false)).value;
  return process.env.PAYMENT_WEBHOOK_SECRET ?? LOCAL_PAYMENT_SECRET;
}

/**
 * After a signature failed against the cached secret: the secret read afresh, or undefined when
 * no fresh read happened (local secrets, or one was made less than SECRET_MIN_REFRESH_MS ago).
 */
export async function refreshedPaymentWebhookSecret(): Promise<string | undefined> {
  const arn = process.env[ENV.paymentSecret];
  if (!arn) return undefined;
  const { value, refreshed } = await secretString(arn, true);
  return refreshed ? value : undefined;
}

/** The HMAC keys of list cursors: `current` signs, `previous` (the key a rotation replaced) still verifies. */
export interface CursorKeys {
  readonly current: string;
  readonly previous?: string;
  /** `current` was read afresh by this call (only ever true when `refresh` was asked). */
  readonly refreshed: boolean;
}

/**
 * The cursor signing keys (docs/architecture.md, "HTTP API"). On AWS the secret's `AWSCURRENT`
 * and `AWSPREVIOUS` stages, so a cursor given out just before a rotation still verifies; locally
 * CURSOR_KEY (and CURSOR_KEY_PREVIOUS), with a fixed default.
 */
export async function cursorKeys(options: SecretOptions = {}): Promise<CursorKeys> {
  const arn = process.env[ENV.cursorSecret];
  if (arn) {
    const [{ value, refreshed }, previous] = await Promise.all([
      secretString(arn, options.refresh ?? false),
      previousSecretString(arn),
    ]);
    return { current: value, previous, refreshed };
  }
  const previous = process.env.CURSOR_KEY_PREVIOUS || undefined;
  return { current: process.env.CURSOR_KEY || LOCAL_CURSOR_KEY, previous, refreshed: false };
}

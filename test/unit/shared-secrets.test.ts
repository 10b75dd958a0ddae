import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../functions/shared/env-names';

const TWILIO_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:twilio';
const PAYMENT_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:payment';
const secretsManager = mockClient(SecretsManagerClient);
const stored = new Map<string, string>();
const twilioSecret = (authToken: string) => JSON.stringify({ accountSid: 'AC123', authToken });
const reads = (arn: string) =>
  secretsManager.commandCalls(GetSecretValueCommand).filter((c) => c.args[0].input.SecretId === arn).length;

const url = 'https://api.example.com/webhooks/twilio/sms';
const params = { MessageSid: 'SM1', From: '+15551230000', To: '+15557650000', Body: 'hi' };
const signedWith = (token: string) => ({ signature: getExpectedTwilioSignature(token, url, params), url, params });

let isSignedByTwilio: typeof import('../../functions/conversations/inbound').isSignedByTwilio;
let secrets: typeof import('../../functions/shared/secrets');

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T12:00:00Z') });
  vi.stubEnv(ENV.twilioSecret, TWILIO_ARN);
  vi.stubEnv(ENV.paymentSecret, PAYMENT_ARN);
  secretsManager
    .on(GetSecretValueCommand)
    .callsFake(async (input: { SecretId: string }) => ({ SecretString: stored.get(input.SecretId) }));
  ({ isSignedByTwilio } = await import('../../functions/conversations/inbound'));
  secrets = await import('../../functions/shared/secrets');
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  secretsManager.restore();
});

describe('secrets after a rotation', () => {
  it('a webhook signed with the new Twilio token passes at once: one fresh read after the cached token fails', async () => {
    stored.set(TWILIO_ARN, twilioSecret('token-a'));
    expect(await isSignedByTwilio(signedWith('token-a'))).toBe(true);
    expect(await isSignedByTwilio(signedWith('token-a'))).toBe(true);
    expect(reads(TWILIO_ARN)).toBe(1);

    stored.set(TWILIO_ARN, twilioSecret('token-b'));
    expect(await isSignedByTwilio(signedWith('token-b'))).toBe(true);
    expect(reads(TWILIO_ARN)).toBe(2);
    expect(await isSignedByTwilio(signedWith('token-b'))).toBe(true);
    expect(reads(TWILIO_ARN)).toBe(2);
  });

  it('a forged signature costs no fresh read within the refresh spacing, one after it', async () => {
    const before = reads(TWILIO_ARN);
    expect(await isSignedByTwilio(signedWith('forged'))).toBe(false);
    expect(await isSignedByTwilio({ ...signedWith('forged'), signature: undefined })).toBe(false);
    expect(reads(TWILIO_ARN)).toBe(before);
    vi.advanceTimersByTime(secrets.SECRET_MIN_REFRESH_MS);
    expect(await isSignedByTwilio(signedWith('forged'))).toBe(false);
    expect(reads(TWILIO_ARN)).toBe(before + 1);
  });

  it('the cached secret is read again once it is older than its max age, without any failure', async () => {
    stored.set(PAYMENT_ARN, 'payment-1');
    expect(await secrets.paymentWebhookSecret()).toBe('payment-1');
    stored.set(PAYMENT_ARN, 'payment-2');
    expect(await secrets.paymentWebhookSecret()).toBe('payment-1');
    vi.advanceTimersByTime(secrets.SECRET_MAX_AGE_SECONDS * 1000 + 1);
    expect(await secrets.paymentWebhookSecret()).toBe('payment-2');
    expect(reads(PAYMENT_ARN)).toBe(2);
  });

  it('refreshedPaymentWebhookSecret reads afresh at most once per spacing', async () => {
    stored.set(PAYMENT_ARN, 'payment-3');
    vi.advanceTimersByTime(secrets.SECRET_MIN_REFRESH_MS);
    expect(await secrets.refreshedPaymentWebhookSecret()).toBe('payment-3');
    expect(await secrets.refreshedPaymentWebhookSecret()).toBeUndefined();
  });
});

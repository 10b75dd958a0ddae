import { createHmac } from 'node:crypto';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { ENV } from '../../functions/shared/env-names';

const TWILIO_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:twilio';
const PAYMENT_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:payment';
const CURSOR_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor';
/** The value a rotation replaced is kept under this name: Secrets Manager's `AWSPREVIOUS` stage. */
const previousOf = (arn: string) => `${arn}:AWSPREVIOUS`;
const secretsManager = mockClient(SecretsManagerClient);
const stored = new Map<string, string>();
const twilioSecret = (authToken: string) => JSON.stringify({ accountSid: 'AC123', authToken });
const reads = (arn: string) =>
  secretsManager.commandCalls(GetSecretValueCommand).filter((c) => c.args[0].input.SecretId === arn).length;

const url = 'https://api.example.com/webhooks/twilio/sms';
const params = { MessageSid: 'SM1', From: '+15551230000', To: '+15557650000', Body: 'hi' };
const signedWith = (token: string) => ({ signature: getExpectedTwilioSignature(token, url, params), url, params });

let isSignedByTwilio: typeof import('../../functions/conversations/twilio-signature').isSignedByTwilio;
let secrets: typeof import('../../functions/shared/secrets');
let pagination: typeof import('../../functions/shared/pagination');

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T12:00:00Z') });
  vi.stubEnv(ENV.twilioSecret, TWILIO_ARN);
  vi.stubEnv(ENV.paymentSecret, PAYMENT_ARN);
  vi.stubEnv(ENV.cursorSecret, CURSOR_ARN);
  secretsManager.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string; VersionStage?: string }) => {
    const name = input.VersionStage === 'AWSPREVIOUS' ? previousOf(input.SecretId) : input.SecretId;
    const value = stored.get(name);
    if (value === undefined) throw new ResourceNotFoundException({ message: `no ${name}`, $metadata: {} });
    return { SecretString: value };
  });
  ({ isSignedByTwilio } = await import('../../functions/conversations/twilio-signature'));
  secrets = await import('../../functions/shared/secrets');
  pagination = await import('../../functions/shared/pagination');
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

describe('the cursor key after a rotation', () => {
  const Position = z.object({ page: z.number() });
  const LIST = 'messages\nc-1';
  /** A secret's rotation as put-secret-value makes it: the new value current, the old one previous. */
  const rotate = (to: string) => {
    const from = stored.get(CURSOR_ARN);
    if (from !== undefined) stored.set(previousOf(CURSOR_ARN), from);
    stored.set(CURSOR_ARN, to);
  };
  const open = (cursor: string) => pagination.openCursor(cursor, LIST, Position);
  const signedWith = (key: string, payload: string) =>
    createHmac('sha256', key).update(`cursor/1\n${LIST}\n${payload}`).digest('base64url') + payload;

  it('still opens a cursor given out before the rotation, and refuses one two rotations old', async () => {
    rotate('cursor-key-1');
    const before = await pagination.sealCursor(LIST, { page: 1 });
    expect(await open(before)).toEqual({ page: 1 });

    rotate('cursor-key-2');
    vi.advanceTimersByTime(secrets.SECRET_MAX_AGE_SECONDS * 1000 + 1);
    const after = await pagination.sealCursor(LIST, { page: 2 });
    expect(after).not.toBe(before);
    expect(await open(before)).toEqual({ page: 1 });
    expect(await open(after)).toEqual({ page: 2 });

    rotate('cursor-key-3');
    vi.advanceTimersByTime(secrets.SECRET_MAX_AGE_SECONDS * 1000 + 1);
    await expect(open(before)).rejects.toMatchObject({ status: 400, errors: [{ in: 'query', field: 'cursor' }] });
    expect(await open(after)).toEqual({ page: 2 });
  });

  it("opens a cursor signed with a key newer than this container's cached one: one fresh read", async () => {
    vi.advanceTimersByTime(secrets.SECRET_MIN_REFRESH_MS);
    rotate('cursor-key-4');
    const payload = Buffer.from(JSON.stringify({ page: 4 })).toString('base64url');
    const reads = secretsManager.commandCalls(GetSecretValueCommand).length;
    expect(await open(signedWith('cursor-key-4', payload))).toEqual({ page: 4 });
    expect(secretsManager.commandCalls(GetSecretValueCommand).length).toBe(reads + 1);
    // A forged one within the refresh spacing costs no read at all.
    await expect(open(signedWith('forged', payload))).rejects.toMatchObject({ status: 400 });
    expect(secretsManager.commandCalls(GetSecretValueCommand).length).toBe(reads + 1);
  });
});

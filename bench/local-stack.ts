/**
 * The benches' local stack, started one way: its own temp folder under bench/tmp/, free ports,
 * DynamoDB Local in memory, no demo data, no log, no schedule timers. Plus what the stack benches
 * share: tokens, a store of their own, the signed Twilio webhook and quantiles.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from '../lib/local/stack';
import type { TokenSubject } from '../lib/local/tokens';
import { signedTwilioForm } from '../lib/local/carrier';

/** bench/tmp/<name>, emptied. */
export function benchDir(name: string): string {
  const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'tmp', name);
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

export interface BenchStack extends LocalStack {
  /** A token of this stack's signing key. */
  token(subject: TokenSubject): string;
}

/** A fresh stack in `dir` (see benchDir). */
export async function startBenchStack(dir: string): Promise<BenchStack> {
  const { startLocalStack } = await import('../lib/local/stack');
  const { loadOrCreateSigningKey, mintToken } = await import('../lib/local/tokens');
  const stack = await startLocalStack({
    port: 0,
    dynamodbPort: 0,
    s3Port: 0,
    dataDir: join(dir, 'data'),
    dropDir: join(dir, 'drop'),
    seedDemo: false,
    quiet: true,
    runSchedules: false,
    dynamoInMemory: true,
  });
  const key = loadOrCreateSigningKey(stack.dataDir);
  return { ...stack, token: (subject) => mintToken(key, subject) };
}

/** Registers a US store with this phone number, as the admin. */
export async function createBenchStore(stack: BenchStack, storeId: string, name: string, phoneNumber: string) {
  const admin = stack.token({ role: 'clienteling-admin', userId: 'bench-admin' });
  const put = await fetch(`${stack.url}/stores/${storeId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, timezone: 'America/New_York', country: 'US', phoneNumber, currency: 'USD' }),
  });
  if (!put.ok) throw new Error(`could not create the store: ${put.status}`);
}

/** Posts an inbound SMS to the stack's Twilio webhook, signed with the local auth token; throws unless 200. */
export async function postInboundSms(
  stack: LocalStack,
  message: { sid: string; from: string; to: string; body: string },
): Promise<void> {
  const url = `${stack.url}/webhooks/twilio/sms`;
  const form = {
    MessageSid: message.sid,
    AccountSid: 'AC_local',
    From: message.from,
    To: message.to,
    Body: message.body,
    NumMedia: '0',
  };
  const res = await fetch(url, { method: 'POST', ...signedTwilioForm(url, form) });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

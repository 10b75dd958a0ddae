/**
 * The local queues survive a killed stack (docs/architecture.md, "The local stack"): every inbound
 * SMS whose webhook answered 200 before a SIGKILL is stored after the next start, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signedTwilioForm } from '../../lib/local/carrier';
import { endLeftoverEngine } from '../../lib/local/engines';
import { loadOrCreateSigningKey, mintToken } from '../../lib/local/tokens';
import { callStack, startStackProcess, type StackProcess } from '../support/stack-process';

const root = mkdtempSync(join(tmpdir(), 'clienteling-queue-restart-'));
const dataDir = join(root, 'data');
const dropDir = join(root, 'drop');
const running: StackProcess[] = [];
const STORE_PHONE = '+12125550188';
const MESSAGES = 120;
const CONVERSATIONS = 12;
const IN_FLIGHT = 20;
/** The kill comes once this many webhooks have answered 200: mid-burst, with the FIFO worker behind. */
const KILL_AFTER = 60;

afterAll(async () => {
  await Promise.all(running.map((stack) => stack.stop()));
  // A failure between the kill and the restart would leave the killed stack's JVM running.
  await endLeftoverEngine(join(dataDir, 'dynamodb'));
  rmSync(root, { recursive: true, force: true });
});

const tokenOf = (stack: StackProcess, subject: Parameters<typeof mintToken>[1]) =>
  mintToken(loadOrCreateSigningKey(stack.dataDir), subject);

const call = callStack;

/** Posts the signed webhook of inbound SMS `i`; true when it answered 200 (false when the stack died under it). */
async function postSms(stack: StackProcess, i: number): Promise<boolean> {
  const url = `${stack.url}/webhooks/twilio/sms`;
  const sid = `SMrestart${String(i).padStart(23, '0')}`;
  const form = {
    MessageSid: sid,
    AccountSid: 'AC_local',
    From: `+1646555${String(i % CONVERSATIONS).padStart(4, '0')}`,
    To: STORE_PHONE,
    Body: sid,
    NumMedia: '0',
  };
  try {
    const res = await fetch(url, { method: 'POST', ...signedTwilioForm(url, form) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Every stored message text of the store, one entry per stored message. */
async function storedTexts(stack: StackProcess, token: string): Promise<string[]> {
  const inbox = await call(stack, token, 'GET', '/inbox?scope=store&limit=200');
  expect(inbox.status).toBe(200);
  const texts: string[] = [];
  for (const conversation of inbox.body.items as Array<{ conversationId: string }>) {
    let cursor: string | undefined;
    do {
      const page = await call(
        stack,
        token,
        'GET',
        `/conversations/${conversation.conversationId}/messages?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      texts.push(...(page.body.items as Array<{ text?: string }>).map((m) => m.text ?? ''));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
  }
  return texts;
}

describe('the local queues across a killed stack', () => {
  it('stores every inbound SMS whose webhook answered 200 before a SIGKILL, once, after the restart', {
    timeout: 300_000,
  }, async () => {
    // Arrange: a store with a number, on a stack of its own
    const first = await startStackProcess(dataDir, dropDir);
    running.push(first);
    const admin = tokenOf(first, { role: 'clienteling-admin', userId: 'restart-admin' });
    const store = await call(first, admin, 'PUT', '/stores/restart-store', {
      name: 'Restart',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: STORE_PHONE,
      currency: 'USD',
    });
    expect(store.status).toBe(201);

    // Act: a burst of webhooks, IN_FLIGHT at a time; SIGKILL once KILL_AFTER have been answered
    const accepted: number[] = [];
    let next = 0;
    let killing: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < MESSAGES && !killing) {
          const i = next++;
          if (await postSms(first, i)) accepted.push(i);
          if (accepted.length >= KILL_AFTER) killing ??= first.kill();
        }
      }),
    );
    await killing;
    const second = await startStackProcess(dataDir, dropDir);
    running.push(second);
    const drained = await fetch(`${second.url}/_local/drain?timeoutMs=120000`, { method: 'POST' });
    const associate = tokenOf(second, { role: 'associate', storeId: 'restart-store', userId: 'restart-associate' });
    const texts = await storedTexts(second, associate);

    // Assert: each accepted message stored exactly once
    expect(drained.status).toBe(200);
    expect(accepted.length).toBeGreaterThanOrEqual(KILL_AFTER);
    const counts = new Map<string, number>();
    for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
    const missing = accepted.filter((i) => !counts.has(`SMrestart${String(i).padStart(23, '0')}`));
    const repeated = [...counts].filter(([, n]) => n > 1).map(([text]) => text);
    expect({ missing, repeated }).toEqual({ missing: [], repeated: [] });
  });
});

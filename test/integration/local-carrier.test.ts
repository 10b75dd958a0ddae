/**
 * The local carrier answers Twilio's Messages list as the outbox sweep reads it
 * (docs/delivery-guarantees.md, "A sender that dies mid-call"): through the real twilio REST
 * client, what it took between two numbers, newest first, with the SIDs it answered the sends.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCarrier } from '../../lib/local/carrier';
import { LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';

process.env.OUTBOX_FILE = join(mkdtempSync(join(tmpdir(), 'local-carrier-')), 'outbox.jsonl');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const carrier = new LocalCarrier({ authToken: LOCAL_TWILIO_AUTH_TOKEN, track: () => {}, log: () => {} });
const { recentMessages, sendToCarrier } = await import('../../functions/conversations/messenger');
const { takenByCarrier } = await import('../../functions/conversations/sending-rules');

const FROM = '+12125550177';
const sms = (to: string, body: string) => ({ to, from: FROM, body, mediaUrls: [], statusCallback: '' });

beforeAll(async () => {
  process.env.TWILIO_API_URL = await carrier.start();
});
afterAll(async () => {
  delete process.env.TWILIO_API_URL;
  await carrier.stop();
});

describe("the local carrier's message list", () => {
  it('lists what it took between two numbers, newest first, and a claim is matched to its SID', async () => {
    const claimedAt = new Date().toISOString();
    const first = await sendToCarrier(sms('+15551230001', 'Your receipt'));
    const second = await sendToCarrier(sms('+15551230001', 'See you soon'));
    await sendToCarrier(sms('+15551230002', 'Your receipt'));

    const listed = await recentMessages('+15551230001', FROM);
    expect(listed.map((m) => [m.sid, m.body])).toEqual([
      [second.sid, 'See you soon'],
      [first.sid, 'Your receipt'],
    ]);
    expect(takenByCarrier(listed, { body: 'Your receipt', claimedAt })).toBe(first.sid);
    expect(takenByCarrier(listed, { body: 'Never sent', claimedAt })).toBeUndefined();
    expect(await recentMessages('+15551230003', FROM)).toEqual([]);
  });
});

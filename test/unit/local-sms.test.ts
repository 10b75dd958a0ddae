/**
 * `POST /_local/sms` (lib/local/inbound-sms.ts): the form Twilio would post, signed so that the
 * webhook's own check (`isSignedByTwilio`, functions/conversations/twilio-signature.ts) takes it, over the
 * URL Twilio signs; the receive time handed to the front door, never to the webhook's request.
 */
import { describe, expect, it } from 'vitest';
import { isSignedByTwilio } from '../../functions/conversations/twilio-signature';
import { InboundSms } from '../../functions/conversations/twilio-model';
import { LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';
import { signedTwilioForm } from '../../lib/local/carrier';
import { inboundWebhookForm, LocalSmsRequest, postLocalSms, type RouteDispatch } from '../../lib/local/inbound-sms';

type Dispatched = Parameters<RouteDispatch>[0];

/** Posts through postLocalSms; the dispatch records the request and answers as the webhook does. */
async function post(body: unknown, publicBaseUrl = 'http://127.0.0.1:3000') {
  const sent: Dispatched[] = [];
  const answer = await postLocalSms(
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    publicBaseUrl,
    async (request) => {
      sent.push(request);
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Response/>'),
      };
    },
  );
  return { status: answer.statusCode, body: JSON.parse(answer.body.toString('utf8')), sent };
}

const formOf = (request: Dispatched) => Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));

describe('a local text to the inbound webhook', () => {
  it('is signed over the public URL + /webhooks/twilio/sms, as the webhook verifies it', async () => {
    const { status, body, sent } = await post({ from: '+12125550111', to: '+12125550100', body: 'YES' });
    expect(status).toBe(200);
    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    expect(request).toMatchObject({ method: 'POST', url: '/webhooks/twilio/sms' });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = formOf(request);
    expect(form).toMatchObject({ From: '+12125550111', To: '+12125550100', Body: 'YES', NumMedia: '0' });
    expect(form.AccountSid).toBe('AC_local');
    expect(form.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const signature = request.headers['x-twilio-signature'];
    const url = 'http://127.0.0.1:3000/webhooks/twilio/sms';
    expect(await isSignedByTwilio({ signature, url, params: form })).toBe(true);
    // Signed for that URL only: another URL, or a changed field, fails the webhook's check.
    expect(await isSignedByTwilio({ signature, url: 'http://localhost:3000/webhooks/twilio/sms', params: form })).toBe(
      false,
    );
    expect(await isSignedByTwilio({ signature, url, params: { ...form, Body: 'NO' } })).toBe(false);
    // The form is one the webhook takes.
    expect(InboundSms.safeParse(form).success).toBe(true);
    expect(body).toEqual({
      messageSid: form.MessageSid,
      url,
      status: 200,
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    });
    expect(request.receivedAt).toBeUndefined();
  });

  it('counts the public base URL path once, as Twilio calls it behind a mapping key', async () => {
    const { body, sent } = await post({ from: '+1', to: '+2' }, 'https://api.example.com/v1');
    expect(body.url).toBe('https://api.example.com/v1/webhooks/twilio/sms');
    const form = formOf(sent[0]!);
    const signature = sent[0]!.headers['x-twilio-signature'];
    expect(await isSignedByTwilio({ signature, url: body.url, params: form })).toBe(true);
  });

  it('numbers the media as Twilio does and prefixes WhatsApp addresses, with the button payload', async () => {
    const form = inboundWebhookForm(
      LocalSmsRequest.parse({
        from: '+447700900121',
        to: 'whatsapp:+442071838750',
        body: 'Photo',
        channel: 'whatsapp',
        mediaUrls: ['https://example.com/a.jpg', 'https://example.com/b.png'],
        buttonPayload: 'confirm-visit',
      }),
      'AC123',
      'SM0123',
    );
    expect(form).toMatchObject({
      MessageSid: 'SM0123',
      AccountSid: 'AC123',
      From: 'whatsapp:+447700900121',
      To: 'whatsapp:+442071838750',
      NumMedia: '2',
      MediaUrl0: 'https://example.com/a.jpg',
      MediaUrl1: 'https://example.com/b.png',
      ButtonPayload: 'confirm-visit',
    });
    // An SMS carries no button payload and no prefix.
    const sms = inboundWebhookForm(LocalSmsRequest.parse({ from: '+1', to: '+2', buttonPayload: 'x' }), 'AC1');
    expect(sms.From).toBe('+1');
    expect(sms).not.toHaveProperty('ButtonPayload');
    // The carrier's signer and this one are the same function: one signature for one form.
    expect(signedTwilioForm('http://h/webhooks/twilio/sms', form, LOCAL_TWILIO_AUTH_TOKEN).body).toBe(
      new URLSearchParams(form).toString(),
    );
  });

  it('hands receivedAt to the front door as the time the gateway received the request', async () => {
    const { sent } = await post({ from: '+1', to: '+2', body: 'hi', receivedAt: '2026-05-04T10:15:00+02:00' });
    expect(sent[0]!.receivedAt?.toISOString()).toBe('2026-05-04T08:15:00.000Z');
    // Nothing in the request itself says so: the deployed webhook has nothing to trust.
    expect(JSON.stringify(sent[0]!.headers)).not.toContain('2026');
    expect(sent[0]!.body.toString('utf8')).not.toContain('2026');
  });

  it('refuses a body it cannot send, naming the field, and dispatches nothing', async () => {
    const missing = await post({ to: '+2', body: 'YES' });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toContain('from: required');
    expect(missing.sent).toHaveLength(0);
    const unknown = await post({ from: '+1', to: '+2', text: 'YES' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('text');
    const badTime = await post({ from: '+1', to: '+2', receivedAt: 'yesterday' });
    expect(badTime.body.detail).toContain('receivedAt: an ISO-8601 instant');
    const notJson = await post('{from');
    expect(notJson.status).toBe(400);
    expect(notJson.body.detail).toBe('The body is not valid JSON.');
  });
});

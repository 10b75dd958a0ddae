/** The URL Twilio signed, rebuilt from PUBLIC_BASE_URL and the event: with and without an API mapping key. */
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';
import { describe, expect, it } from 'vitest';
import { publicRequestUrl } from '../../functions/shared/public-url';

describe('publicRequestUrl', () => {
  it.each([
    // base, rawPath, rawQueryString, expected, why
    [
      'https://abc123.execute-api.us-east-1.amazonaws.com',
      '/webhooks/twilio/sms',
      '',
      'https://abc123.execute-api.us-east-1.amazonaws.com/webhooks/twilio/sms',
      'the API URL: the path as it came',
    ],
    [
      'https://api.example.com',
      '/webhooks/twilio/status',
      'conversationId=c1&messageId=m1',
      'https://api.example.com/webhooks/twilio/status?conversationId=c1&messageId=m1',
      'a custom domain mapped at its root: the query kept as sent',
    ],
    [
      'https://api.example.com/v1',
      '/v1/webhooks/twilio/sms',
      '',
      'https://api.example.com/v1/webhooks/twilio/sms',
      'mapping key v1: rawPath keeps /v1, the base ends with it; counted once',
    ],
    [
      'https://api.example.com/v1/',
      '/v1/webhooks/twilio/status',
      'messageId=m1',
      'https://api.example.com/v1/webhooks/twilio/status?messageId=m1',
      'a trailing slash on the base changes nothing',
    ],
    [
      'https://api.example.com/v1',
      '/webhooks/twilio/sms',
      '',
      'https://api.example.com/v1/webhooks/twilio/sms',
      'a proxy in front that strips the prefix itself: the base path is added',
    ],
    [
      'https://api.example.com/web',
      '/webhooks/twilio/sms',
      '',
      'https://api.example.com/web/webhooks/twilio/sms',
      'a base path that is a prefix of a segment (/web vs /webhooks) is not stripped',
    ],
    ['https://api.example.com/v1', '/v1', '', 'https://api.example.com/v1', 'the mapping root itself'],
  ])('%s + %s ?%s → %s (%s)', (base, rawPath, query, expected) => {
    expect(publicRequestUrl(base, rawPath, query)).toBe(expected);
  });

  it('lets a request Twilio signed for https://<domain>/<basePath>/… pass behind the mapping, and only once-prefixed', () => {
    const called = 'https://api.example.com/v1/webhooks/twilio/sms';
    const params = { MessageSid: 'SM1', Body: 'hi' };
    const signature = getExpectedTwilioSignature('token', called, params);
    const rebuilt = publicRequestUrl('https://api.example.com/v1', '/v1/webhooks/twilio/sms');

    expect(validateRequest('token', signature, rebuilt, params)).toBe(true);
    expect(validateRequest('token', signature, 'https://api.example.com/v1/v1/webhooks/twilio/sms', params)).toBe(
      false,
    );
  });
});

/** The event factory the local stack and the tests share (lib/lambda-events.ts): each event as AWS builds it. */
import { describe, expect, it } from 'vitest';
import {
  httpApiEvent,
  isTextContentType,
  lambdaContext,
  objectCreatedEvent,
  scheduledEvent,
  sqsEvent,
  sqsQueueArn,
  sqsRecord,
  webSocketEvent,
} from '../../lib/lambda-events';

describe('API Gateway HTTP API events (payload 2.0)', () => {
  const base = { routeKey: 'GET /stores/{storeId}', method: 'GET', rawPath: '/stores/nyc%205th' };

  it('lowercases header names, comma-joins repeats and moves cookies into their own array', () => {
    const event = httpApiEvent({
      ...base,
      headers: { Host: '127.0.0.1:3000', 'X-Trace': ['a', 'b'], Cookie: 'a=1; b=2', 'User-Agent': 'curl/8' },
    });

    expect(event.headers).toMatchObject({ host: '127.0.0.1:3000', 'x-trace': 'a,b', 'user-agent': 'curl/8' });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.requestContext.http.userAgent).toBe('curl/8');
    expect(event.requestContext.domainName).toBe('127.0.0.1:3000');
  });

  it("adds the x-forwarded headers API Gateway puts in front, the port from the request's host", () => {
    const event = httpApiEvent({ ...base, headers: { host: 'api.local:8443' }, sourceIp: '10.0.0.9' });

    expect(event.headers).toMatchObject({
      'x-forwarded-for': '10.0.0.9',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': '8443',
    });
  });

  it('comma-joins a repeated query parameter and leaves queryStringParameters out when there is no query', () => {
    expect(httpApiEvent({ ...base, rawQueryString: 'tag=a&tag=b&limit=5' }).queryStringParameters).toEqual({
      tag: 'a,b',
      limit: '5',
    });
    expect(httpApiEvent(base)).not.toHaveProperty('queryStringParameters');
  });

  it('keeps rawPath encoded and decodes http.path', () => {
    const event = httpApiEvent({ ...base, pathParameters: { storeId: 'nyc 5th' } });

    expect(event.rawPath).toBe('/stores/nyc%205th');
    expect(event.requestContext.http.path).toBe('/stores/nyc 5th');
    expect(event.pathParameters).toEqual({ storeId: 'nyc 5th' });
  });

  it.each([
    // content type, body as sent, body in the event, base64?
    ['application/json', '{"a":1}', '{"a":1}', false],
    ['text/plain; charset=utf-8', 'héllo', 'héllo', false],
    [
      'application/x-www-form-urlencoded',
      'Body=hi&From=%2B1',
      Buffer.from('Body=hi&From=%2B1').toString('base64'),
      true,
    ],
    [undefined, 'raw', Buffer.from('raw').toString('base64'), true],
  ])('hands a %s body over as API Gateway does', (contentType, sent, body, base64) => {
    const event = httpApiEvent({
      ...base,
      method: 'POST',
      headers: contentType ? { 'content-type': contentType } : {},
      body: sent,
    });

    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(base64);
  });

  it('has no body and is not base64 when nothing was sent', () => {
    const event = httpApiEvent({ ...base, body: Buffer.alloc(0) });

    expect(event).not.toHaveProperty('body');
    expect(event.isBase64Encoded).toBe(false);
  });

  it("carries the JWT authorizer's claims only when given, and the time in Common Log Format", () => {
    const now = new Date('2026-03-05T07:08:09.123Z');
    const signedIn = httpApiEvent({ ...base, claims: { sub: 'u1' }, now }) as ReturnType<typeof httpApiEvent> & {
      requestContext: { authorizer?: { jwt: { claims: Record<string, string> } } };
    };

    expect(signedIn.requestContext.authorizer?.jwt.claims).toEqual({ sub: 'u1' });
    expect(signedIn.requestContext.time).toBe('05/Mar/2026:07:08:09 +0000');
    expect(signedIn.requestContext.timeEpoch).toBe(now.getTime());
    expect(signedIn.requestContext.requestId).toMatch(/^[A-Za-z0-9]{15}=$/);
    expect(httpApiEvent(base).requestContext).not.toHaveProperty('authorizer');
  });

  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['text/csv', true],
    ['application/x-www-form-urlencoded', false],
    ['image/png', false],
    [undefined, false],
  ])('counts %s as text: %s', (type, text) => {
    expect(isTextContentType(type)).toBe(text);
  });
});

describe('S3 object-created events', () => {
  it('carries the key encoded as S3 does, the ETag without quotes, the bucket ARN', () => {
    const event = objectCreatedEvent({
      bucket: 'uploads',
      key: 'incoming/my list (1).csv',
      size: 42,
      eTag: '"abc123"',
    });
    const record = event.Records[0]!;

    expect(event.Records).toHaveLength(1);
    expect(record).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', awsRegion: 'us-east-1' });
    expect(record.s3.bucket).toMatchObject({ name: 'uploads', arn: 'arn:aws:s3:::uploads' });
    expect(record.s3.object).toMatchObject({ key: 'incoming/my+list+%281%29.csv', size: 42, eTag: 'abc123' });
  });
});

describe('SQS events', () => {
  it('builds a record with its receive count, the MD5 of its body and of its attributes, and the queue ARN', () => {
    const record = sqsRecord({
      messageId: 'm1',
      body: 'hello',
      receiveCount: 2,
      queueArn: sqsQueueArn('imports'),
      sentTimestamp: 1_700_000_000_000,
      attributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
    });

    expect(record).toMatchObject({
      messageId: 'm1',
      body: 'hello',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      md5OfMessageAttributes: 'cd28f3b68aeee4b2eac9c66f2f694b58',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:imports',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
      messageAttributes: { SellerName: { dataType: 'String', stringValue: 'Example Store' } },
    });
    expect(sqsEvent([record]).Records).toEqual([record]);
  });

  it('leaves md5OfMessageAttributes out when the message has none', () => {
    expect(sqsRecord({ messageId: 'm2', body: 'x', receiveCount: 1, queueArn: sqsQueueArn('q') })).not.toHaveProperty(
      'md5OfMessageAttributes',
    );
  });
});

describe('EventBridge scheduled events', () => {
  it('writes the time without milliseconds unless it has them, and names the rule', () => {
    expect(scheduledEvent('cart-sweeper', new Date('2025-03-30T01:00:00Z')).time).toBe('2025-03-30T01:00:00Z');
    expect(scheduledEvent('cart-sweeper', new Date('2025-03-30T01:00:00.250Z')).time).toBe('2025-03-30T01:00:00.250Z');
    expect(scheduledEvent('x', new Date()).resources).toEqual(['arn:aws:events:us-east-1:000000000000:rule/x']);
  });
});

describe('the Lambda context', () => {
  it("names the function in its ARN and log group and counts down from the function's timeout", () => {
    const context = lambdaContext({
      functionName: 'clienteling-local-CartSweeper',
      memoryMb: 512,
      timeoutSeconds: 900,
    });

    expect(context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:clienteling-local-CartSweeper',
    );
    expect(context.logGroupName).toBe('/aws/lambda/clienteling-local-CartSweeper');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(899_000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(900_000);
  });
});

describe('API Gateway WebSocket route events', () => {
  it('carries the connection, the event type and, on $connect only, the query string', () => {
    const connect = webSocketEvent({ routeKey: '$connect', connectionId: 'c1', queryStringParameters: { token: 't' } });
    const disconnect = webSocketEvent({
      routeKey: '$disconnect',
      connectionId: 'c1',
      queryStringParameters: { token: 't' },
    });

    expect(connect.requestContext).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT', connectionId: 'c1' });
    expect((connect as { queryStringParameters?: unknown }).queryStringParameters).toEqual({ token: 't' });
    expect(disconnect.requestContext.eventType).toBe('DISCONNECT');
    expect('queryStringParameters' in disconnect).toBe(false);
  });
});

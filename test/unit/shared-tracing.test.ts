/**
 * The light X-Ray client (functions/shared/xray.ts): with a daemon address and a sampled trace
 * header, the handler, each AWS SDK call and each traced HTTP call reach a UDP socket standing in
 * for the daemon as X-Ray subsegment documents, nested and flagged as the X-Ray SDK would; an
 * unsampled invocation or no daemon sends nothing and changes nothing.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handlerChain } from '../../functions/shared/handler-chain';
import {
  daemonAddress,
  parseTraceHeader,
  type SubsegmentDocument,
  traced,
  tracedCall,
} from '../../functions/shared/xray';

const ROOT = '1-67891233-abcdef012345678912345678';
const LAMBDA_PARENT = '53995c3f42cd8ad8';
const context = { functionName: 'tracing-test', awsRequestId: 'req-1' } as Context;

let daemon: Socket;
let received: string[] = [];

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => received.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
});
afterAll(() => daemon.close());
afterEach(() => {
  vi.unstubAllEnvs();
  received = [];
});

const traceThisInvocation = (sampled = '1') => {
  vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', `127.0.0.1:${(daemon.address() as AddressInfo).port}`);
  vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${ROOT};Parent=${LAMBDA_PARENT};Sampled=${sampled}`);
  vi.stubEnv('_HANDLER', 'index.handler');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'conversations');
};

/** The documents the daemon got, once `count` have arrived: each datagram is the protocol header, a newline, one document. */
async function documents(count: number): Promise<SubsegmentDocument[]> {
  await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(count), { timeout: 2_000 });
  return received.map((datagram) => {
    const [header, body] = datagram.split('\n');
    expect(header).toBe('{"format":"json","version":1}');
    return JSON.parse(body!) as SubsegmentDocument;
  });
}

/** A DynamoDB client whose HTTP answers are canned, recording the headers each request went out with. */
function cannedDynamo(answer: { status: number; body: object; type?: string }) {
  const sentHeaders: Array<Record<string, string>> = [];
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        sentHeaders.push({ ...request.headers });
        return {
          response: {
            statusCode: answer.status,
            headers: {
              'x-amzn-requestid': 'REQ123',
              'content-type': 'application/x-amz-json-1.0',
              ...(answer.type ? { 'x-amzn-query-error': answer.type } : {}),
            },
            body: Readable.from([Buffer.from(JSON.stringify(answer.body))]),
          },
        };
      },
    } as never,
  });
  return { client: traced(client), sentHeaders };
}

describe('the trace header and the daemon address', () => {
  it('reads a sampled header, and nothing from an unsampled or malformed one', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=${LAMBDA_PARENT};Sampled=1`)).toEqual({
      traceId: ROOT,
      parentId: LAMBDA_PARENT,
    });
    expect(parseTraceHeader(`Root=${ROOT};Parent=${LAMBDA_PARENT};Sampled=0`)).toBeUndefined();
    expect(parseTraceHeader(`Root=${ROOT}`)).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });

  it("reads the daemon's UDP address in both forms Lambda may set", () => {
    expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(daemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({ host: '127.0.0.2', port: 2001 });
    expect(daemonAddress(undefined)).toBeUndefined();
  });
});

describe('a sampled invocation', () => {
  it('sends the handler and each SDK call under it, the call carrying its subsegment downstream', async () => {
    traceThisInvocation();
    const { client, sentHeaders } = cannedDynamo({ status: 200, body: { Item: { pk: { S: 'a' } } } });
    const handler = handlerChain<{ n: number }, number>().handler(async (event) => {
      await client.send(new GetItemCommand({ TableName: 'clienteling', Key: { pk: { S: 'a' } } }));
      return event.n + 1;
    });

    await expect(handler({ n: 41 }, context)).resolves.toBe(42);
    const [call, handlerSegment] = await documents(2);

    expect(handlerSegment).toMatchObject({
      name: '## index.handler',
      type: 'subsegment',
      trace_id: ROOT,
      parent_id: LAMBDA_PARENT,
      annotations: { ColdStart: expect.any(Boolean), Service: 'conversations' },
    });
    expect(handlerSegment!.metadata).toBeUndefined();
    expect(call).toMatchObject({
      name: 'DynamoDB',
      namespace: 'aws',
      type: 'subsegment',
      trace_id: ROOT,
      parent_id: handlerSegment!.id,
      aws: { operation: 'GetItem', region: 'eu-west-1', table_name: 'clienteling', request_id: 'REQ123', retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(call!.error ?? call!.fault).toBeUndefined();
    expect(call!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(call!.end_time! >= call!.start_time && handlerSegment!.end_time! >= call!.end_time!).toBe(true);
    expect(sentHeaders[0]!['X-Amzn-Trace-Id']).toBe(`Root=${ROOT};Parent=${call!.id};Sampled=1`);
  });

  it('marks the cold start on the first invocation only', async () => {
    traceThisInvocation();
    vi.resetModules();
    const fresh = await import('../../functions/shared/handler-chain');
    const handler = fresh.handlerChain<object, string>().handler(async () => 'ok');
    await handler({}, context);
    await handler({}, context);
    const sent = await documents(2);
    expect(sent.map((document) => document.annotations?.ColdStart)).toEqual([true, false]);
  });

  it('flags a refused call error (4xx), a failed one fault (5xx), and a throttled one throttle', async () => {
    traceThisInvocation();
    const refused = cannedDynamo({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'no' },
    });
    const failed = cannedDynamo({ status: 500, body: { __type: 'InternalServerError', message: 'down' } });
    const throttled = cannedDynamo({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow down' },
    });
    const put = () => new PutItemCommand({ TableName: 'clienteling', Item: { pk: { S: 'a' } } });

    await expect(refused.client.send(put())).rejects.toThrow('no');
    await expect(failed.client.send(put())).rejects.toThrow('down');
    await expect(throttled.client.send(put())).rejects.toThrow('slow down');
    const [refusal, failure, throttle] = await documents(3);

    expect(refusal).toMatchObject({ error: true, http: { response: { status: 400 } }, parent_id: LAMBDA_PARENT });
    expect(refusal!.fault).toBeUndefined();
    expect(refusal!.cause!.exceptions[0]).toMatchObject({
      type: 'ConditionalCheckFailedException',
      message: 'no',
      remote: true,
    });
    expect(failure).toMatchObject({ fault: true, http: { response: { status: 500 } } });
    expect(throttle).toMatchObject({ error: true, throttle: true });
  });

  it('records a throwing handler as a fault with its exception, and rethrows', async () => {
    traceThisInvocation();
    const handler = handlerChain<object, string>().handler(async () => {
      throw new TypeError('broken');
    });
    await expect(handler({}, context)).rejects.toThrow('broken');
    const [handlerSegment] = await documents(1);
    expect(handlerSegment).toMatchObject({
      name: '## index.handler',
      fault: true,
      cause: { exceptions: [{ type: 'TypeError', message: 'broken' }] },
    });
  });

  it("keeps a scheduled run's answer as metadata when asked (captureResponse)", async () => {
    traceThisInvocation();
    const handler = handlerChain<object, { sent: number }>({ captureResponse: true }).handler(async () => ({
      sent: 3,
    }));
    await handler({}, context);
    const [handlerSegment] = await documents(1);
    expect(handlerSegment!.metadata).toEqual({ conversations: { 'index.handler response': { sent: 3 } } });
  });

  it('sends an HTTP call to another service as a remote subsegment, without its query', async () => {
    traceThisInvocation();
    await tracedCall(
      { method: 'post', url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?x=1' },
      async () => ({ statusCode: 429 }),
      (answer) => answer.statusCode,
    );
    await expect(
      tracedCall(
        { method: 'get', url: 'https://content.twilio.com/v1/Content' },
        async () => {
          throw new Error('socket hang up');
        },
        () => undefined,
      ),
    ).rejects.toThrow('socket hang up');
    const [throttled, unanswered] = await documents(2);

    expect(throttled).toMatchObject({
      name: 'api.twilio.com',
      namespace: 'remote',
      http: {
        request: { method: 'POST', url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json' },
        response: { status: 429 },
      },
      error: true,
      throttle: true,
    });
    expect(unanswered).toMatchObject({ name: 'content.twilio.com', fault: true });
  });
});

describe('an invocation that is not traced', () => {
  it.each([
    ['unsampled', () => traceThisInvocation('0')],
    ['off Lambda (no daemon)', () => vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${ROOT};Parent=${LAMBDA_PARENT};Sampled=1`)],
  ])('%s: sends nothing, and the calls and the handler run as they are', async (_, setUp) => {
    setUp();
    const { client, sentHeaders } = cannedDynamo({ status: 200, body: {} });
    const handler = handlerChain<{ n: number }, number>().handler(async (event) => {
      await client.send(new GetItemCommand({ TableName: 'clienteling', Key: { pk: { S: 'a' } } }));
      return event.n * 2;
    });

    await expect(handler({ n: 21 }, context)).resolves.toBe(42);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
    // No header of ours: at most the SDK's own forwarding of Lambda's header (on Lambda only).
    expect([undefined, process.env._X_AMZN_TRACE_ID]).toContain(sentHeaders[0]!['X-Amzn-Trace-Id']);
  });
});

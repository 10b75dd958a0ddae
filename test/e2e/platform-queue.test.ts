/** The local import queue through the real SQSClient: the SDK accepts the answers (its MD5 checks included) and the manifest's consumer gets the messages. */
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/engines';
import { drain, invocations, request } from '../support/e2e';

let queueUrl: string;
let sqs: SQSClient;

beforeAll(async () => {
  const info = (await request<{ sqsEndpoint: string; importQueueUrl: string }>('GET', '/_local')).body;
  queueUrl = info.importQueueUrl;
  // As the functions build it: the default client, pointed at the shim by AWS_ENDPOINT_URL_SQS.
  sqs = new SQSClient({ endpoint: info.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});
afterAll(() => sqs.destroy());

describe('the local import queue', () => {
  it("accepts SendMessage with attributes and delivers an SQS record to the manifest's writer", async () => {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ probe: 'platform' }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'probe' } },
      }),
    );
    await drain();

    expect(sent.MessageId).toBeTruthy();
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const runs = (await invocations()).filter((i) => i.subject.includes(sent.MessageId!));
    expect(runs[0]).toMatchObject({ functionId: 'OutreachWriter', trigger: 'sqs' });
  });

  it('accepts SendMessageBatch and answers each entry', async () => {
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: JSON.stringify({ probe: id }) })),
      }),
    );
    await drain();

    expect(sent.Successful?.map((e) => e.Id).sort()).toEqual(['a', 'b', 'c']);
    expect(sent.Failed ?? []).toEqual([]);
  });

  it('refuses a batch of more than 10 entries as SQS does', async () => {
    const send = sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })),
      }),
    );

    await expect(send).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
  });

  it('refuses an unknown queue URL as SQS does', async () => {
    const send = sqs.send(new SendMessageCommand({ QueueUrl: `${queueUrl}-nope`, MessageBody: 'x' }));

    await expect(send).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});

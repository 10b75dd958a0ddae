/**
 * The events publisher against DynamoDB Local: connections stored as `$connect` stores them, real
 * stream records of real writes (read back from the table's stream), and the two AWS services it
 * calls stubbed with aws-sdk-client-mock to see what it sends and to inject their faults (a
 * connection that is gone, a bus that refuses).
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { convKey, messageKey } from '../../functions/conversations/repository/keys';
import { connectionKey } from '../../functions/events/repository/keys';
import { dynamo, documentClient } from '../../functions/shared/clients';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/engines';
import { dynamoStreamEvent, dynamoStreamRecord } from '../../lib/lambda-events';
import { lambdaContext } from '../../lib/lambda-events';
import { useFreshTable } from '../support/table';

const tableName = await useFreshTable('events');
process.env.EVENT_BUS_NAME = 'test-bus';
process.env.WEBSOCKET_CALLBACK_URL = 'https://abc.execute-api.us-east-1.amazonaws.com/live';
const { handler } = await import('../../functions/events/publisher.handler');
const connections = await import('../../functions/events/connections');
const connectionStore = await import('../../functions/events/repository/connections');
const { principalFromClaims } = await import('../../functions/shared/principal');

const bus = mockClient(EventBridgeClient);
const sockets = mockClient(ApiGatewayManagementApiClient);
const streams = new DynamoDBStreamsClient({
  endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
const context = lambdaContext({ functionName: 'EventsPublisher' }) as Context;

let streamArn = '';
let iterator: string | undefined;

/** The stream records written since the last call, as Lambda would hand them over. */
async function newRecords(): Promise<DynamoDBStreamEvent> {
  const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator! }));
  iterator = out.NextShardIterator;
  return dynamoStreamEvent((out.Records ?? []).map((r) => dynamoStreamRecord(r, streamArn)));
}

const principal = (role: string, storeId?: string, sub = `${role}-${storeId ?? 'none'}`) =>
  principalFromClaims({ sub, 'cognito:groups': [role], ...(storeId ? { 'custom:store_id': storeId } : {}) });

async function connect(connectionId: string, p: ReturnType<typeof principal>) {
  await connections.saveConnection(connectionId, p, connections.audiencesOf(p), new Date());
}

/** A conversation of store `storeId`, and an inbound message in it: one message.received. */
async function inboundMessage(conversationId: string, storeId: string, messageId: string) {
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...convKey(conversationId),
        conversationId,
        storeId,
        customerId: `cust-${conversationId}`,
        optIn: 'NONE',
      },
    }),
  );
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...messageKey(conversationId, messageId),
        messageId,
        conversationId,
        direction: 'inbound',
        status: 'received',
      },
    }),
  );
}

/** Every frame posted: to whom, and the array of events it holds. */
const frames = () =>
  sockets.commandCalls(PostToConnectionCommand).map((c) => ({
    to: c.args[0].input.ConnectionId!,
    events: JSON.parse(new TextDecoder().decode(c.args[0].input.Data as Uint8Array)) as Array<Record<string, any>>,
  }));
/** Every event posted, one entry per event and connection, in the order the frames hold them. */
const posted = () => frames().flatMap((frame) => frame.events.map((event) => ({ to: frame.to, event })));

beforeAll(async () => {
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  streamArn = Table!.LatestStreamArn!;
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!;
  const open = shards.find((s) => !s.SequenceNumberRange?.EndingSequenceNumber)!;
  iterator = (
    await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: open.ShardId!, ShardIteratorType: 'LATEST' }),
    )
  ).ShardIterator;
});

beforeEach(async () => {
  bus.reset();
  sockets.reset();
  bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })),
  }));
  sockets.on(PostToConnectionCommand).resolves({});
  await newRecords(); // skip what earlier tests wrote
});

afterEach(() => {
  bus.reset();
  sockets.reset();
});

describe('EventsPublisher', () => {
  it("posts a store's events to that store's connections only, in commit order, and puts each on the bus", async () => {
    await connect('a1', principal('associate', 'store-a'));
    await connect('a2', principal('manager', 'store-a'));
    await connect('b1', principal('associate', 'store-b'));
    await connect('admin1', principal('clienteling-admin'));
    await inboundMessage('c-a', 'store-a', 'm001');
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...messageKey('c-a', 'm002'),
          messageId: 'm002',
          conversationId: 'c-a',
          direction: 'inbound',
          status: 'received',
        },
      }),
    );
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: convKey('c-a'),
        UpdateExpression: 'SET optIn = :o',
        ExpressionAttributeValues: { ':o': 'OPTED_OUT' },
      }),
    );

    await handler(await newRecords(), context);

    const sent = posted();
    expect(sent.map((p) => p.to).sort()).toEqual(['a1', 'a1', 'a1', 'a2', 'a2', 'a2']);
    for (const to of ['a1', 'a2']) {
      expect(
        sent.filter((p) => p.to === to).map((p) => [p.event.type, p.event.data.messageId ?? p.event.data.optIn]),
      ).toEqual([
        ['message.received', 'm001'],
        ['message.received', 'm002'],
        ['optin.changed', 'OPTED_OUT'],
      ]);
    }
    const entries = bus.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!);
    expect(entries.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([
      ['clienteling', 'message.received', 'test-bus'],
      ['clienteling', 'message.received', 'test-bus'],
      ['clienteling', 'optin.changed', 'test-bus'],
    ]);
    expect(entries.map((e) => JSON.parse(e.Detail!).id)).toEqual(
      sent.filter((p) => p.to === 'a1').map((p) => p.event.id),
    );
  });

  it('posts ONE frame per connection per invocation: an array of all its events, in commit order', async () => {
    await connect('f1', principal('associate', 'store-f'));
    await connect('f2', principal('associate', 'store-f'));
    await connect('fadmin', principal('clienteling-admin', 'store-f'));
    const n = 12;
    for (let i = 0; i < n; i++) await inboundMessage(`c-f${i % 3}`, 'store-f', `m3${String(i).padStart(2, '0')}`);
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: 'CAMPAIGN#kf', sk: 'CAMPAIGN', campaignId: 'kf', status: 'SUCCESSFUL' },
      }),
    );

    await handler(await newRecords(), context);

    const sent = frames();
    // admin1 (connected above) hears the campaign only.
    expect(sent.map((f) => f.to).sort()).toEqual(['admin1', 'f1', 'f2', 'fadmin']);
    const expected = Array.from({ length: n }, (_, i) => `m3${String(i).padStart(2, '0')}`);
    for (const to of ['f1', 'f2'])
      expect(sent.find((f) => f.to === to)!.events.map((e) => e.data.messageId)).toEqual(expected);
    // An admin with a store hears its store's events and the admins' in the same frame, in commit order.
    expect(sent.find((f) => f.to === 'fadmin')!.events.map((e) => e.type)).toEqual([
      ...expected.map(() => 'message.received'),
      'campaign.finished',
    ]);
    await connections.deleteConnection('fadmin');
  });

  it('sends store-less events to admin connections only', async () => {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: 'CAMPAIGN#k1', sk: 'CAMPAIGN', campaignId: 'k1', status: 'PROCESSING' },
      }),
    );
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: 'CAMPAIGN#k1', sk: 'CAMPAIGN' },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'SUCCESSFUL' },
      }),
    );

    await handler(await newRecords(), context);

    expect(posted()).toEqual([
      {
        to: 'admin1',
        event: expect.objectContaining({
          type: 'campaign.finished',
          storeId: null,
          data: { campaignId: 'k1', status: 'SUCCESSFUL' },
        }),
      },
    ]);
  });

  it('removes a connection that is gone (410) and still reaches the others', async () => {
    await connect('gone1', principal('associate', 'store-g'));
    await connect('live1', principal('associate', 'store-g'));
    sockets
      .on(PostToConnectionCommand, { ConnectionId: 'gone1' })
      .rejects(new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } }));
    await inboundMessage('c-g', 'store-g', 'm101');
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...messageKey('c-g', 'm102'),
          messageId: 'm102',
          conversationId: 'c-g',
          direction: 'inbound',
          status: 'received',
        },
      }),
    );

    await handler(await newRecords(), context);

    expect(await connectionStore.connectionsOf({ storeId: 'store-g' }, new Date())).toEqual(['live1']);
    const items = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': connectionKey('gone1').pk },
      }),
    );
    expect(items.Items).toEqual([]);
    // Tried once: both events were in the one frame the 410 refused.
    expect(frames().filter((f) => f.to === 'gone1')).toHaveLength(1);
    expect(
      posted()
        .filter((p) => p.to === 'live1')
        .map((p) => p.event.data.messageId),
    ).toEqual(['m101', 'm102']);
  });

  it('fails the batch when the bus refuses an event, before telling any socket, and gives the same ids on the retry', async () => {
    await connect('r1', principal('associate', 'store-r'));
    await inboundMessage('c-r', 'store-r', 'm201');
    const batch = await newRecords();
    bus
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });

    await expect(handler(batch, context)).rejects.toThrow(/EventBridge refused 1 event/);
    expect(posted()).toEqual([]);

    bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: 'x' })),
    }));
    await handler(batch, context);
    const [first, second] = bus
      .commandCalls(PutEventsCommand)
      .map((c) => JSON.parse(c.args[0].input.Entries![0]!.Detail!).id);
    expect(second).toBe(first);
    expect(posted().map((p) => p.event.id)).toEqual([first]);
  });

  it('stores a connection under its store and, for an admin, the admins; $disconnect removes every item', async () => {
    await connect('both1', principal('clienteling-admin', 'store-x'));
    expect(await connectionStore.connectionsOf({ storeId: 'store-x' }, new Date())).toEqual(['both1']);
    expect(await connectionStore.connectionsOf('admins', new Date())).toContain('both1');

    await connections.deleteConnection('both1');
    await connections.deleteConnection('both1'); // a second $disconnect is no error

    expect(await connectionStore.connectionsOf({ storeId: 'store-x' }, new Date())).toEqual([]);
    expect(await connectionStore.connectionsOf('admins', new Date())).not.toContain('both1');
  });

  it('skips connections whose TTL has passed but which TTL has not deleted yet', async () => {
    const twoHoursAgo = new Date(Date.now() - 3 * 3600_000);
    const p = principal('associate', 'store-t');
    await connections.saveConnection('old1', p, connections.audiencesOf(p), twoHoursAgo);
    expect(await connectionStore.connectionsOf({ storeId: 'store-t' }, new Date())).toEqual([]);
  });
});

describe('audiencesOf', () => {
  it.each([
    [
      'an associate hears their store, and what is for them alone (task.due)',
      principal('associate', 's1'),
      [{ storeId: 's1' }, { storeId: 's1', userId: 'associate-s1' }],
    ],
    ['an admin without a store hears the admins', principal('clienteling-admin'), ['admins']],
    ['an admin with a store hears both', principal('clienteling-admin', 's1'), [{ storeId: 's1' }, 'admins']],
    ['a store user without a store hears nothing (refused)', principal('associate'), []],
    ['a user in no group hears nothing (refused)', principalFromClaims({ sub: 'nobody', 'custom:store_id': 's1' }), []],
  ])('%s', (_why, p, expected) => {
    expect(connections.audiencesOf(p)).toEqual(expected);
  });
});

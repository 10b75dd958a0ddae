/**
 * The table's stream consumer: committed changes become live events, put on the event bus and
 * pushed to the WebSocket connections of their store (publish.ts). It also carries the read
 * markers of conversations that moved between the active and archived views
 * (functions/conversations/carry-readers.ts), so a move never writes per reader, and hands the
 * changes to the system tasks that follow them (functions/tasks/system-tasks.ts: a customer's
 * message in quiet hours, a payment closing its cart's task). The bus and the WebSocket
 * callback endpoint come from the environment, so the local stack runs this very handler against
 * its own stand-ins for both.
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { carryReaders } from '../conversations/carry-readers';
import { eventBridge } from '../shared/clients';
import { slices } from '../shared/concurrency';
import { loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { streamConsumer } from '../shared/stream';
import { followChanges } from '../tasks/system-tasks';
import type { ChangeRecord, EventPorts } from './model';
import { eventsOfChanges, publish } from './publish';

const config = loadConfig('eventBus', 'webSocketCallbackUrl');
const connections = new ApiGatewayManagementApiClient({ endpoint: config.webSocketCallbackUrl });

/** EventBridge takes at most 10 entries a PutEvents call. */
const PUT_EVENTS_MAX_ENTRIES = 10;

const ports: EventPorts = {
  async putOnBus(events) {
    for (const batch of slices(events, PUT_EVENTS_MAX_ENTRIES)) {
      const out = await eventBridge().send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: config.eventBus,
            Source: 'clienteling',
            DetailType: event.type,
            Detail: JSON.stringify(event),
            Time: new Date(event.time),
          })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const failed = (out.Entries ?? []).find((e) => e.ErrorCode);
        throw new Error(
          `EventBridge refused ${out.FailedEntryCount} event(s): ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`,
        );
      }
    }
  },
  async post(connectionId, payload) {
    try {
      await connections.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(payload) }),
      );
      return 'sent';
    } catch (error) {
      if (
        error instanceof GoneException ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
      )
        return 'gone';
      throw error;
    }
  },
};

function changeOf(record: DynamoDBRecord): ChangeRecord {
  const image = (value: Record<string, unknown> | undefined) =>
    value ? unmarshall(value as Record<string, AttributeValue>) : undefined;
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventId: record.eventID ?? `${record.dynamodb?.SequenceNumber}`,
    kind: record.eventName ?? 'MODIFY',
    // Whole seconds on AWS; the local stream dates a record to the millisecond (lib/local/table-stream.ts).
    at: new Date(seconds === undefined ? Date.now() : Math.round(seconds * 1000)).toISOString(),
    oldImage: image(record.dynamodb?.OldImage),
    newImage: image(record.dynamodb?.NewImage),
  };
}

export const handler = streamConsumer(async (records) => {
  const changes = records.map(changeOf);
  // Before the events: a failure here retries the batch, and the events' ids make the repeat harmless.
  const carried = await carryReaders(changes);
  if (carried > 0) logger.info("read markers carried to their conversations' view", { markers: carried });
  // Also before the events: every system task write happens at most once, so a retried batch repeats nothing.
  await followChanges(changes, new Date());
  const events = await eventsOfChanges(changes);
  const outcome = await publish(events, ports, new Date());
  if (events.length > 0)
    logger.info('events published', { records: records.length, events: events.length, ...outcome });
});

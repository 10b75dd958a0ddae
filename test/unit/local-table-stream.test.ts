import { describe, expect, it } from 'vitest';
import { dynamoStreamRecord } from '../../lib/lambda-events';

describe('dynamoStreamRecord', () => {
  it('hands a Streams API record over as Lambda does: epoch seconds, source fields, the stream ARN', () => {
    const arn = 'arn:aws:dynamodb:ddblocal:000000000000:table/clienteling/stream/2026-11-22T17:00:00.000';
    const record = dynamoStreamRecord(
      {
        eventID: 'e1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-11-22T17:00:05.000Z'),
          Keys: { pk: { S: 'CONV#c1' }, sk: { S: 'MSG#m1' } },
          NewImage: { pk: { S: 'CONV#c1' }, sk: { S: 'MSG#m1' }, direction: { S: 'inbound' } },
          SequenceNumber: '100',
          SizeBytes: 42,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      arn,
    );
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      eventSourceARN: arn,
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2026-11-22T17:00:05.000Z') / 1000,
        Keys: { pk: { S: 'CONV#c1' }, sk: { S: 'MSG#m1' } },
        NewImage: { pk: { S: 'CONV#c1' }, sk: { S: 'MSG#m1' }, direction: { S: 'inbound' } },
        SequenceNumber: '100',
        SizeBytes: 42,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });
});

/**
 * The table's stream, consumed the way Lambda's DynamoDB event source does: DynamoDB Local serves
 * the DynamoDB Streams API on its own endpoint, so this polls each shard in turn (a shard's
 * records in order, a child shard only after its parent is read to the end) and hands every
 * batch to the consumer as a real DynamoDBStreamEvent. A failed batch blocks its shard and is
 * retried, as on AWS, until `maxRetries`; then it is skipped with a log line.
 *
 * A record's ApproximateCreationDateTime is the moment this poller read it, to the millisecond
 * (docs/live-events.md, "The local stack"): DynamoDB Local's own is rounded down to the minute,
 * up to 59 s before the commit. The read comes after the commit, by one poll at most while the
 * stream keeps up (a publisher that is slow or failing holds its shard, and the delay with it).
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoStreamEvent, dynamoStreamRecord } from '../lambda-events';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from './engines';

export interface TableStreamOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly consume: (event: DynamoDBStreamEvent) => Promise<void>;
  readonly log: (line: string) => void;
  /** How long an idle poller waits before the next GetRecords. Default 100 ms. */
  readonly idleMs?: number;
  readonly retryDelayMs?: number;
  readonly maxRetries?: number;
  /** Lambda's default batch size for DynamoDB streams. */
  readonly batchSize?: number;
  readonly onChange?: () => void;
  /** The event source's filter: records it refuses are skipped, as Lambda skips them. */
  readonly filter?: (record: DynamoDBRecord) => boolean;
}

export class TableStream {
  private readonly client: DynamoDBStreamsClient;
  private streamArn = '';
  /** Open iterators by shard id; a shard whose iterator ran out is in `finished`. */
  private readonly iterators = new Map<string, string>();
  private readonly finished = new Set<string>();
  private stopped = false;
  private delivering = false;
  private loop: Promise<void> | undefined;
  private lastDescribe = 0;

  constructor(private readonly options: TableStreamOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  }

  /** True while a batch is being handed to the consumer. */
  busy(): boolean {
    return this.delivering;
  }

  /** Starts from the stream's current end: changes made before the start (kept data) are not replayed. */
  async start(): Promise<void> {
    const dynamo = localDynamoClient(this.options.endpoint);
    try {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`Table ${this.options.tableName} has no stream`);
      this.streamArn = Table.LatestStreamArn;
    } finally {
      dynamo.destroy();
    }
    await this.discoverShards('LATEST');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.client.destroy();
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  /** Opens an iterator on every shard not seen yet whose parent has been read to the end (or is unknown). */
  private async discoverShards(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    this.lastDescribe = Date.now();
    const shards = await this.shards();
    const known = new Set(shards.map((s) => s.ShardId!));
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (this.iterators.has(id) || this.finished.has(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !this.finished.has(parent) && position === 'TRIM_HORIZON') continue;
      // At start, a closed shard has nothing new to give: only open shards are followed from their end.
      if (position === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber) {
        this.finished.add(id);
        continue;
      }
      const out = await this.client.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: id, ShardIteratorType: position }),
      );
      if (out.ShardIterator) this.iterators.set(id, out.ShardIterator);
    }
  }

  private async run(): Promise<void> {
    const idleMs = this.options.idleMs ?? 100;
    while (!this.stopped) {
      let got = 0;
      try {
        for (const [shardId, iterator] of [...this.iterators]) {
          if (this.stopped) return;
          const out = await this.client.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 100 }),
          );
          const readAt = new Date();
          const records = (out.Records ?? []).map((r) => readWhen(r, readAt));
          got += records.length;
          if (records.length > 0) await this.deliver(records);
          if (out.NextShardIterator) this.iterators.set(shardId, out.NextShardIterator);
          else {
            this.iterators.delete(shardId);
            this.finished.add(shardId);
            this.lastDescribe = 0;
          }
        }
        if (Date.now() - this.lastDescribe > 1_000) await this.discoverShards('TRIM_HORIZON');
      } catch (error) {
        if (this.stopped) return;
        this.options.log(`stream: polling failed: ${(error as Error).message}`);
        await sleep(this.options.retryDelayMs ?? 1_000);
      }
      if (got === 0) await sleep(idleMs);
    }
  }

  private async deliver(records: StreamRecord[]): Promise<void> {
    const event = dynamoStreamEvent(
      records.map((r) => dynamoStreamRecord(r, this.streamArn)).filter((r) => this.options.filter?.(r) ?? true),
    );
    if (event.Records.length === 0) return;
    const maxRetries = this.options.maxRetries ?? 3;
    this.delivering = true;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.options.consume(event);
          return;
        } catch (error) {
          const last = attempt >= maxRetries || this.stopped;
          this.options.log(
            `stream: ${event.Records.length} record(s) failed (attempt ${attempt + 1} of ${maxRetries + 1}${last ? ', skipped' : ''}): ${(error as Error).message}`,
          );
          if (last) return;
          await sleep((this.options.retryDelayMs ?? 1_000) * (attempt + 1));
        }
      }
    } finally {
      this.delivering = false;
      this.options.onChange?.();
    }
  }
}

/** The record, dated when it was read (never before the engine's own, coarser, date). */
function readWhen(record: StreamRecord, readAt: Date): StreamRecord {
  const engine = record.dynamodb?.ApproximateCreationDateTime;
  const at = engine && engine.getTime() > readAt.getTime() ? engine : readAt;
  return { ...record, dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: at } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

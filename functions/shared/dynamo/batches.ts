/**
 * DynamoDB's paging and batch loops, written once: every page of a query, and BatchGetItem /
 * BatchWriteItem over any number of keys with the unprocessed ones retried after a full-jitter
 * backoff (what AWS recommends under throttling). The pool and the backoff are ./concurrency's.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients';
import { backoff, forEachConcurrently, slices } from '../concurrency';
import { decodeCursor, encodeCursor, type Page } from '../pagination';

export type Item = Record<string, unknown>;
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const GET_BATCH = 100;
const WRITE_BATCH = 25;
const MAX_ATTEMPTS = 10;

/** The items of a query, one page at a time: sweeps handle each page before reading the next. */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<Item[]> {
  let startKey = input.ExclusiveStartKey;
  do {
    const out: QueryCommandOutput = await documentClient.send(
      new QueryCommand({ ...input, ExclusiveStartKey: startKey }),
    );
    yield out.Items ?? [];
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
  /** Key attributes a cursor must carry with exactly these values: the partition being read. */
  readonly partition: Record<string, string>;
  /** Key attributes a cursor's value must start with: the slice of the partition being read. */
  readonly prefixes?: Record<string, string>;
}

type ListQuery = Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;

/**
 * The list a query pages, as its cursors are bound to it: the index, the conditions and every
 * value in them (the partition, a store's filter), with keys in a fixed order. The page size
 * is not part of it, so a client may change `limit` between pages.
 */
function listOf(input: ListQuery): string {
  const sorted = (record: Record<string, unknown> | undefined) =>
    record && Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify([
    'query',
    input.IndexName ?? null,
    input.KeyConditionExpression ?? null,
    input.FilterExpression ?? null,
    sorted(input.ExpressionAttributeNames) ?? null,
    sorted(input.ExpressionAttributeValues) ?? null,
    input.ScanIndexForward ?? true,
  ]);
}

/**
 * One page of a query for an API list, `{items, nextCursor}`. The cursor is signed for this very
 * query (listOf) and its key checked against the partition (and slice) read, so one taken from
 * another list, or altered, is a 400.
 */
export async function queryPage(input: ListQuery, page: PageRequest): Promise<Page<Item>> {
  const list = listOf(input);
  const out = await documentClient.send(
    new QueryCommand({
      ...input,
      Limit: page.limit,
      ExclusiveStartKey: await decodeCursor(page.cursor, list, page.partition, page.prefixes),
    }),
  );
  return { items: out.Items ?? [], nextCursor: await encodeCursor(list, out.LastEvaluatedKey) };
}

/** Every item of a query, for partitions known to be small. */
export async function queryAll(input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
}

/** How many items a query matches (Select COUNT, every page), without reading them. */
export async function countAll(input: Omit<QueryCommandInput, 'Select' | 'ExclusiveStartKey'>): Promise<number> {
  let total = 0;
  let startKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const out: QueryCommandOutput = await documentClient.send(
      new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    total += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return total;
}

/**
 * BatchGetItem over any number of keys: 100 a call, up to `concurrency` calls in flight, the
 * unprocessed keys of each call retried. The order of the answer is not the keys'.
 */
export async function batchGetAll(
  tableName: string,
  keys: readonly Item[],
  options: { consistentRead?: boolean; concurrency?: number } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  await inBatches(keys, GET_BATCH, options.concurrency, async (batch) => {
    let pending: Item[] | undefined = batch;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${attempt} attempts`);
      if (attempt > 0) await backoff(attempt);
      const out: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead } },
        }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys;
    }
  });
  return items;
}

/** Runs `work` on slices of `size`, with up to `concurrency` (default 1) slices in flight. */
async function inBatches<T>(
  all: readonly T[],
  size: number,
  concurrency = 1,
  work: (batch: T[]) => Promise<void>,
): Promise<void> {
  await forEachConcurrently(slices(all, size), concurrency, work);
}

/**
 * BatchWriteItem over any number of puts and deletes: 25 a call, up to `concurrency` calls in
 * flight, the unprocessed writes of each call retried.
 */
export async function batchWriteAll(
  tableName: string,
  requests: readonly WriteRequest[],
  options: { concurrency?: number } = {},
): Promise<void> {
  await inBatches(requests, WRITE_BATCH, options.concurrency, async (batch) => {
    let pending: WriteRequest[] | undefined = batch;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`BatchWriteItem left ${pending.length} writes unprocessed after ${attempt} attempts`);
      if (attempt > 0) await backoff(attempt);
      const out: BatchWriteCommandOutput = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = out.UnprocessedItems?.[tableName];
    }
  });
}

/** Rejected rows of an import: written by the chunk writers, read in line order across their shards. Keys: ./keys.ts. */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { droppable } from '../../shared/droppable';
import { documentClient } from '../../shared/clients';
import { openCursor, sealCursor, type Page } from '../../shared/pagination';
import type { Rejection } from '../model';
import { padLine, type RejectionReason } from '../rules';
import { batchWrite } from './campaigns';
import { importShards, rejectionKey, rejectionsPk } from './keys';
import { tableName } from '../../shared/dynamo/table';

export async function putRejections(campaignId: string, rejections: readonly Rejection[]): Promise<void> {
  await batchWrite(
    rejections.map((r) => ({
      PutRequest: {
        Item: {
          ...rejectionKey(campaignId, r.line),
          type: 'rejection',
          line: r.line,
          email: r.email,
          storeId: r.storeId,
          reason: r.reason,
        },
      },
    })),
  );
}

/** The cursor of a rejections page: the last line returned. */
const RejectionCursor = /* @__PURE__ */ droppable(() =>
  z.strictObject({ campaignRejectionsAfter: z.number().check(z.int(), z.positive()) }),
);

/**
 * One page of rejections in line order: each of the 8 shards is read from after the cursor's
 * line, up to `limit` each, and the smallest lines win. The cursor is the last line returned.
 */
export async function listRejections(campaignId: string, limit: number, cursor?: string): Promise<Page<Rejection>> {
  const list = `rejections\n${campaignId}`;
  const after =
    cursor === undefined ? undefined : (await openCursor(cursor, list, RejectionCursor)).campaignRejectionsAfter;
  const pages = await Promise.all(
    importShards().map(async (shard) => {
      const out: QueryCommandOutput = await documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: {
            ':pk': rejectionsPk(campaignId, shard),
            ...(after === undefined ? {} : { ':after': padLine(after) }),
          },
          Limit: limit + 1,
        }),
      );
      return out.Items ?? [];
    }),
  );
  const merged = pages.flat().sort((a, b) => Number(a.line) - Number(b.line));
  const items = merged.slice(0, limit).map((item) => ({
    line: Number(item.line),
    email: String(item.email),
    storeId: String(item.storeId),
    reason: item.reason as RejectionReason,
  }));
  const more = merged.length > limit || pages.some((page) => page.length > limit);
  const last = items[items.length - 1];
  const nextCursor = more && last ? await sealCursor(list, { campaignRejectionsAfter: last.line }) : null;
  return { items, nextCursor };
}

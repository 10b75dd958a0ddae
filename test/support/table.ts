/**
 * A fresh table per test file on the shared DynamoDB Local, so files never see each other's
 * items. Call at module top level, before importing handler modules that read TABLE_NAME at
 * cold start (or import handlers dynamically after it).
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '../../lib/local/engines';

export async function useFreshTable(prefix = 'test'): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  await ensureTable(inject('dynamoEndpoint'), name);
  process.env.TABLE_NAME = name;
  return name;
}

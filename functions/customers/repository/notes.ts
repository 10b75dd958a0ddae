/**
 * A store's notes about a customer (keys: ./keys.ts): written once, listed newest first in pages,
 * deleted by id. A store reads and deletes only its own slice of the customer's partition, so
 * another store's note is never found (a 404, as if it did not exist). Erasure: ./erase.ts.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPage, type Item } from '../../shared/dynamo/batches';
import { putIfAbsent, tableName } from '../../shared/dynamo/table';
import type { Page } from '../../shared/pagination';
import type { Note } from '../model';
import { customerNotesPk, noteKey, storeNotesPrefix } from './keys';

const toNote = (item: Item): Note => ({
  noteId: item.noteId as string,
  storeId: item.storeId as string,
  customerId: item.customerId as string,
  text: item.text as string,
  authorId: item.authorId as string,
  createdAt: item.createdAt as string,
});

/** Stores a new note (its id is new, so the put never replaces one). */
export async function putNote(note: Note): Promise<void> {
  await documentClient.send(
    new PutCommand(
      putIfAbsent({ ...noteKey(note.customerId, note.storeId, note.noteId), ...note, type: 'customerNote' }).Put,
    ),
  );
}

/** One page of the store's notes about the customer, newest first; the cursor is bound to that store's slice. */
export async function listNotes(
  customerId: string,
  storeId: string,
  limit: number,
  cursor?: string,
): Promise<Page<Note>> {
  const pk = customerNotesPk(customerId);
  const prefix = storeNotesPrefix(storeId);
  const page = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ScanIndexForward: false,
    },
    { limit, cursor, partition: { pk }, prefixes: { sk: prefix } },
  );
  return { items: page.items.map(toNote), nextCursor: page.nextCursor };
}

/** The store's note, if it has one by that id. */
export async function getNote(customerId: string, storeId: string, noteId: string): Promise<Note | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: noteKey(customerId, storeId, noteId), ConsistentRead: true }),
  );
  return out.Item ? toNote(out.Item) : undefined;
}

/** Deletes the store's note (a note already gone is no error: the caller checked it existed). */
export async function deleteNote(customerId: string, storeId: string, noteId: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: noteKey(customerId, storeId, noteId) }));
}

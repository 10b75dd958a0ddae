/**
 * A customer's message, recorded as the inbound worker records one (a received SMS with its own
 * SID), for tests that need the conversation to have heard from its customer just now.
 */
import { randomUUID } from 'node:crypto';

export async function customerWrites(
  conversationId: string,
  text = 'Is it still in stock?',
  now = new Date(),
): Promise<void> {
  // Imported here: each test file points TABLE_NAME at its own table before the functions load.
  const conversations = await import('../../functions/conversations/repository');
  await conversations.recordMessage(conversationId, {
    messageId: conversations.newMessageId(now),
    conversationId,
    direction: 'inbound',
    kind: 'sms',
    text,
    media: [],
    twilioSid: `SM${randomUUID().replace(/-/g, '')}`,
    status: 'received',
    createdAt: now.toISOString(),
  });
}

/**
 * The events capability's key layout in the single table (docs/data-model.md). Every key of this
 * capability is built here and nowhere else; tests build keys through these too.
 *
 *   WSCONN#<connectionId>      / WSCONN             the connection: user, role, store, audiences (TTL)
 *   WSAUDIENCE#STORE#<storeId> / WSCONN#<connId>    one per connection of a store's user: "connections of store X" is one query
 *   WSAUDIENCE#ADMINS          / WSCONN#<connId>    one per admin connection (store-less events)
 *   WSAUDIENCE#USER#<storeId>#<userId> / WSCONN#<connId>   one per connection of a store user: events for that user alone (task.due)
 *
 * Every item carries a TTL a little past API Gateway's 2-hour connection limit, so a connection
 * whose $disconnect never ran (a crash, a lost callback) disappears on its own.
 */
import type { Audience } from '../model';

export const audiencePk = (audience: Audience) =>
  audience === 'admins'
    ? 'WSAUDIENCE#ADMINS'
    : audience.userId !== undefined
      ? `WSAUDIENCE#USER#${audience.storeId}#${audience.userId}`
      : `WSAUDIENCE#STORE#${audience.storeId}`;
export const connectionKey = (connectionId: string) => ({ pk: `WSCONN#${connectionId}`, sk: 'WSCONN' });
/** A membership item, by its audience's partition key (as the connection item lists them). */
export const memberKeyIn = (audiencePartition: string, connectionId: string) => ({
  pk: audiencePartition,
  sk: `WSCONN#${connectionId}`,
});
export const memberKey = (audience: Audience, connectionId: string) => memberKeyIn(audiencePk(audience), connectionId);

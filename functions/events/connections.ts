/**
 * Connecting to live events: the audiences a user's connection joins, and storing or removing the
 * connection (./repository/connections.ts), as the `$connect` and `$disconnect` routes and the
 * local stack's WebSocket server do.
 */
import type { Principal } from '../shared/principal';
import type { Audience } from './model';

export { deleteConnection, saveConnection } from './repository/connections';

/**
 * The audiences a principal's connection joins: its store's and, for a store user, its own within
 * the store (events for that user alone: task.due); the admins' for an admin. None: the user may not connect.
 */
export function audiencesOf(principal: Principal): Audience[] {
  const audiences: Audience[] = [];
  // A user in none of the groups may call no route, so it hears nothing either.
  if (principal.roles.length === 0) return audiences;
  if (principal.storeId) audiences.push({ storeId: principal.storeId });
  if (principal.storeId && !principal.isAdmin) audiences.push({ storeId: principal.storeId, userId: principal.userId });
  if (principal.isAdmin) audiences.push('admins');
  return audiences;
}

/**
 * Who is calling: the verified JWT claims turned into a principal, and the store rules that go
 * with it. Associates and managers see their own store only; `clienteling-admin` sees all.
 */
import { ForbiddenError, UnauthorizedError } from './errors';

export const ROLES = ['associate', 'manager', 'clienteling-admin'] as const;
export type Role = (typeof ROLES)[number];
export const STORE_ROLES: readonly Role[] = ['associate', 'manager'];
export const ADMIN: readonly Role[] = ['clienteling-admin'];
export const ANY_ROLE: readonly Role[] = [...ROLES];

export interface Principal {
  readonly userId: string;
  readonly storeId: string | undefined;
  readonly roles: readonly Role[];
  readonly isAdmin: boolean;
}

/**
 * API Gateway's JWT authorizer hands array claims over as a string such as `[associate manager]`;
 * a locally minted token may carry a real array. Both mean the same groups.
 */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const trimmed = claim.trim();
  if (trimmed.startsWith('[') && trimmed.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to the space-separated form
    }
  }
  return trimmed
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal {
  const userId = claims?.sub;
  if (typeof userId !== 'string' || userId.length === 0)
    throw new UnauthorizedError('A bearer token with a subject is required.');
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const store = claims?.['custom:store_id'];
  return {
    userId,
    storeId: typeof store === 'string' && store.length > 0 ? store : undefined,
    roles,
    isAdmin: roles.includes('clienteling-admin'),
  };
}

export function requireRole(principal: Principal, allowed: readonly Role[]): void {
  if (!principal.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`This needs one of the roles: ${allowed.join(', ')}.`);
  }
}

/** True when the principal may see this store's data. */
export function canAccessStore(principal: Principal, storeId: string): boolean {
  return principal.isAdmin || principal.storeId === storeId;
}

/** For routes that name a store in the path: another store is a 403. */
export function requireStoreAccess(principal: Principal, storeId: string): void {
  if (!canAccessStore(principal, storeId)) throw new ForbiddenError(`You cannot act for store ${storeId}.`);
}

/** The store a store user acts for; an admin without a store cannot use store-scoped routes. */
export function actingStore(principal: Principal): string {
  if (!principal.storeId) throw new ForbiddenError('This needs a user that belongs to a store (custom:store_id).');
  return principal.storeId;
}

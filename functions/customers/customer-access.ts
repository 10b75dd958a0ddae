/**
 * Who may see which customer (docs/rules.md, "Customers"). Admins see everyone. A store user
 * sees the customers linked to their store (a conversation or an outreach entry there), and by
 * an exact email or full E.164 phone anyone (a walk-in); any other customer answers as if it did
 * not exist. Every search counts against the user's allowance and is logged by the user and a
 * hash of the query, never the query.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { TooManyRequestsError } from '../shared/errors';
import { logger } from '../shared/logger';
import type { Page } from '../shared/pagination';
import { actingStore, type Principal } from '../shared/principal';
import type { Customer } from '../stores/model';
import {
  countSearch,
  findCustomerByEmail,
  findCustomerByPhone,
  getCustomer,
  searchCustomers,
} from '../stores/repository';
import { normalizeSearchQuery, SEARCHES_PER_MINUTE, searchWindow } from '../stores/rules';
import { exactLookupOf } from '../stores/schemas';
import { linkedToStore, storeLinkAndTags } from './repository';

/**
 * Candidates a store user's search page reads from the search index: their links are checked in
 * two BatchGetItem calls (two keys each, 100 keys a call), whatever the page's `limit`.
 */
export const STORE_SEARCH_WINDOW = 100;

/** A customer as the API answers it; store users also get their own store's `tags` (admins none: tags are a store's). */
export type CustomerView = Customer & { tags?: string[] };

/**
 * The customer, if the principal may see it: 404 material otherwise, exactly like an unknown id.
 * For a store user, the links and the store's tags come in one BatchGetItem beside the customer.
 */
export async function visibleCustomer(principal: Principal, customerId: string): Promise<CustomerView | undefined> {
  if (principal.isAdmin) return getCustomer(customerId);
  const storeId = actingStore(principal);
  const [customer, store] = await Promise.all([getCustomer(customerId), storeLinkAndTags(storeId, customerId)]);
  return customer && store.linked ? { ...customer, tags: store.tags } : undefined;
}

/** What the log says about a query: enough to correlate repeats, nothing to read it back by. */
export const searchQueryHash = (query: string): string =>
  createHash('sha256').update(normalizeSearchQuery(query)).digest('hex');

/**
 * A customer search, as the principal may make it:
 * 1. count it in the user's minute (over the allowance: 429 with Retry-After, nothing read);
 * 2. log the user and the query's hash;
 * 3. admins: the prefix search over everyone;
 * 4. store users: on the first page, the exact email or phone look-up (anyone), then a window of
 *    prefix candidates of which only those linked to the store are answered. A page may hold
 *    fewer than `limit` (even none) with a `nextCursor` when the window held unrelated customers.
 */
export async function searchCustomersAs(
  principal: Principal,
  request: { query: string; limit: number; cursor?: string },
  clock: Clock,
): Promise<Page<Customer>> {
  const window = searchWindow(clock());
  if (!(await countSearch(principal.userId, window, SEARCHES_PER_MINUTE)))
    throw new TooManyRequestsError(
      `At most ${SEARCHES_PER_MINUTE} customer searches a minute; try again in ${window.retryAfterSeconds} s.`,
      window.retryAfterSeconds,
    );
  const scope = principal.isAdmin ? 'all' : 'store';
  logger.info('customer search', { userId: principal.userId, queryHash: searchQueryHash(request.query), scope });
  if (principal.isAdmin) return searchCustomers(request.query, request.limit, request.cursor);
  return searchLinked(actingStore(principal), request);
}

async function searchLinked(
  storeId: string,
  request: { query: string; limit: number; cursor?: string },
): Promise<Page<Customer>> {
  const walkIn = request.cursor ? undefined : await exactMatch(request.query);
  // The walk-in takes a place of the page; with `limit` 1 it is the whole answer.
  const room = Math.min(request.limit, STORE_SEARCH_WINDOW) - (walkIn ? 1 : 0);
  if (walkIn && room === 0) return { items: [walkIn], nextCursor: null };
  const candidates = await searchCustomers(request.query, room, request.cursor);
  const linked = await linkedToStore(
    storeId,
    candidates.items.map((c) => c.customerId),
  );
  const items = candidates.items.filter((c) => linked.has(c.customerId) && c.customerId !== walkIn?.customerId);
  return { items: walkIn ? [walkIn, ...items] : items, nextCursor: candidates.nextCursor };
}

function exactMatch(query: string): Promise<Customer | undefined> {
  const exact = exactLookupOf(query);
  if (!exact) return Promise.resolve(undefined);
  return 'email' in exact ? findCustomerByEmail(exact.email) : findCustomerByPhone(exact.phone);
}

/**
 * The stores capability's key layout in the single table (docs/data-model.md). Every key of this
 * capability is built here and nowhere else; tests build keys through these too.
 *
 *   STORE#<id>            / STORE            the store; gsi1 STORES / <id> (every store, by id)
 *   STOREPHONE#<e164>     / STOREPHONE       -> storeId (a store found by its Twilio number)
 *   STOREWA#<e164>        / STOREWA          -> storeId (a store found by its WhatsApp sender, while enabled)
 *   CUSTOMER#<id>         / CUSTOMER         the customer
 *   CUSTEMAIL#<email>     / CUSTEMAIL        -> customer summary (unique email; campaign look-ups)
 *   CUSTPHONE#<e164>      / CUSTPHONE        -> customer summary (inbound SMS look-ups)
 *   CUSTSEARCH#<bucket>   / <term>#<id>      -> customer summary (prefix search); the bucket is the
 *                                            term's first 5 chars for +phones (+1415), 4 for digits
 *                                            (1415), 3 otherwise (joh): rules.ts searchBucketLength
 *   SEARCHRATE#<userId>#<minute> / SEARCHRATE  a user's searches in one UTC minute (`count`); ttl
 *                                            after the minute (rules.ts SEARCHES_PER_MINUTE)
 */
import { legacySearchBucket, normalizeEmail, searchBucket } from '../rules';

export const STORE_PREFIX = 'STORE#';
export const storeKey = (storeId: string) => ({ pk: `${STORE_PREFIX}${storeId}`, sk: 'STORE' });
/** The gsi1 partition of every store, sorted by id (`GET /stores`). */
export const STORES_PK = 'STORES';
export const storeListKeys = (storeId: string) => ({ gsi1pk: STORES_PK, gsi1sk: storeId });
export const storePhoneKey = (phone: string) => ({ pk: `STOREPHONE#${phone}`, sk: 'STOREPHONE' });
/** A store found by the number it receives WhatsApp on (rules.ts whatsAppSenderOf). */
export const storeWhatsAppKey = (phone: string) => ({ pk: `STOREWA#${phone}`, sk: 'STOREWA' });

export const CUSTOMER_PREFIX = 'CUSTOMER#';
export const CUSTOMER_SK = 'CUSTOMER';
export const customerKey = (customerId: string) => ({ pk: `${CUSTOMER_PREFIX}${customerId}`, sk: CUSTOMER_SK });
/** The customer id of a customer item's key (a stream image's), or undefined for any other key. */
export const customerIdOf = (key: { pk: string; sk: string }): string | undefined =>
  key.sk === CUSTOMER_SK && key.pk.startsWith(CUSTOMER_PREFIX) ? key.pk.slice(CUSTOMER_PREFIX.length) : undefined;
export const EMAIL_PREFIX = 'CUSTEMAIL#';
export const emailKey = (email: string) => ({ pk: `${EMAIL_PREFIX}${normalizeEmail(email)}`, sk: 'CUSTEMAIL' });
export const phoneKey = (phone: string) => ({ pk: `CUSTPHONE#${phone}`, sk: 'CUSTPHONE' });
/** The search partition of a normalised term or query: its bucket (rules.ts searchBucket). */
export const searchPk = (normalized: string) => `CUSTSEARCH#${searchBucket(normalized)}`;
export const searchKey = (term: string, customerId: string) => ({ pk: searchPk(term), sk: `${term}#${customerId}` });
/** Where a term was indexed before the buckets spread (`CUSTSEARCH#<2 chars>`): what the re-index deletes. */
export const legacySearchKey = (term: string, customerId: string) => ({
  pk: `CUSTSEARCH#${legacySearchBucket(term)}`,
  sk: `${term}#${customerId}`,
});
/** A user's search counter for one UTC minute (`2026-05-04T10:15`, rules.ts searchWindow). */
export const searchRateKey = (userId: string, minute: string) => ({
  pk: `SEARCHRATE#${userId}#${minute}`,
  sk: 'SEARCHRATE',
});

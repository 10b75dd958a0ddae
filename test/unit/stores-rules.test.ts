import { describe, expect, it } from 'vitest';
import {
  customerWriteUnits,
  legacySearchTerms,
  normalizeSearchQuery,
  searchBucket,
  searchQueryTooShort,
  searchTerms,
} from '../../functions/stores/rules';
import { CustomerInput, StoreInput } from '../../functions/stores/schemas';

const validStore = {
  name: 'Fifth Avenue',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550100',
  currency: 'USD',
};

describe('store input', () => {
  it('accepts a store with an IANA zone, ISO country, E.164 number and ISO currency', () => {
    expect(StoreInput.safeParse(validStore).success).toBe(true);
  });

  it.each([
    ['timezone', 'Mars/Olympus'],
    ['timezone', 'EST5EDT-nope'],
    ['country', 'USA'],
    ['country', 'XX'],
    ['phoneNumber', '2125550100'],
    ['phoneNumber', '+0125550100'],
    ['currency', 'usd'],
    ['currency', 'ABC'],
    ['name', '   '],
  ])('rejects %s = %j and names the field', (field, value) => {
    const result = StoreInput.safeParse({ ...validStore, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it.each(['Asia/Kolkata', 'Australia/Adelaide', 'Pacific/Chatham', 'Europe/London'])(
    'accepts the zone %s',
    (timezone) => {
      expect(StoreInput.safeParse({ ...validStore, timezone }).success).toBe(true);
    },
  );
});

describe('customer input', () => {
  it('stores the email trimmed and lower-cased', () => {
    expect(CustomerInput.parse({ email: '  Ada.Lovelace@Example.COM ' }).email).toBe('ada.lovelace@example.com');
  });

  it.each(['not-an-email', 'a@', '@b.com', ''])('rejects the email %j', (email) => {
    expect(CustomerInput.safeParse({ email }).success).toBe(false);
  });
});

describe('search terms', () => {
  it('finds a customer by email, phone with or without +, first, last and full name', () => {
    const terms = searchTerms({
      email: 'ada@example.com',
      phone: '+442071838750',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(terms).toEqual(['ada@example.com', '+442071838750', '442071838750', 'ada', 'lovelace', 'ada lovelace']);
  });

  it('indexes no term shorter than its bucket (no query could reach it); the old rule indexed 2 characters', () => {
    expect(searchTerms({ email: 'al@example.com', firstName: 'Al', lastName: 'Li' })).toEqual([
      'al@example.com',
      'al li',
    ]);
    expect(legacySearchTerms({ email: 'al@example.com', firstName: 'Al', lastName: 'Li' })).toEqual([
      'al@example.com',
      'al',
      'li',
      'al li',
    ]);
  });

  it.each([
    ['+14155550100', '+1415'],
    ['14155550100', '1415'],
    ['+442071838750', '+4420'],
    ['ada@example.com', 'ada'],
    ['lovelace', 'lov'],
    ['ada lovelace', 'ada'],
  ])('buckets %j under %j', (term, bucket) => {
    expect(searchBucket(term)).toBe(bucket);
  });

  it.each([
    ['ad', 'at least 3 characters'],
    ['+1 41', 'at least 5 characters'],
    ['141', 'at least 4 digits'],
    ['ada', undefined],
    ['+1415', undefined],
    ['1415', undefined],
  ])('answers the query %j: %s', (query, problem) => {
    const found = searchQueryTooShort(query);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('counts a new customer as 2 write units an item (one transaction): the loader budget', () => {
    // customer, email, phone, and 6 search entries
    expect(
      customerWriteUnits({ email: 'ada@example.com', phone: '+442071838750', firstName: 'Ada', lastName: 'Lovelace' }),
    ).toBe(18);
    expect(customerWriteUnits({ email: 'ada@example.com' })).toBe(6);
  });

  it.each([
    ['  ADA  ', 'ada'],
    ['+44 (20) 7183-8750', '+442071838750'],
    ['Ada   Love', 'ada love'],
  ])('normalises the query %j to %j', (query, expected) => {
    expect(normalizeSearchQuery(query)).toBe(expected);
  });
});

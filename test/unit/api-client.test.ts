/** The e2e client's check of answers against docs/openapi.json: it must refuse what the document does not allow. */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../support/api-client';

const store = {
  storeId: 'nyc-5th',
  name: 'Fifth Avenue',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550100',
  currency: 'USD',
  quietHours: { start: '21:00', end: '08:00' },
  cartReminderHours: 3,
  whatsapp: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('checking answers against the document', () => {
  it('accepts a store as GET /stores/{storeId} documents it', async () => {
    await expect(checkAnswer('GET', '/stores/{storeId}', json(200, store))).resolves.toBeUndefined();
  });

  it.each([
    ['a missing field', { ...store, name: undefined }, /name/],
    ['a field the document does not have', { ...store, secret: 'x' }, /additional/],
    ['a time that is not a date-time', { ...store, createdAt: 'yesterday' }, /date-time/],
  ])('refuses a store with %s', async (_, body, why) => {
    await expect(checkAnswer('GET', '/stores/{storeId}', json(200, body))).rejects.toThrow(why);
  });

  it('refuses a status the operation does not list, and a problem that is not problem+json', async () => {
    await expect(
      checkAnswer(
        'GET',
        '/stores/{storeId}',
        json(409, { type: 'x', title: 't', status: 409, detail: 'd' }, 'application/problem+json'),
      ),
    ).rejects.toThrow(/does not list/);
    await expect(
      checkAnswer('GET', '/stores/{storeId}', json(404, { type: 'x', title: 't', status: 404, detail: 'd' })),
    ).rejects.toThrow(/application\/problem\+json/);
  });

  it('refuses JSON where the document promises an HTML page', async () => {
    await expect(checkAnswer('GET', '/c/{token}', json(200, {}))).rejects.toThrow(/text\/html/);
  });
});

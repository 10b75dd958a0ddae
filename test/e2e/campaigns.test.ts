import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, drain, dropFile, eventually, tokenFor } from '../support/e2e';

const run = randomUUID().slice(0, 8);
const storeId = `e2e-camp-${run}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'e2e-admin' }));
const associate = api(tokenFor({ role: 'associate', userId: 'e2e-assoc', storeId }));
const emails = [0, 1, 2].map((i) => `camp-${run}-${i}@example.com`);

async function campaignNamed(name: string): Promise<any> {
  const listing = await admin.get('/campaigns?limit=200');
  return listing.body.items.find((c: any) => c.name === name);
}

beforeAll(async () => {
  const store = await admin.put(`/stores/${storeId}`, {
    name: 'Campaign store',
    timezone: 'Europe/London',
    country: 'GB',
    phoneNumber: `+4420${String(Date.now()).slice(-8)}`,
    currency: 'GBP',
  });
  expect([200, 201]).toContain(store.status);
  const created = await admin.post('/customers/batch', { customers: emails.map((email, i) => ({ email, firstName: `Ann${i}`, lastName: 'Lee' })) });
  expect(created.status).toBe(200);
});

describe('campaigns over HTTP on the local stack', () => {
  it('imports a CSV dropped in the drop folder into a campaign named after the file', async () => {
    // Arrange
    const name = `Drop ${run}`;
    // Act
    dropFile(`${name}.csv`, `customer email,store id\r\n${emails[0]},${storeId}\r\nnobody-${run}@example.com,${storeId}\r\n`);
    // The folder watcher picks the file up on its own schedule: wait for the campaign to finish.
    const summary = await eventually(async () => {
      const found = await campaignNamed(name);
      return found && found.status !== 'PROCESSING' ? found : undefined;
    });
    // Assert
    expect(summary).toMatchObject({ status: 'PARTIALLY_SUCCESSFUL', enabled: false, counts: { rows: 2, accepted: 1, rejected: 1, duplicates: 0 } });
    const rejections = await admin.get(`/campaigns/${summary.campaignId}/rejections`);
    expect(rejections.body.items).toEqual([{ line: 3, email: `nobody-${run}@example.com`, storeId, reason: 'UNKNOWN_CUSTOMER' }]);
  });

  it('imports through the presigned URL, and the store sees the list once enabled', async () => {
    // Arrange
    const created = await admin.post('/campaigns', { name: `Presigned ${run}` });
    expect(created.status).toBe(201);
    const { campaignId, upload } = created.body;
    // Act
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: `customer email,store id\n${emails[1]},${storeId}\n${emails[2]},${storeId}\n${emails[2]},${storeId}\n` });
    await drain();
    const details = await admin.get(`/campaigns/${campaignId}`);
    const enable = await admin.post(`/campaigns/${campaignId}/enable`);
    const lists = await associate.get(`/stores/${storeId}/outreach-lists`);
    const entries = await associate.get(`/stores/${storeId}/outreach-lists/${campaignId}`);
    // Assert
    expect(put.status).toBe(200);
    expect(details.body).toMatchObject({ status: 'SUCCESSFUL', counts: { rows: 3, accepted: 2, rejected: 0, duplicates: 1 }, stores: [{ storeId, customers: 2, knownStore: true }] });
    expect(enable.status).toBe(200);
    expect(lists.body.items).toContainEqual({ campaignId, name: `Presigned ${run}`, customers: 2, contacted: 0 });
    expect(entries.body.items.map((e: any) => e.email).sort()).toEqual([emails[1], emails[2]].sort());

    // Delete: gone from the store at once, 404 the second time
    expect((await admin.delete(`/campaigns/${campaignId}`)).status).toBe(204);
    expect((await associate.get(`/stores/${storeId}/outreach-lists`)).body.items.find((l: any) => l.campaignId === campaignId)).toBeUndefined();
    expect((await admin.delete(`/campaigns/${campaignId}`)).status).toBe(404);
  });

  it('refuses campaign routes to store users with 403', async () => {
    expect((await associate.get('/campaigns')).status).toBe(403);
    expect((await associate.post('/campaigns', { name: 'nope' })).status).toBe(403);
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { drain, dropFile, eventually, tokenFor } from '../support/e2e';

const run = randomUUID().slice(0, 8);
const storeId = `e2e-camp-${run}`;
const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: 'e2e-admin' }));
const associate = apiClient(tokenFor({ role: 'associate', userId: 'e2e-assoc', storeId }));
const emails = [0, 1, 2].map((i) => `camp-${run}-${i}@example.com`);

async function campaignNamed(name: string) {
  const listing = await admin.GET('/campaigns', { params: { query: { limit: 200 } } });
  return listing.data?.items.find((c) => c.name === name);
}

beforeAll(async () => {
  const store = await admin.PUT('/stores/{storeId}', {
    params: { path: { storeId } },
    body: {
      name: 'Campaign store',
      timezone: 'Europe/London',
      country: 'GB',
      phoneNumber: `+4420${String(Date.now()).slice(-8)}`,
      currency: 'GBP',
    },
  });
  expect([200, 201]).toContain(store.response.status);
  const created = await admin.POST('/customers/batch', {
    body: { customers: emails.map((email, i) => ({ email, firstName: `Ann${i}`, lastName: 'Lee' })) },
  });
  expect(created.response.status).toBe(200);
});

describe('campaigns over HTTP on the local stack', () => {
  it('refuses a dropped file of 60,000 distinct store ids: FAILED naming the store limit (docs/rules.md)', async () => {
    // Arrange
    const name = `Stores ${run}`;
    const rows = Array.from({ length: 60_000 }, (_, i) => `${emails[i % 3]},${storeId}-${i}`);
    // Act
    dropFile(`${name}.csv`, ['customer email,store id', ...rows].join('\n'));
    const summary = await eventually(async () => {
      const found = await campaignNamed(name);
      return found && found.status !== 'PROCESSING' ? found : undefined;
    });
    // Assert
    const details = await admin.GET('/campaigns/{campaignId}', {
      params: { path: { campaignId: summary.campaignId } },
    });
    expect(details.data).toMatchObject({ status: 'FAILED', stores: [] });
    expect(details.data?.error).toMatch(/more than 2,000 distinct store ids .*line 2002.*at most 2,000 stores/);
  });

  it('imports a CSV dropped in the drop folder into a campaign named after the file', async () => {
    // Arrange
    const name = `Drop ${run}`;
    // Act
    dropFile(
      `${name}.csv`,
      `customer email,store id\r\n${emails[0]},${storeId}\r\nnobody-${run}@example.com,${storeId}\r\n`,
    );
    // The folder watcher picks the file up on its own schedule: wait for the campaign to finish.
    const summary = await eventually(async () => {
      const found = await campaignNamed(name);
      return found && found.status !== 'PROCESSING' ? found : undefined;
    });
    // Assert
    expect(summary).toMatchObject({
      status: 'PARTIALLY_SUCCESSFUL',
      enabled: false,
      counts: { rows: 2, accepted: 1, rejected: 1, duplicates: 0 },
    });
    const rejections = await admin.GET('/campaigns/{campaignId}/rejections', {
      params: { path: { campaignId: summary.campaignId } },
    });
    expect(rejections.data?.items).toEqual([
      { line: 3, email: `nobody-${run}@example.com`, storeId, reason: 'UNKNOWN_CUSTOMER' },
    ]);
  });

  it('imports through the presigned URL, and the store sees the list once enabled', async () => {
    // Arrange
    const created = await admin.POST('/campaigns', { body: { name: `Presigned ${run}` } });
    expect(created.response.status).toBe(201);
    const { campaignId, upload } = created.data!;
    const campaign = { params: { path: { campaignId } } };
    const storeList = { params: { path: { storeId, campaignId } } };
    // Act
    const put = await fetch(upload.url, {
      method: upload.method,
      headers: upload.headers,
      body: `customer email,store id\n${emails[1]},${storeId}\n${emails[2]},${storeId}\n${emails[2]},${storeId}\n`,
    });
    await drain();
    const details = await admin.GET('/campaigns/{campaignId}', campaign);
    const enable = await admin.POST('/campaigns/{campaignId}/enable', campaign);
    const lists = await associate.GET('/stores/{storeId}/outreach-lists', { params: { path: { storeId } } });
    const entries = await associate.GET('/stores/{storeId}/outreach-lists/{campaignId}', storeList);
    // Assert
    expect(put.status).toBe(200);
    expect(details.data).toMatchObject({
      status: 'SUCCESSFUL',
      counts: { rows: 3, accepted: 2, rejected: 0, duplicates: 1 },
      stores: [{ storeId, customers: 2, knownStore: true }],
    });
    expect(enable.response.status).toBe(200);
    expect(lists.data?.items).toContainEqual({ campaignId, name: `Presigned ${run}`, customers: 2, contacted: 0 });
    expect(entries.data?.items.map((e) => e.email).sort()).toEqual([emails[1], emails[2]].sort());

    // Delete: gone from the store at once, 404 the second time
    expect((await admin.DELETE('/campaigns/{campaignId}', campaign)).response.status).toBe(204);
    const after = await associate.GET('/stores/{storeId}/outreach-lists', { params: { path: { storeId } } });
    expect(after.data?.items.find((l) => l.campaignId === campaignId)).toBeUndefined();
    expect((await admin.DELETE('/campaigns/{campaignId}', campaign)).response.status).toBe(404);
  });

  it('refuses campaign routes to store users with 403', async () => {
    expect((await associate.GET('/campaigns')).response.status).toBe(403);
    expect((await associate.POST('/campaigns', { body: { name: 'nope' } })).response.status).toBe(403);
  });
});

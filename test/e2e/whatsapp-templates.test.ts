/**
 * WhatsApp templates on the local stack, through the typed client: the local carrier's Content
 * API gives each template its approval status on PUT (approved, rejected, pending; unknown
 * content is a 422), the `whatsapp-templates` schedule reads them all again, and store users
 * list them with their status (docs/rules.md, "WhatsApp templates").
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { request, runSchedule, tokenFor } from '../support/e2e';
import { PENDING_CONTENT_SID, REJECTED_CONTENT_SID } from '../../lib/local/content-api';

const suffix = randomUUID().slice(0, 8);
const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: 'wa-admin' }));
const associate = apiClient(tokenFor({ role: 'associate', storeId: `wa-${suffix}`, userId: 'wa-alice' }));

const template = (contentSid: string, category: 'UTILITY' | 'MARKETING' = 'UTILITY') => ({
  contentSid,
  name: `Template ${contentSid.slice(-4)}`,
  language: 'en',
  category,
  purpose: 'OTHER' as const,
  text: 'Hi {{1}}, thanks for visiting {{2}} today.',
  variables: ['1', '2'],
});
const put = (templateId: string, body: ReturnType<typeof template>, client = admin) =>
  client.PUT('/whatsapp/templates/{templateId}', { params: { path: { templateId } }, body });

describe('WhatsApp templates over HTTP', () => {
  const approvedSid = `HX${randomBytes(16).toString('hex')}`;
  const ids = { approved: `approved-${suffix}`, rejected: `rejected-${suffix}`, pending: `pending-${suffix}` };

  it("gives each template on PUT the status the carrier's Content API answers", async () => {
    const approved = await put(ids.approved, template(approvedSid));
    const rejected = await put(ids.rejected, template(REJECTED_CONTENT_SID, 'MARKETING'));
    const pending = await put(ids.pending, template(PENDING_CONTENT_SID));
    expect([approved.response.status, rejected.response.status, pending.response.status]).toEqual([201, 201, 201]);
    expect(approved.data).toMatchObject({ templateId: ids.approved, contentSid: approvedSid, status: 'APPROVED' });
    expect(rejected.data).toMatchObject({ status: 'REJECTED', category: 'MARKETING' });
    expect(pending.data).toMatchObject({ status: 'PENDING' });
    expect((await put(ids.approved, template(approvedSid))).response.status).toBe(200);
  });

  it('refuses content the carrier does not have (422 naming contentSid) and a store user writing (403)', async () => {
    const unknown = await put(`unknown-${suffix}`, template('HXnosuchcontent'));
    expect(unknown.response.status).toBe(422);
    expect(unknown.error).toMatchObject({ errors: [{ in: 'body', field: 'contentSid' }] });
    const byAssociate = await put(`by-associate-${suffix}`, template(approvedSid), associate);
    expect(byAssociate.response.status).toBe(403);
  });

  it('reads every status again when the whatsapp-templates schedule fires, and store users list them', async () => {
    const schedules = await request('GET', '/_local/schedules');
    expect(schedules.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'whatsapp-templates', expression: 'rate(1 hour)' })]),
    );
    const time = new Date(Date.now() + 3600_000).toISOString();
    const run = await runSchedule('whatsapp-templates', time);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ unreachable: 0, left: 0 });
    expect(run.body.checked).toBeGreaterThanOrEqual(3);

    const listed = await associate.GET('/whatsapp/templates', { params: { query: { limit: 200 } } });
    expect(listed.response.status).toBe(200);
    const ours = listed.data!.items.filter((t) => Object.values(ids).includes(t.templateId));
    expect(ours.map((t) => [t.templateId, t.status, t.statusCheckedAt])).toEqual(
      [
        [ids.approved, 'APPROVED', time],
        [ids.pending, 'PENDING', time],
        [ids.rejected, 'REJECTED', time],
      ].sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
  });
});

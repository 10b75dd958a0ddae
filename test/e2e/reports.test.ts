/**
 * Attribution and reports over the local stack: a campaign of three customers at one store, two
 * associates who text two of them, a reply, a shared cart paid through a webhook delivered twice;
 * then the exact figures in the campaign report, the store report and the CSV export.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPaymentBody } from '../../functions/carts/rules';
import { apiClient } from '../support/api-client';
import { baseUrl, drain, eventually, tokenFor } from '../support/e2e';
import { signedTwilioForm } from '../../lib/local/carrier';

const run = randomUUID().slice(0, 8);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: `reports-admin-${run}` }));
const storeId = `reports-${run}`;
const storePhone = `+1917${digits(7)}`;
const today = new Date().toISOString().slice(0, 10);
const firstAssociate = `assoc-one-${run}`;
// A user id a spreadsheet would run as a formula: the export must defuse it.
const secondAssociate = `=cmd|two-${run}`;

/** A signed inbound SMS from the customer, applied by the inbound worker. */
async function customerTexts(from: string, body: string): Promise<void> {
  const fields = {
    MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    AccountSid: 'AC_local',
    From: from,
    To: storePhone,
    Body: body,
    NumMedia: '0',
  };
  const signed = signedTwilioForm(`${baseUrl()}/webhooks/twilio/sms`, fields);
  const answer = await apiClient().POST('/webhooks/twilio/sms', {
    body: { ...fields, NumMedia: 0 },
    bodySerializer: () => signed.body,
    headers: signed.headers,
    parseAs: 'text',
  });
  expect(answer.response.status).toBe(200);
  await drain();
}

/** The payment provider's signed notification. */
async function pay(body: { token: string; amount: number; currency: string; paymentId: string }): Promise<number> {
  const raw = JSON.stringify(body);
  const answer = await apiClient().POST('/webhooks/payments', {
    body,
    bodySerializer: () => raw,
    headers: { 'content-type': 'application/json', 'x-signature': signPaymentBody(raw, 'local-payment-secret') },
  });
  return answer.response.status;
}

describe('attribution and reports, end to end', () => {
  it('counts contacts, the reply and the paid cart once, in both reports and the export', async () => {
    // Arrange: a store, three customers on one enabled campaign, two associates
    expect(
      (
        await admin.PUT('/stores/{storeId}', {
          params: { path: { storeId } },
          body: {
            name: 'Reports Row',
            timezone: 'America/New_York',
            country: 'US',
            phoneNumber: storePhone,
            currency: 'USD',
            // The cart share must not depend on the hour the suite runs at (quiet hours refuse it).
            quietHours: null,
          },
        })
      ).response.status,
    ).toBe(201);
    const customers = [];
    for (const name of ['ada', 'bob', 'cy']) {
      const phone = `+1646${digits(7)}`;
      const email = `${name}-${run}@example.com`;
      const created = await admin.POST('/customers', { body: { email, phone, firstName: name } });
      expect(created.response.status).toBe(201);
      customers.push({ customerId: created.data!.customerId, email, phone });
    }
    const [ada, bob, cy] = customers as [(typeof customers)[0], (typeof customers)[0], (typeof customers)[0]];
    const created = await admin.POST('/campaigns', { body: { name: `Reports ${run}` } });
    const { campaignId, upload } = created.data!;
    const csv = `customer email,store id\n${ada.email},${storeId}\n${bob.email},${storeId}\n${cy.email},${storeId}\n`;
    expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: csv })).status).toBe(200);
    await drain();
    expect(
      (await admin.POST('/campaigns/{campaignId}/enable', { params: { path: { campaignId } } })).response.status,
    ).toBe(200);
    const one = apiClient(tokenFor({ role: 'associate', storeId, userId: firstAssociate }));
    const two = apiClient(tokenFor({ role: 'associate', storeId, userId: secondAssociate }));
    const manager = apiClient(tokenFor({ role: 'manager', storeId, userId: `manager-${run}` }));

    // Act: both customers opt in; each associate texts one; Ada replies; the first associate shares a cart she pays (webhook twice)
    await customerTexts(ada.phone, 'YES');
    await customerTexts(bob.phone, 'YES');
    const adaChat = (await one.POST('/conversations', { body: { customerId: ada.customerId } })).data!.conversationId;
    const bobChat = (await two.POST('/conversations', { body: { customerId: bob.customerId } })).data!.conversationId;
    expect(
      (
        await one.POST('/conversations/{conversationId}/messages', {
          params: { path: { conversationId: adaChat } },
          body: { text: 'Your jacket is in.' },
        })
      ).response.status,
    ).toBe(201);
    expect(
      (
        await two.POST('/conversations/{conversationId}/messages', {
          params: { path: { conversationId: bobChat } },
          body: { text: 'New boots arrived.' },
        })
      ).response.status,
    ).toBe(201);
    await customerTexts(ada.phone, 'Lovely, please hold it');
    const cart = { params: { path: { conversationId: adaChat } } };
    expect(
      (
        await one.PUT('/conversations/{conversationId}/cart/items/{sku}', {
          params: { path: { conversationId: adaChat, sku: 'JACKET' } },
          body: { name: 'Field jacket', unitPrice: 12_900, quantity: 1, fulfillment: 'IN_STORE' },
        })
      ).response.status,
    ).toBe(200);
    const share = await one.POST('/conversations/{conversationId}/cart/share', cart);
    expect(share.response.status).toBe(200);
    const token = new URL(share.data!.url).pathname.split('/c/')[1]!;
    const payment = { token, amount: 12_900, currency: 'USD', paymentId: `pay-${run}` };
    expect(await pay(payment)).toBe(200);
    expect(await pay(payment)).toBe(200);
    await drain();

    // Assert: the outreach list shows who was contacted
    const lists = await one.GET('/stores/{storeId}/outreach-lists', { params: { path: { storeId } } });
    expect(lists.data?.items).toContainEqual({ campaignId, name: `Reports ${run}`, customers: 3, contacted: 2 });

    // Assert: the campaign report
    const campaignReport = await admin.GET('/campaigns/{campaignId}/report', { params: { path: { campaignId } } });
    expect(campaignReport.response.status).toBe(200);
    const figures = {
      customers: 3,
      contacted: 2,
      replied: 1,
      cartsShared: 1,
      ordersPaid: 1,
      revenue: [{ currency: 'USD', amount: 12_900 }],
    };
    expect(campaignReport.data).toEqual({ campaignId, stores: [{ storeId, ...figures }], totals: figures });

    // Assert: the store report, per associate (the receipt is the system's, not the associate's)
    const storeReport = await manager.GET('/stores/{storeId}/report', {
      params: { path: { storeId }, query: { from: today, to: today } },
    });
    expect(storeReport.response.status).toBe(200);
    const [first, second] = storeReport.data!.associates.sort((a, b) =>
      a.userId === firstAssociate ? -1 : b.userId === firstAssociate ? 1 : 0,
    );
    expect(storeReport.data!.associates).toHaveLength(2);
    expect(first).toMatchObject({
      userId: firstAssociate,
      conversationsStarted: 1,
      messagesSent: 2,
      repliesReceived: 1,
      cartsShared: 1,
      ordersPaid: 1,
      revenue: [{ currency: 'USD', amount: 12_900 }],
    });
    expect(second).toMatchObject({
      userId: secondAssociate,
      conversationsStarted: 1,
      messagesSent: 1,
      repliesReceived: 0,
      cartsShared: 0,
      ordersPaid: 0,
      revenue: [],
    });
    // Each waited at most the test's own duration for an answer (the customers' YES, then Ada's reply).
    for (const associate of [first!, second!]) expect(associate.medianFirstResponseSeconds).toBeGreaterThanOrEqual(0);
    for (const associate of [first!, second!]) expect(associate.medianFirstResponseSeconds).toBeLessThan(120);
    expect(
      (await one.GET('/stores/{storeId}/report', { params: { path: { storeId }, query: { from: today, to: today } } }))
        .response.status,
    ).toBe(403);
    expect(
      (
        await manager.GET('/stores/{storeId}/report', {
          params: { path: { storeId }, query: { from: today, to: '2000-01-01' } },
        })
      ).response.status,
    ).toBe(400);

    // Assert: the export
    const started = await admin.POST('/campaigns/{campaignId}/exports', { params: { path: { campaignId } } });
    expect(started.response.status).toBe(202);
    await drain();
    const exportRoute = { params: { path: { campaignId, exportId: started.data!.exportId } } };
    const ready = await eventually(async () => {
      const state = await admin.GET('/campaigns/{campaignId}/exports/{exportId}', exportRoute);
      return state.data?.status === 'PENDING' ? undefined : state.data;
    });
    expect(ready.status).toBe('READY');
    const file = await (await fetch(ready.url!)).text();
    const rows = file.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'customer email,store id,contacted,contacted by,contacted at,replied,orders paid,revenue,currency',
    );
    const rowOf = (email: string) => rows.find((row) => row.startsWith(`${email},`))!.split(',');
    expect(rows).toHaveLength(4);
    const adaRow = rowOf(ada.email);
    expect([...adaRow.slice(0, 4), ...adaRow.slice(5)]).toEqual([
      ada.email,
      storeId,
      'true',
      firstAssociate,
      'true',
      '1',
      '129.00',
      'USD',
    ]);
    expect(Date.parse(adaRow[4]!)).not.toBeNaN();
    const bobRow = rowOf(bob.email);
    expect([...bobRow.slice(0, 4), ...bobRow.slice(5)]).toEqual([
      bob.email,
      storeId,
      'true',
      `'${secondAssociate}`,
      'false',
      '0',
      '0',
      '',
    ]);
    expect(rowOf(cy.email)).toEqual([cy.email, storeId, 'false', '', '', 'false', '0', '0', '']);
  });
});

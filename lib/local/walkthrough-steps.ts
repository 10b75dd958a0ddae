/**
 * The steps of the "first 15 minutes" walkthrough (./walkthrough.ts), one function each: it calls
 * what a client calls and answers the line that tells what happened, or throws `StepFailed`.
 */
import { formatMoney, storeLocale } from '../../functions/carts/rules';
import { DEMO_STORES, type DemoStore } from './demo-data';
import { type Caller, StepFailed, until } from './walkthrough-http';

/**
 * A fresh number in a US area code's 555-0100–0199 block, which is reserved for fiction: another
 * run's customers keep theirs (80,000 numbers), and none of them belongs to anyone.
 */
const demoPhone = () => {
  const digit = (from: number) => from + Math.floor(Math.random() * (10 - from));
  return `+1${digit(2)}${digit(0)}${digit(0)}55501${digit(0)}${digit(0)}`;
};

/** The walkthrough's state as its steps fill it in. */
export interface Run {
  readonly local: Caller;
  readonly admin: Caller;
  readonly associate: Caller;
  readonly storeId: string;
  readonly timeoutMs: number;
  readonly tag: string;
  store?: { name: string; phoneNumber: string; currency: string; country: string; quietHours: unknown };
  customers: { customerId: string; email: string; phone: string; firstName: string }[];
  campaignId?: string;
  conversationId?: string;
  cartToken?: string;
}

/** Waits until the stack's queues, triggers and drop uploads are idle (`POST /_local/drain`). */
const drain = (run: Run) => run.local.call('POST', `/_local/drain?timeoutMs=${run.timeoutMs}`, [200]);

/** The store as stored, or created from the demo data when it is missing (never overwritten). */
export async function storeStep(run: Run): Promise<string> {
  const path = `/stores/${encodeURIComponent(run.storeId)}`;
  let found = await run.admin.call<NonNullable<Run['store']>>('GET', path, [200, 404]);
  let how = 'already there';
  if (found.status === 404) {
    const demo: DemoStore | undefined = DEMO_STORES.find((s) => s.storeId === run.storeId);
    if (!demo) throw new StepFailed(`store ${run.storeId} does not exist and is not a demo store`);
    const { storeId: _id, ...fields } = demo;
    await run.admin.call('PUT', path, [200, 201], fields);
    found = await run.admin.call('GET', path, [200]);
    how = 'created';
  }
  run.store = found.body;
  const quiet = found.body.quietHours === null ? 'quiet hours off' : 'quiet hours on (first messages may be held)';
  return `${run.storeId} "${found.body.name}" ${found.body.phoneNumber}, ${quiet} (${how})`;
}

/** Two customers with phones, created in one batch as head office's CRM would. */
export async function customersStep(run: Run): Promise<string> {
  const people = ['Maya', 'Theo'].map((firstName) => ({
    email: `${firstName.toLowerCase()}-${run.tag}@example.com`,
    phone: demoPhone(),
    firstName,
    lastName: 'Demo',
  }));
  const { body } = await run.admin.call<{ created: number; customers: { index: number; customerId: string }[] }>(
    'POST',
    '/customers/batch',
    [200],
    { customers: people },
  );
  if (body.customers.length !== people.length) throw new StepFailed(`created ${body.created} of ${people.length}`);
  run.customers = body.customers.map((c) => ({ ...people[c.index]!, customerId: c.customerId }));
  return run.customers.map((c) => `${c.firstName} ${c.phone} ${c.customerId}`).join(', ');
}

/** A campaign: the CSV PUT to the presigned URL (the local S3), its import awaited, then enabled. */
export async function campaignStep(run: Run): Promise<string> {
  const { body } = await run.admin.call<{
    campaignId: string;
    upload: { url: string; headers: Record<string, string> };
  }>('POST', '/campaigns', [201], { name: `First 15 minutes ${run.tag}` });
  run.campaignId = body.campaignId;
  const rows = [
    ...run.customers.map((c) => `${c.email},${run.storeId}`),
    `nobody-${run.tag}@example.com,${run.storeId}`,
  ];
  const put = await fetch(body.upload.url, {
    method: 'PUT',
    headers: body.upload.headers,
    body: ['customer email,store id', ...rows].join('\n') + '\n',
  });
  if (!put.ok) throw new StepFailed(`the upload to the local S3 answered ${put.status}`);
  const path = `/campaigns/${body.campaignId}`;
  type Campaign = { status: string; counts: { rows: number; accepted: number; rejected: number } };
  const done = await until('the import', run.timeoutMs, async () => {
    const { body: campaign } = await run.admin.call<Campaign>('GET', path, [200]);
    return campaign.status === 'PROCESSING' ? undefined : campaign;
  });
  if (done.counts.accepted !== run.customers.length)
    throw new StepFailed(`import ${done.status}: ${JSON.stringify(done.counts)}`);
  await run.admin.call('POST', `${path}/enable`, [200]);
  const { rows: read, accepted, rejected } = done.counts;
  return `${body.campaignId} ${done.status}: ${read} rows, ${accepted} accepted, ${rejected} rejected (an unknown email, by design); enabled`;
}

/** The store's outreach list of that campaign, as its associate sees it. */
export async function outreachStep(run: Run): Promise<string> {
  type Entry = { customerId: string; firstName?: string; contacted: boolean };
  const { body } = await run.associate.call<{ items: Entry[] }>(
    'GET',
    `/stores/${encodeURIComponent(run.storeId)}/outreach-lists/${run.campaignId}`,
    [200],
  );
  if (body.items.length !== run.customers.length) throw new StepFailed(`${body.items.length} entries`);
  return body.items
    .map((e) => `${e.firstName ?? e.customerId} (${e.contacted ? 'contacted' : 'to contact'})`)
    .join(', ');
}

/** The associate opens the first customer's conversation from the list. */
export async function conversationStep(run: Run): Promise<string> {
  const customer = run.customers[0]!;
  const { status, body } = await run.associate.call<{ conversationId: string; optIn: string }>(
    'POST',
    '/conversations',
    [200, 201],
    { customerId: customer.customerId },
  );
  run.conversationId = body.conversationId;
  return `${body.conversationId} with ${customer.firstName} (${status === 201 ? 'new' : 'existing'}), optIn ${body.optIn}`;
}

/** The customer texts the store, signed and posted to the inbound webhook; applied once the queue drains. */
async function customerTexts(run: Run, text: string): Promise<string> {
  const customer = run.customers[0]!;
  const { body } = await run.local.call<{ messageSid: string; status: number }>('POST', '/_local/sms', [200], {
    from: customer.phone,
    to: run.store!.phoneNumber,
    body: text,
  });
  await drain(run);
  return body.messageSid;
}

export async function optInStep(run: Run): Promise<string> {
  const sid = await customerTexts(run, 'YES');
  const { body } = await run.associate.call<{ optIn: string }>('GET', `/conversations/${run.conversationId}`, [200]);
  if (body.optIn !== 'OPTED_IN') throw new StepFailed(`after YES the conversation is ${body.optIn}`);
  return `${run.customers[0]!.firstName} texted YES (${sid}): optIn OPTED_IN`;
}

/** The associate's message, queued, then handed to the local carrier. */
export async function messageStep(run: Run): Promise<string> {
  const path = `/conversations/${run.conversationId}/messages`;
  const text = `Hi ${run.customers[0]!.firstName}, the field jacket you asked about is in. Shall I set it aside?`;
  const sent = await run.associate.call<{ messageId: string; status: string; scheduledFor?: string }>(
    'POST',
    path,
    [201, 202],
    { text },
  );
  if (sent.status === 202) return `held until ${sent.body.scheduledFor} (quiet hours): "${text}"`;
  await drain(run);
  const { body } = await run.associate.call<{ items: { messageId: string; status?: string }[] }>('GET', path, [200]);
  const now = body.items.find((m) => m.messageId === sent.body.messageId)?.status;
  return `"${text}" ${sent.body.status}, now ${now}`;
}

export async function replyStep(run: Run): Promise<string> {
  const sid = await customerTexts(run, 'Yes please! Can I pay now?');
  return `${run.customers[0]!.firstName} replied (${sid}): "Yes please! Can I pay now?"`;
}

/** A cart line, then the share: the link is texted to the customer. */
export async function cartStep(run: Run): Promise<string> {
  const path = `/conversations/${run.conversationId}/cart`;
  await run.associate.call('PUT', `${path}/items/JACKET`, [200], {
    name: 'Field jacket',
    unitPrice: 12_900,
    quantity: 1,
    fulfillment: 'IN_STORE',
  });
  const { body } = await run.associate.call<{ url: string; expiresAt: string }>('POST', `${path}/share`, [200]);
  run.cartToken = new URL(body.url).pathname.split('/c/')[1];
  const { body: cart } = await run.associate.call<{ total: number; currency: string }>('GET', path, [200]);
  return `1 item, ${money(run, cart.total, cart.currency)}, link ${body.url} (valid until ${body.expiresAt}), texted`;
}

const money = (run: Run, amount: number, currency: string) =>
  formatMoney(amount, currency, storeLocale(run.store?.country));

/** The customer pays on the local checkout; the payment note lands in the chat. */
export async function paymentStep(run: Run): Promise<string> {
  const path = `/conversations/${run.conversationId}/cart`;
  const { body: cart } = await run.associate.call<{ total: number; currency: string }>('GET', path, [200]);
  const form = new URLSearchParams({ amount: String(cart.total), currency: cart.currency });
  const paid = await run.local.call('POST', `/_local/pay/${run.cartToken}`, [200], undefined, form);
  const paymentId = /Payment (\S+) was accepted/.exec(paid.text)?.[1];
  if (!paymentId) throw new StepFailed(`the local checkout did not accept the payment: ${paid.text.slice(0, 300)}`);
  await drain(run);
  type Message = { kind?: string; text?: string };
  const { body } = await run.associate.call<{ items: Message[] }>(
    'GET',
    `/conversations/${run.conversationId}/messages`,
    [200],
  );
  const note = body.items.find((m) => m.kind === 'note');
  if (!note) throw new StepFailed('no payment note in the conversation');
  return `${money(run, cart.total, cart.currency)} paid (${paymentId}); in the chat: "${note.text}"`;
}

/** The campaign report: contacts, replies, carts and revenue attributed to the campaign. */
export async function reportStep(run: Run): Promise<string> {
  type Totals = { customers: number; contacted: number; replied: number; cartsShared: number; ordersPaid: number };
  type Report = { totals: Totals & { revenue: { currency: string; amount: number }[] } };
  const report = await until('the attributed payment', run.timeoutMs, async () => {
    await drain(run);
    const { body } = await run.admin.call<Report>('GET', `/campaigns/${run.campaignId}/report`, [200]);
    return body.totals.ordersPaid > 0 ? body : undefined;
  });
  const t = report.totals;
  const revenue = t.revenue.map((r) => money(run, r.amount, r.currency)).join(' + ') || 'none';
  return `${t.customers} customers, ${t.contacted} contacted, ${t.replied} replied, ${t.cartsShared} cart shared, ${t.ordersPaid} paid, revenue ${revenue}`;
}

/** The campaign's CSV export, written in the background, read from its presigned URL. */
export async function exportStep(run: Run): Promise<string> {
  const path = `/campaigns/${run.campaignId}/exports`;
  const { body } = await run.admin.call<{ exportId: string }>('POST', path, [202]);
  const ready = await until('the export', run.timeoutMs, async () => {
    await drain(run);
    const { body: state } = await run.admin.call<{ status: string; url?: string }>(
      'GET',
      `${path}/${body.exportId}`,
      [200],
    );
    return state.status === 'PENDING' ? undefined : state;
  });
  if (ready.status !== 'READY' || !ready.url) throw new StepFailed(`export ${ready.status}`);
  const file = await fetch(ready.url);
  if (!file.ok) throw new StepFailed(`the export's URL answered ${file.status}`);
  const lines = (await file.text()).trimEnd().split(/\r?\n/);
  return `${body.exportId} READY: ${lines.length - 1} rows, columns ${lines[0]}`;
}

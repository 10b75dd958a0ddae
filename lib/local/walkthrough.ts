/**
 * The "first 15 minutes" walkthrough behind `npm run demo` (bin/demo.ts; README, "First 15
 * minutes"): the product's main path, run against a running local stack over its public HTTP API
 * and its documented local routes, as a new user would type it. Each step calls what a client
 * calls and reports one readable line; the first step that does not answer as documented stops
 * the walkthrough with what it got.
 *
 * The path: a store (a demo store with no quiet hours, created when missing) → two customers →
 * a campaign CSV uploaded to the local S3 through the presigned URL, and its import → the store's
 * outreach list → a conversation opened from it → the customer's `YES` (`POST /_local/sms`) → a
 * message and the customer's reply → a cart, shared → paid on the local checkout
 * (`POST /_local/pay/{token}`, ./payments.ts) → the campaign report → its CSV export.
 *
 * Tokens are minted as `npm run token` mints them, with the signing key in the data directory the
 * stack names at `GET /_local` (./tokens.ts).
 */
import { randomUUID } from 'node:crypto';
import { DEMO_STORES } from './demo-data';
import { loadOrCreateSigningKey, mintToken } from './tokens';
import { Caller, StepFailed } from './walkthrough-http';
import * as steps from './walkthrough-steps';

/** One step's outcome: its name and the line that tells what happened. */
export interface StepReport {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What a walkthrough made, for whoever wants to look at it afterwards (the e2e test does). */
export interface WalkthroughResult {
  readonly storeId: string;
  readonly campaignId: string;
  readonly conversationId: string;
  readonly customerIds: readonly string[];
}

export interface WalkthroughOptions {
  /** The stack's base URL, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** The store to use (created from the demo data when missing); default `chicago-michigan`. */
  readonly storeId?: string;
  /** Called once per step, as it ends. */
  readonly report: (step: StepReport) => void;
  /** How long to wait for the import, the payment's effects and the export. */
  readonly timeoutMs?: number;
}

/** The steps, in order: what the walkthrough reports (the e2e test checks every one of them). */
export const WALKTHROUGH_STEPS = [
  'store',
  'customers',
  'campaign CSV',
  'outreach list',
  'conversation',
  'customer YES',
  'message',
  'customer reply',
  'cart',
  'payment',
  'report',
  'export',
] as const;
type StepName = (typeof WALKTHROUGH_STEPS)[number];

const STEPS: Record<StepName, (run: steps.Run) => Promise<string>> = {
  store: steps.storeStep,
  customers: steps.customersStep,
  'campaign CSV': steps.campaignStep,
  'outreach list': steps.outreachStep,
  conversation: steps.conversationStep,
  'customer YES': steps.optInStep,
  message: steps.messageStep,
  'customer reply': steps.replyStep,
  cart: steps.cartStep,
  payment: steps.paymentStep,
  report: steps.reportStep,
  export: steps.exportStep,
};

/**
 * Tokens signed with the running stack's key, from the data directory it names at `GET /_local`.
 * Refuses a stack that sends through real Twilio (`TWILIO_ACCOUNT_SID` set, no local carrier):
 * the walkthrough texts made-up numbers.
 */
async function tokensOf(url: string, storeId: string) {
  const { body } = await new Caller(url).call<{ dataDir: string; carrierUrl?: string }>('GET', '/_local', [200]);
  if (!body.carrierUrl)
    throw new StepFailed('this stack sends SMS through real Twilio; the walkthrough runs only with the local carrier');
  const key = loadOrCreateSigningKey(body.dataDir);
  return {
    admin: mintToken(key, { role: 'clienteling-admin', userId: 'demo-admin' }),
    associate: mintToken(key, { role: 'associate', storeId, userId: 'demo-associate' }),
  };
}

/**
 * Runs every step in order, reporting each; stops at the first that fails (reported with
 * `ok: false`). Answers what it made, or undefined when a step failed.
 */
export async function runWalkthrough(options: WalkthroughOptions): Promise<WalkthroughResult | undefined> {
  const storeId = options.storeId ?? DEMO_STORES[0]!.storeId;
  let tokens: Awaited<ReturnType<typeof tokensOf>>;
  try {
    tokens = await tokensOf(options.url, storeId);
  } catch (error) {
    options.report({ step: 'tokens', ok: false, detail: (error as Error).message });
    return undefined;
  }
  const run: steps.Run = {
    local: new Caller(options.url),
    admin: new Caller(options.url, tokens.admin),
    associate: new Caller(options.url, tokens.associate),
    storeId,
    timeoutMs: options.timeoutMs ?? 60_000,
    tag: randomUUID().slice(0, 8),
    customers: [],
  };
  for (const step of WALKTHROUGH_STEPS) {
    try {
      options.report({ step, ok: true, detail: await STEPS[step](run) });
    } catch (error) {
      options.report({ step, ok: false, detail: (error as Error).message });
      return undefined;
    }
  }
  return {
    storeId,
    campaignId: run.campaignId!,
    conversationId: run.conversationId!,
    customerIds: run.customers.map((c) => c.customerId),
  };
}

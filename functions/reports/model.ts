/**
 * The reports capability's types: the shapes of the report answers (the schemas are the types and
 * the OpenAPI description), and what the counters and exports store.
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { Id } from '../shared/validation';
import { StoreId } from '../stores/schemas';

export const CampaignParams = /* @__PURE__ */ droppable(() => z.object({ campaignId: Id }));
export const ExportParams = /* @__PURE__ */ droppable(() => z.object({ campaignId: Id, exportId: z.uuid() }));
export const StoreParams = /* @__PURE__ */ droppable(() => z.object({ storeId: StoreId }));
const Day = /* @__PURE__ */ droppable(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')));
export const StoreReportQuery = /* @__PURE__ */ droppable(() => z.object({ from: Day, to: Day }));

export const Money = /* @__PURE__ */ droppable(() =>
  z.object({
    currency: z.string().check(z.length(3)),
    amount: z.int().register(z.globalRegistry, { description: 'Integer minor units' }),
  }),
);
const revenue = /* @__PURE__ */ droppable(() =>
  z.array(Money).register(z.globalRegistry, { description: 'Per currency, never added across currencies' }),
);

const campaignFigures = {
  customers: z.int().check(z.gte(0)),
  contacted: z.int().check(z.gte(0)),
  replied: z.int().check(z.gte(0)),
  cartsShared: z.int().check(z.gte(0)),
  ordersPaid: z.int().check(z.gte(0)),
  revenue,
};

export const CampaignReport = /* @__PURE__ */ droppable(() =>
  z
    .object({
      campaignId: z.string(),
      stores: z.array(z.object({ storeId: z.string(), ...campaignFigures })),
      totals: z.object(campaignFigures),
    })
    .register(z.globalRegistry, { id: 'CampaignReport' }),
);
export type CampaignReport = z.infer<typeof CampaignReport>;

export const AssociateFigures = /* @__PURE__ */ droppable(() =>
  z.object({
    userId: z.string(),
    conversationsStarted: z.int().check(z.gte(0)),
    messagesSent: z.int().check(z.gte(0)),
    repliesReceived: z.int().check(z.gte(0)),
    cartsShared: z.int().check(z.gte(0)),
    ordersPaid: z.int().check(z.gte(0)),
    revenue,
    medianFirstResponseSeconds: z.nullable(z.int().check(z.gte(0))).register(z.globalRegistry, {
      description:
        "Median wait from a customer's message to the next associate message (log-bucket sketch, within ±5%); null without samples",
    }),
  }),
);

export const StoreReport = /* @__PURE__ */ droppable(() =>
  z
    .object({ storeId: z.string(), from: z.string(), to: z.string(), associates: z.array(AssociateFigures) })
    .register(z.globalRegistry, { id: 'StoreReport' }),
);
export type StoreReport = z.infer<typeof StoreReport>;

export const ExportStarted = /* @__PURE__ */ droppable(() =>
  z.object({ exportId: z.string() }).register(z.globalRegistry, { id: 'ExportStarted' }),
);
export const ExportState = /* @__PURE__ */ droppable(() =>
  z
    .object({
      status: z.enum(['PENDING', 'READY', 'FAILED']),
      url: z.optional(
        z.string().register(z.globalRegistry, { format: 'uri', description: 'Presigned GET of the CSV, when READY' }),
      ),
    })
    .register(z.globalRegistry, { id: 'ExportState' }),
);

// ── stored state ─────────────────────────────────────────────────────────────────────────────

/** A conversation's report state: who started it, who wrote last, since when the customer waits. */
export interface ConversationState {
  version: number;
  startedBy?: string;
  lastOutboundBy?: string;
  awaitingSince?: string;
}

/** The last campaign whose list contacted the customer at a store, and when. */
export interface LastTouch {
  campaignId: string;
  at: string;
  userId: string;
}

export type ExportStatus = 'PENDING' | 'READY' | 'FAILED';
export interface ExportRecord {
  campaignId: string;
  exportId: string;
  status: ExportStatus;
  objectKey: string;
  createdAt: string;
  error?: string;
}

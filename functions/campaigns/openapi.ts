/** Campaigns and outreach lists as API consumers see them: answer shapes and the problems each route gives. */
import * as z from 'zod';
import { Instant, pageOf, type OperationDocs } from '../shared/openapi';
import { CAMPAIGN_STATUSES, REJECTION_REASONS } from './rules';

const Counts = z.object({
  rows: z.int().min(0).meta({ description: 'Data rows read: accepted + rejected + duplicates' }),
  accepted: z.int().min(0),
  rejected: z.int().min(0),
  duplicates: z.int().min(0).meta({ description: 'Repeats of an (email, store) pair' }),
});

const summaryFields = {
  campaignId: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  enabled: z.boolean().meta({ description: 'Stores see the lists of enabled campaigns only' }),
  createdAt: Instant,
  counts: Counts,
  error: z.string().optional().meta({ description: 'Why the import FAILED' }),
};

export const CampaignSummary = z.object(summaryFields).meta({ id: 'CampaignSummary' });

const ImportProgress = z
  .object({
    rowsRead: z.int().min(0).meta({ description: 'Data rows the import has read from the file (recorded every 5 s)' }),
    rowsWritten: z
      .int()
      .min(0)
      .meta({ description: 'Data rows written to the outreach lists or rejected so far (current at each read)' }),
  })
  .meta({ description: 'Only while PROCESSING: how far the import has got; both 0 until the file arrives' });

export const CampaignDetails = z
  .object({
    ...summaryFields,
    uploadedAt: Instant.nullable().meta({
      description: 'When the import started on the uploaded file; null until the file arrives',
    }),
    progress: ImportProgress.optional(),
    finishedAt: Instant.optional(),
    stores: z.array(
      z.object({
        storeId: z.string(),
        customers: z.int().min(0),
        contacted: z.int().min(0),
        knownStore: z
          .boolean()
          .meta({ description: 'False when no store with this id is registered (a typo in the file shows here)' }),
      }),
    ),
  })
  .meta({ id: 'CampaignDetails' });

export const NewCampaignUpload = z
  .object({
    campaignId: z.string(),
    upload: z
      .object({
        url: z.string().meta({ format: 'uri' }),
        method: z.literal('PUT'),
        headers: z.record(z.string(), z.string()),
        expiresAt: Instant,
      })
      .meta({
        description: 'PUT the CSV (`customer email,store id`) here with these headers; the upload starts the import',
      }),
  })
  .meta({ id: 'NewCampaignUpload' });

export const Rejection = z
  .object({
    line: z.int().min(2).meta({ description: 'Physical line of the file; the header is line 1' }),
    email: z.string(),
    storeId: z.string(),
    reason: z.enum(REJECTION_REASONS),
  })
  .meta({ id: 'Rejection' });

export const StoreOutreachList = z
  .object({ campaignId: z.string(), name: z.string(), customers: z.int().min(0), contacted: z.int().min(0) })
  .meta({ id: 'StoreOutreachList' });

export const OutreachEntry = z
  .object({
    customerId: z.string(),
    email: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    contacted: z.boolean(),
  })
  .meta({ id: 'OutreachEntry' });

const campaignGone = 'No such campaign (or it was deleted)';
const notReady = 'The campaign is still PROCESSING, or it FAILED';

export const operations: OperationDocs = {
  'POST /campaigns': {
    tag: 'Campaigns',
    summary: 'Create a campaign and its upload URL',
    description: 'The campaign starts PROCESSING and disabled; uploading the CSV to the presigned URL runs the import.',
    example: { name: 'Spring preview' },
    answers: { 201: { description: 'The campaign id and where to upload its CSV', schema: NewCampaignUpload } },
  },
  'GET /campaigns': {
    tag: 'Campaigns',
    summary: 'List campaigns, newest first',
    answers: { 200: { description: 'A page of campaigns', schema: pageOf(CampaignSummary) } },
  },
  'GET /campaigns/{campaignId}': {
    tag: 'Campaigns',
    summary: 'Read a campaign with its counts and stores',
    answers: { 200: { description: 'The campaign', schema: CampaignDetails } },
    problems: { 404: campaignGone },
  },
  'GET /campaigns/{campaignId}/rejections': {
    tag: 'Campaigns',
    summary: "List a campaign's rejected rows",
    answers: { 200: { description: 'A page of rejected rows, by line', schema: pageOf(Rejection) } },
    problems: { 404: campaignGone },
  },
  'POST /campaigns/{campaignId}/enable': {
    tag: 'Campaigns',
    summary: 'Enable a campaign',
    description: 'Its stores see their outreach lists from now on.',
    answers: { 200: { description: 'The campaign', schema: CampaignSummary } },
    problems: { 404: campaignGone, 409: notReady },
  },
  'POST /campaigns/{campaignId}/disable': {
    tag: 'Campaigns',
    summary: 'Disable a campaign',
    description: 'Its outreach lists disappear from the stores; nothing is deleted.',
    answers: { 200: { description: 'The campaign', schema: CampaignSummary } },
    problems: { 404: campaignGone, 409: notReady },
  },
  'DELETE /campaigns/{campaignId}': {
    tag: 'Campaigns',
    summary: 'Delete a campaign',
    description: 'Gone from every read at once; its outreach lists disappear.',
    answers: { 204: { description: 'Deleted' } },
    problems: { 404: campaignGone },
  },
  'GET /stores/{storeId}/outreach-lists': {
    tag: 'Outreach lists',
    summary: "List a store's outreach lists",
    description: 'The lists of enabled campaigns, newest campaign first.',
    answers: { 200: { description: 'All lists (nextCursor is always null)', schema: pageOf(StoreOutreachList) } },
    problems: { 403: "Another store's user" },
  },
  'GET /stores/{storeId}/outreach-lists/{campaignId}': {
    tag: 'Outreach lists',
    summary: "Read one outreach list's customers",
    answers: { 200: { description: 'A page of customers on the list', schema: pageOf(OutreachEntry) } },
    problems: { 403: "Another store's user", 404: 'The campaign is not enabled, or the store has no list in it' },
  },
};

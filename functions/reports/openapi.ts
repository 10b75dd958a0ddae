/** Reports and exports as API consumers see them: answer shapes and the problems each route gives. */
import type { OperationDocs } from '../shared/openapi';
import { CampaignReport, ExportStarted, ExportState, StoreReport } from './model';

const campaignGone = 'No such campaign (or it was deleted)';

export const operations: OperationDocs = {
  'GET /campaigns/{campaignId}/report': {
    tag: 'Reports',
    summary: "Read a campaign's results per store",
    description:
      'Customers, contacted and replied from the outreach lists; carts shared, orders paid and revenue attributed by last touch (the last campaign whose list contacted the customer at the store in the 30 days before). Revenue is per currency.',
    answers: { 200: { description: 'The report', schema: CampaignReport } },
    problems: { 404: campaignGone },
  },
  'POST /campaigns/{campaignId}/exports': {
    tag: 'Reports',
    summary: "Start a CSV export of a campaign's lists",
    description:
      'Columns: customer email, store id, contacted, contacted by, contacted at, replied, orders paid, revenue (major units of the currency: 129.00), currency. Cells starting with = + - @ are prefixed with a quote.',
    answers: { 202: { description: 'The export was started; poll it by id', schema: ExportStarted } },
    problems: { 404: campaignGone },
  },
  'GET /campaigns/{campaignId}/exports/{exportId}': {
    tag: 'Reports',
    summary: 'Read the state of an export',
    answers: { 200: { description: 'PENDING, FAILED, or READY with a presigned download URL', schema: ExportState } },
    problems: { 404: 'No such export of this campaign' },
  },
  'GET /stores/{storeId}/report': {
    tag: 'Reports',
    summary: "Read a store's results per associate",
    description: 'Days are UTC calendar days, `from` and `to` included, at most 366. Revenue is per currency.',
    answers: { 200: { description: 'The report', schema: StoreReport } },
    problems: { 403: "Another store's user, or not its manager" },
  },
};

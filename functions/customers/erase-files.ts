/**
 * An erased customer's rows out of the campaign files in the uploads bucket (docs/rules.md,
 * "Compliance"): the uploaded CSV the import read and each export of the campaign are written
 * again without the rows that carry the email, everything else as it was. A campaign is named
 * by the customer's entries and rejections (no bucket listing), and exports are made from
 * entries, so only a campaign with an entry has its exports read. Logged by id and key only.
 */
import type { CampaignHolding } from '../campaigns/repository';
import { loadConfig } from '../shared/config';
import { firstCell } from '../shared/csv-records';
import { rewriteCsvWithout } from '../shared/csv-rewrite';
import { logger } from '../shared/logger';
import { exportsOfCampaign } from '../reports/repository/exports';
import { cellHoldsEmail } from '../stores/rules';

export interface FilesErased {
  /** Objects written again without the customer's rows. */
  files: number;
  /** Rows taken out of them. */
  rows: number;
  /** Older versions holding the customer, deleted. */
  versions: number;
}

export const noFilesErased = (): FilesErased => ({ files: 0, rows: 0, versions: 0 });

/** Rewrites the campaign's files without the email's rows; adds what it did to `total`. */
export async function eraseFromCampaignFiles(
  holding: CampaignHolding,
  customer: { customerId: string; email?: string },
  at: Date,
  total: FilesErased,
): Promise<void> {
  const { email, customerId } = customer;
  // Campaign files and exports hold a customer by email only.
  if (!email) return;
  const bucket = loadConfig('uploads').uploads;
  const exports = holding.entries > 0 ? await exportsOfCampaign(holding.campaignId) : [];
  for (const key of [holding.sourceKey, ...exports.map((e) => e.objectKey)]) {
    const result = await rewriteCsvWithout(bucket, key, (record) => cellHoldsEmail(firstCell(record), email), at);
    logger.info('erasure: campaign file', { customerId, campaignId: holding.campaignId, key, ...result });
    if (result.outcome === 'rewritten') total.files++;
    total.rows += result.removed;
    total.versions += result.versionsDeleted;
  }
}

/** The campaigns capability's types: a campaign, its outreach lists and their entries, rejected rows. */
import type { CampaignStatus, RejectionReason } from './rules';

export interface Campaign {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  enabled: boolean;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  deleted: boolean;
  /** Chunks the import queued; unknown until the import has read the whole file. */
  chunksTotal?: number;
  chunksDone: number;
  /** Data rows the writers accounted for so far. */
  rows: number;
  rejected: number;
  /** Rows with a known customer: each is either accepted or a duplicate. */
  candidates: number;
  accepted?: number;
  duplicates?: number;
  /** Stores named by at least one candidate row. */
  storeIds: string[];
  /** The S3 object the import read (its ETag), so another upload to the same key cannot mix in. */
  sourceTag?: string;
  /** The last time an import step (claim, rows read, chunk, chunk total) was recorded. */
  progressAt?: string;
  /** When the import started on the uploaded file; absent until the file arrives. */
  uploadedAt?: string;
  /** Data rows the import has read from the file so far (recorded every few seconds). */
  rowsRead: number;
  /** Chunks that used up their receives and wait in the dead-letter queue, with the lines they hold. */
  deadLettered: string[];
}

export interface OutreachList {
  campaignId: string;
  storeId: string;
  name: string;
  createdAt: string;
  customers: number;
  contacted: number;
}

export interface OutreachEntry {
  customerId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  contacted: boolean;
}

/** An entry as a chunk writer stores it. */
export interface NewOutreachEntry {
  campaignId: string;
  storeId: string;
  customerId: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

/** What reports need of one entry: contact, reply and the orders attributed to it. */
export interface EntryActivity {
  campaignId: string;
  customerId: string;
  email: string;
  contacted: boolean;
  contactedBy?: string;
  contactedAt?: string;
  repliedAt?: string;
  ordersPaid: number;
  revenue: number;
  currency?: string;
}

export interface Rejection {
  line: number;
  email: string;
  storeId: string;
  reason: RejectionReason;
}

/** The chunk counters summed over their shards. */
export interface ImportTotals {
  chunksDone: number;
  rows: number;
  rejected: number;
  candidates: number;
  storeIds: string[];
}

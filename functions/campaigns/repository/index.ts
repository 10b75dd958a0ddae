/** The campaigns capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { createCampaign, getCampaign, getCampaigns, listCampaigns, requireCampaign, setEnabled } from './campaigns';
export {
  claimSource,
  completeChunk,
  failCampaign,
  finishCampaign,
  importTotals,
  isChunkDone,
  markChunkDeadLettered,
  PROGRESS_EVERY_MS,
  recordChunksTotal,
  recordRowsRead,
  stalledImports,
  touchProgress,
} from './imports';
export {
  countListEntries,
  getList,
  listCountsOfCampaign,
  listsOfCampaign,
  listsOfStore,
  putLists,
  repliedByStore,
} from './lists';
export {
  entriesOfCustomer,
  entriesOfList,
  entryOrderUpdate,
  listOutreachEntries,
  markEntryContacted,
  markEntryReplied,
  putOutreachEntries,
} from './entries';
export { listRejections, putRejections } from './rejections';
export { markDeleted, purgeCampaign } from './deletion';
export { eraseFromCampaigns, type CampaignHolding } from './erasure';
export { addToOpenOutreach, getOpenOutreach } from './open-outreach';

/** The conversations capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { derivedMessageId, newMessageId } from './keys';
export {
  archiveInactive,
  customerConversations,
  refreshCustomerSummary,
  getConversation,
  joinConversation,
  listStoreInbox,
  markRead,
  memberConversations,
  openConversation,
  readMarkers,
  storeUnreadTotal,
} from './conversations';
export {
  cancelScheduled,
  claimSend,
  clearDue,
  dueMessages,
  findMessageBySid,
  getMessage,
  listMessages,
  recordHandedOver,
  recordInboundAccepted,
  recordMessage,
  updateDeliveryStatus,
  type DueMessage,
  type MessageRef,
} from './messages';
export { changeOptIn } from './opt-in';
export { eraseConversation, replaceLedgerWithSuppression } from './erasure';
export { listConsent, optInHistory, releaseOptInRequest, reserveOptInRequest } from './consent';

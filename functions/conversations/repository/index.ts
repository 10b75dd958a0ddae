/** The conversations capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { derivedMessageId, newMessageId } from './keys';
export {
  conversationIdFor,
  conversationTagsUpdate,
  customerConversations,
  refreshCustomerSummary,
  getConversation,
  listStoreInbox,
  openConversation,
} from './conversations';
export { markRead, readMarkers, storeUnreadTotal } from './readers';
export { listMyInbox, listUnassigned, setAssignee } from './assignment';
export { archiveIfInactive, archiveInactive, bringReadersAlong } from './archive';
export { findMessageBySid, getMessage, listMessages, recordInboundAccepted, recordMessage } from './messages';
export { updateDeliveryStatus } from './delivery';
export {
  bookSlot,
  claimSend,
  deferOutbox,
  leaveOutbox,
  outboundState,
  recordHandedOver,
  recordRetrying,
  recordSendFailed,
  releaseExpiredClaim,
  releaseScheduled,
  type ClaimedMessage,
  type OutboundState,
} from './sending';
export { cancelScheduled, workDueMessages } from './scheduled';
export { markMediaItem } from './media';
export { changeOptIn, closeWindow, forgetHeld, noteHeld } from './opt-in';
export { eraseConversation, replaceLedgerWithSuppression } from './erasure';
export { listConsent, optInHistory, releaseOptInRequest, reserveOptInRequest } from './consent';
export {
  allWhatsAppTemplates,
  getWhatsAppTemplate,
  listWhatsAppTemplates,
  putWhatsAppTemplate,
  recordWhatsAppTemplateStatus,
} from './whatsapp-templates';

/** The conversations capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { derivedMessageId, newMessageId } from './keys';
export {
  archiveInactive,
  getConversation,
  joinConversation,
  listStoreInbox,
  markRead,
  memberConversations,
  moveBucket,
  openConversation,
  readMarkers,
  storeUnreadTotal,
} from './conversations';
export {
  claimSend,
  findIdempotentSend,
  findMessageBySid,
  getMessage,
  listMessages,
  recordHandedOver,
  recordInboundAccepted,
  recordMessage,
  updateDeliveryStatus,
  type IdempotencyClaim,
  type MessageRef,
  type OptInChange,
  type RecordOutcome,
} from './messages';
export { changeOptIn, optInHistory } from './opt-in';

/** The conversations capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { derivedMessageId, newMessageId } from './keys';
export {
  archiveInactive,
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
  claimSend,
  findMessageBySid,
  getMessage,
  listMessages,
  recordHandedOver,
  recordInboundAccepted,
  recordMessage,
  updateDeliveryStatus,
  type MessageRef,
} from './messages';
export { changeOptIn, optInHistory } from './opt-in';

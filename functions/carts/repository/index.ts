/** The remote carts capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { tokenHash } from './keys';
export { deleteCart, getCart, saveCart } from './carts';
export { createLink, deleteLink, getLink, recordShare } from './links';
export { getPayment, recordPaymentStep, removePaidCart, settlePayment } from './payments';
export { cartsExpiringBetween, deleteExpiredCarts, deleteZoneCartsDueAt, eraseConversationCarts } from './expiry';
export { cancelReminder, dropReminder, putReminder, workDueReminders } from './reminders';

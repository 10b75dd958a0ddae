/**
 * The environment variable each binding sets. The manifest's `uses` block sets the variable
 * and the grant together (lib/functions.ts), and functions read them through config.ts, so
 * the name is written once.
 */
export const ENV = {
  table: 'TABLE_NAME',
  uploads: 'UPLOADS_BUCKET',
  images: 'IMAGES_BUCKET',
  importQueue: 'IMPORT_QUEUE_URL',
  inboundQueue: 'INBOUND_QUEUE_URL',
  senderQueue: 'SENDER_QUEUE_URL',
  bulkSenderQueue: 'BULK_SENDER_QUEUE_URL',
  mediaQueue: 'MEDIA_QUEUE_URL',
  attributionQueue: 'ATTRIBUTION_QUEUE_URL',
  erasureQueue: 'ERASURE_QUEUE_URL',
  twilioSecret: 'TWILIO_SECRET_ARN',
  paymentSecret: 'PAYMENT_SECRET_ARN',
  suppressionSecret: 'SUPPRESSION_SECRET_ARN',
  cursorSecret: 'CURSOR_SECRET_ARN',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  paymentCheckoutUrl: 'PAYMENT_CHECKOUT_URL',
  zoneScheduleGroup: 'ZONE_SCHEDULE_GROUP',
  zoneScheduleTarget: 'ZONE_SCHEDULE_TARGET_ARN',
  zoneScheduleRole: 'ZONE_SCHEDULE_ROLE_ARN',
  eventBus: 'EVENT_BUS_NAME',
  webSocketCallbackUrl: 'WEBSOCKET_CALLBACK_URL',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
} as const;

/** Remote carts, the cart page and the payment webhook as API consumers see them: answer shapes and the problems each route gives. */
import * as z from 'zod';
import { ETAG_HEADER, IF_MATCH_HEADER, Instant, type OperationDoc, type OperationDocs } from '../shared/openapi';
import { DeliveryInput, FULFILLMENTS, ImageUrl, PaymentNotification, ShareInput } from './model';

export const Cart = z
  .object({
    conversationId: z.string(),
    storeId: z.string(),
    customerId: z.string(),
    currency: z.string().meta({ description: "ISO 4217, the store's currency" }),
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        unitPrice: z.int().meta({ description: 'Integer minor units' }),
        quantity: z.int().min(1),
        fulfillment: z.enum(FULFILLMENTS),
        imageUrl: z.optional(ImageUrl),
        lineTotal: z.int(),
      }),
    ),
    subtotal: z.int(),
    total: z.int().meta({ description: 'What the customer pays, in minor units' }),
    delivery: z.optional(DeliveryInput),
    version: z
      .int()
      .min(1)
      .meta({ description: 'Also in the ETag header; send it as If-Match to edit only this version' }),
    sharedUrl: z.string().optional().meta({ format: 'uri', description: 'The link last shared with the customer' }),
    expiresAt: Instant.meta({ description: "The next midnight in the store's time zone: the cart is cleared then" }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Cart' });

export const CartShare = z
  .object({
    url: z.string().meta({ format: 'uri', description: 'Absolute; its path is /c/{token}' }),
    expiresAt: Instant.meta({ description: "Midnight in the store's time zone" }),
    reminderAt: Instant.optional().meta({
      description:
        "When the share's one reminder goes out (`store.cartReminderHours` before midnight), if the cart is still unpaid and the customer still opted in; absent when none will: `remind: false`, reminders off at the store, that time already past or in the store's quiet hours",
    }),
  })
  .meta({ id: 'CartShare' });

export const PaymentOutcome = z
  .object({
    status: z
      .enum(['paid', 'already-processed'])
      .meta({ description: '`already-processed`: this paymentId was settled before; nothing changed' }),
    paymentId: z.string(),
  })
  .meta({ id: 'PaymentOutcome' });

const cartAnswer = { description: 'The cart', schema: Cart, headers: { ETag: ETAG_HEADER } };
const noCart = 'The conversation is not in your store, or has no open cart';
const stale = 'If-Match names a version that is no longer current';

const cartWrite = (doc: Omit<OperationDoc, 'tag' | 'headers'>): OperationDoc => ({
  tag: 'Carts',
  headers: { 'If-Match': IF_MATCH_HEADER },
  ...doc,
});

export const operations: OperationDocs = {
  'GET /conversations/{conversationId}/cart': {
    tag: 'Carts',
    summary: "Read the conversation's open cart",
    answers: { 200: cartAnswer },
    problems: { 404: noCart },
  },
  'PUT /conversations/{conversationId}/cart/items/{sku}': cartWrite({
    summary: 'Add or replace an item',
    description:
      'Starts the cart when there is none. Totals are computed by the server. `imageUrl` (optional, https only) is shown beside the line on the cart page; a line put without it has no image.',
    example: {
      name: 'Oxford shirt',
      unitPrice: 4500,
      quantity: 2,
      fulfillment: 'IN_STORE',
      imageUrl: 'https://cdn.example.com/products/oxford-shirt.jpg',
    },
    answers: { 200: cartAnswer },
    problems: {
      400: 'A field is invalid, named in `errors`: e.g. an `imageUrl` that is not an absolute https URL, carries credentials or is over 2,000 characters',
      404: 'The conversation is not in your store',
      409: stale,
      422: 'The cart already holds 100 different items',
    },
  }),
  'DELETE /conversations/{conversationId}/cart/items/{sku}': cartWrite({
    summary: 'Remove an item',
    answers: { 200: cartAnswer },
    problems: { 404: `${noCart}, or no such item`, 409: stale },
  }),
  'PUT /conversations/{conversationId}/cart/delivery': cartWrite({
    summary: 'Set the delivery address and shipping option',
    description: 'Required before sharing a cart with SHIP items. The address is free text or structured lines.',
    example: { address: '350 Fifth Ave\nNew York, NY 10118', shippingOption: 'Standard' },
    answers: { 200: cartAnswer },
    problems: { 404: noCart, 409: stale },
  }),
  'POST /conversations/{conversationId}/cart/share': cartWrite({
    summary: 'Send the cart link to the customer',
    description:
      "Texts a link unique to the customer, valid until midnight in the store's time zone; the link always shows the live cart. It goes on `channel` (default SMS); on WhatsApp outside the customer's 24-hour window it goes as the APPROVED `CART` template (ContentSid, its variables `url`, `total`, `storeName`, `firstName`, `lastName` filled). Unless `remind` is false, one reminder with the link goes out, on the same channel, `store.cartReminderHours` before midnight (an outbound message of the conversation by the sharer, through the sender queue) if the cart is still unpaid and the customer still opted in; a reminder that would fall in quiet hours is skipped, not held; a payment or a new share cancels it.",
    body: {
      schema: ShareInput,
      contentType: 'application/json',
      required: false,
      description: 'Optional: without a body the link goes by SMS with its reminder',
    },
    example: { remind: true },
    answers: {
      200: {
        description: 'The link',
        schema: CartShare,
        // Shared at 11:00 New York time: valid until midnight there, its reminder 3 hours before.
        example: {
          url: 'https://api.example.com/c/q3Vx7Kp0mWn2Lr8Ts5Yd1Gh4Jb6Fc9Ae0Zu3Io7Ny2',
          expiresAt: '2026-03-15T04:00:00.000Z',
          reminderAt: '2026-03-15T01:00:00.000Z',
        },
      },
    },
    problems: {
      404: noCart,
      409: stale,
      422: "The cart is empty, needs a delivery for SHIP items, or the customer cannot be texted on that channel; on WhatsApp outside the window without an APPROVED `CART` template, `no-approved-template`; `quiet-hours` (with `quietHoursEnd`, ISO) during the store's quiet hours to a customer who has not written in the last 24 hours: a link held until morning would arrive after its midnight",
    },
  }),
  'DELETE /conversations/{conversationId}/cart': cartWrite({
    summary: 'Delete the open cart',
    answers: { 204: { description: 'Deleted; its link stops working' } },
    problems: { 404: noCart, 409: `${stale}, or the customer has just paid` },
  }),
  'GET /c/{token}': {
    tag: 'Cart page',
    summary: "The customer's cart page",
    description:
      'Public: the unguessable token from the shared link is the only credential. Shows items (with their https images), prices, total and the pay button.',
    answers: { 200: { description: 'The cart page', contentType: 'text/html' } },
    problems: {
      404: { description: 'Unknown link (an HTML page)', contentType: 'text/html' },
      410: {
        description: 'The link expired at midnight or the cart was paid (an HTML page)',
        contentType: 'text/html',
      },
    },
  },
  'POST /webhooks/payments': {
    tag: 'Webhooks',
    summary: 'Payment notifications from the payment provider',
    description:
      'Settles the cart behind the link once: the chat gets a note, the customer a receipt SMS, and the cart is removed. The same paymentId again changes nothing. ' +
      "A notification that arrives after the link's midnight is settled when its `paidAt` (when the customer paid, signed with the rest of the body) is before the expiry and it arrives within 2 hours of it; otherwise it is a 409 whose detail gives the times.",
    signedBy: 'paymentSignature',
    body: { schema: PaymentNotification, contentType: 'application/json' },
    example: {
      token: 'Jx3v0Qb1mC9kq2cYtW8uV4rS6pN5oL7aE3dF1gH2iJ0',
      amount: 28900,
      currency: 'USD',
      paymentId: 'pay_8f2c1d',
      paidAt: '2026-03-14T23:58:12Z',
    },
    answers: { 200: { description: 'Settled, or already settled before', schema: PaymentOutcome } },
    problems: {
      400: 'The body is not a payment notification',
      401: 'X-Signature is missing or is not the HMAC-SHA256 of the body',
      404: 'No cart link has this token',
      409: "The amount or currency is not the cart's current total, the cart was already paid, or the link expired before the payment (`paidAt` at or after the expiry, no `paidAt` after it, or more than 2 hours after it)",
    },
  },
};

/**
 * The HTTP API's types, generated from docs/openapi.json by `npm run openapi` (openapi-typescript). Do not edit.
 */

export interface paths {
    "/c/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The customer's cart page
         * @description Public: the unguessable token from the shared link is the only credential. Shows items (with their https images), prices, total and the pay button.
         */
        get: operations["viewCartPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List campaigns, newest first
         * @description Roles: `clienteling-admin`.
         */
        get: operations["listCampaigns"];
        put?: never;
        /**
         * Create a campaign and its upload URL
         * @description The campaign starts PROCESSING and disabled; uploading the CSV to the presigned URL runs the import.
         *
         *     Roles: `clienteling-admin`.
         */
        post: operations["createCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a campaign with its counts and stores
         * @description Roles: `clienteling-admin`.
         */
        get: operations["getCampaign"];
        put?: never;
        post?: never;
        /**
         * Delete a campaign
         * @description Gone from every read at once; its outreach lists disappear.
         *
         *     Roles: `clienteling-admin`.
         */
        delete: operations["deleteCampaign"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a campaign
         * @description Its outreach lists disappear from the stores; nothing is deleted.
         *
         *     Roles: `clienteling-admin`.
         */
        post: operations["disableCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a campaign
         * @description Its stores see their outreach lists from now on.
         *
         *     Roles: `clienteling-admin`.
         */
        post: operations["enableCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a CSV export of a campaign's lists
         * @description Columns: customer email, store id, contacted, contacted by, contacted at, replied, orders paid, revenue (major units of the currency: 129.00), currency. Cells starting with = + - @ are prefixed with a quote.
         *
         *     Roles: `clienteling-admin`.
         */
        post: operations["startCampaignExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}/exports/{exportId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the state of an export
         * @description Roles: `clienteling-admin`.
         */
        get: operations["getCampaignExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}/rejections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a campaign's rejected rows
         * @description Roles: `clienteling-admin`.
         */
        get: operations["listCampaignRejections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{campaignId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a campaign's results per store
         * @description Customers, contacted and replied from the outreach lists; carts shared, orders paid and revenue attributed by last touch (the last campaign whose list contacted the customer at the store in the 30 days before). Revenue is per currency.
         *
         *     Roles: `clienteling-admin`.
         */
        get: operations["getCampaignReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open the store's conversation with a customer
         * @description One conversation per (store, customer). Marks the customer contacted on the store's outreach lists and puts the conversation in the caller's My Inbox.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["openConversation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a conversation
         * @description Roles: `associate`, `manager`.
         */
        get: operations["getConversation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/assignee": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Assign or unassign a conversation
         * @description A manager assigns anyone of the store (`GET /stores/{storeId}/staff`) or unassigns (`userId: null`); an associate takes an unassigned conversation for themselves or hands one of their own to a colleague. The first associate who sends in an unassigned conversation, or opens it from an outreach list, becomes its assignee. Each change is a `conversation.assigned` event.
         *
         *     Roles: `associate`, `manager`.
         */
        put: operations["setAssignee"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/cart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the conversation's open cart
         * @description Roles: `associate`, `manager`.
         */
        get: operations["getCart"];
        put?: never;
        post?: never;
        /**
         * Delete the open cart
         * @description Roles: `associate`, `manager`.
         */
        delete: operations["clearCart"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/cart/delivery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the delivery address and shipping option
         * @description Required before sharing a cart with SHIP items. The address is free text or structured lines.
         *
         *     Roles: `associate`, `manager`.
         */
        put: operations["setCartDelivery"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/cart/items/{sku}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Add or replace an item
         * @description Starts the cart when there is none. Totals are computed by the server. `imageUrl` (optional, https only) is shown beside the line on the cart page; a line put without it has no image.
         *
         *     Roles: `associate`, `manager`.
         */
        put: operations["putCartItem"];
        post?: never;
        /**
         * Remove an item
         * @description Roles: `associate`, `manager`.
         */
        delete: operations["removeCartItem"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/cart/share": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the cart link to the customer
         * @description Texts a link unique to the customer, valid until midnight in the store's time zone; the link always shows the live cart. It goes on `channel` (default SMS); on WhatsApp outside the customer's 24-hour window it goes as the APPROVED `CART` template (ContentSid, its variables `url`, `total`, `storeName`, `firstName`, `lastName` filled). Unless `remind` is false, one reminder with the link goes out, on the same channel, `store.cartReminderHours` before midnight (an outbound message of the conversation by the sharer, through the sender queue) if the cart is still unpaid and the customer still opted in; a reminder that would fall in quiet hours is skipped, not held; a payment or a new share cancels it.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["shareCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a conversation's messages, newest first
         * @description Roles: `associate`, `manager`.
         */
        get: operations["listMessages"];
        put?: never;
        /**
         * Send a text, a template or an image
         * @description Send exactly one of `{text}`, `{templateId, variables?}`, `{mediaKey, text?}` (an image: upload it first with POST /media/uploads) or, on `channel: "whatsapp"`, `{contentTemplateId, variables?}` (an APPROVED WhatsApp template, sent as ContentSid: 422 `template-not-approved` otherwise, 422 `marketing-to-us` for a MARKETING template to a US number). On WhatsApp, free text and media go only inside the 24-hour window (422 `window-closed` otherwise, unless `reconnectTemplateId` names an APPROVED RECONNECT template: it goes now and the text is `held` (202) until the customer answers, `failed` `WINDOW_NOT_REOPENED` after 24 h; a retry with the same Idempotency-Key answers the held text again and sends no second template); consent is per channel. Images: SMS (MMS) carries JPEG, PNG and GIF from US, CA and AU stores; WhatsApp JPEG, PNG and WebP from any store (422 `media-type` for another type). The message is recorded `queued` and handed to the sender queue; the request never waits for Twilio. Twilio's answer arrives on the message (`sent`, `delivered`, or `failed` with `errorCode`: Twilio's code such as 21211, 21408, 21610, 21612, 21614, the last code after 15 minutes of throttling or outage, or UNKNOWN_OUTCOME) and as a `message.status` event. A refusal is never an error of this request.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/messages/{messageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancel a scheduled message
         * @description A message held by quiet hours or scheduled with `sendAt` is canceled while it is still `scheduled`.
         *
         *     Roles: `associate`, `manager`.
         */
        delete: operations["cancelScheduledMessage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/opt-in-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the opt-in request
         * @description The only message allowed before the customer opts in on that channel. `{channel: "sms"}` (the default, also with no body): the opt-in text; `{channel: "whatsapp"}`: the approved `OPT_IN` WhatsApp template, sent as its Content SID.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["requestOptIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a conversation read for the caller
         * @description Roles: `associate`, `manager`.
         */
        post: operations["markConversationRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search customers
         * @description By email, phone or name prefix: at least 3 characters (a phone with `+` at least 5, in digits at least 4), at most 100. Admins search every customer. Store users search the customers linked to their store (a conversation or an outreach entry there), and find anyone by an exact email or full E.164 phone (a walk-in, first on the first page); a page may then hold fewer than `limit` items, even none, and still have a `nextCursor`. At most 60 searches a minute per user.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["searchCustomers"];
        put?: never;
        /**
         * Create a customer
         * @description Roles: `clienteling-admin`.
         */
        post: operations["createCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/customers/{customerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a customer
         * @description Store users read the customers linked to their store (a conversation or an outreach entry there), with their store's `tags`; any other is a 404, as if it did not exist.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        /**
         * Erase a customer
         * @description Erases, in the background, every item and object holding the customer's personal data (conversations, messages and images, carts and links, outreach entries, rejections). An opted-out number stays opted out through a suppression record keyed by a keyed hash of the phone.
         *
         *     Roles: `clienteling-admin`.
         */
        delete: operations["eraseCustomer"];
        options?: never;
        head?: never;
        /**
         * Change a customer
         * @description Look-ups and search entries follow the change; the store conversations show the new name and phone.
         *
         *     Roles: `clienteling-admin`.
         */
        patch: operations["updateCustomer"];
        trace?: never;
    };
    "/customers/{customerId}/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The customer's consent ledger, oldest first
         * @description Every change of opt-in state at every store; store users see their store's entries. Entries are never changed.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["listCustomerConsent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/customers/{customerId}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's store's notes about a customer, newest first
         * @description Store users only; another store never sees them.
         *
         *     Roles: `associate`, `manager`.
         */
        get: operations["listCustomerNotes"];
        put?: never;
        /**
         * Write a note about a customer
         * @description Store users, about customers linked to their store. Kept for the caller's store only; text at most 2,000 characters.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["createCustomerNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/customers/{customerId}/notes/{noteId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a note
         * @description By its author or a manager of the store; another store's note is a 404, as if it did not exist.
         *
         *     Roles: `associate`, `manager`.
         */
        delete: operations["deleteCustomerNote"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/customers/{customerId}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the caller's store's tags for a customer
         * @description The whole set (an empty list clears it): each tag trimmed, 1 to 40 characters on one line; duplicates that differ only in case are dropped; at most 20 after that. Shown as `tags` on `GET /customers/{customerId}` to the store's users, and filter the store's inbox (`GET /inbox?tag=`). Another store never sees them.
         *
         *     Roles: `associate`, `manager`.
         */
        put: operations["setCustomerTags"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/customers/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create up to 500 customers
         * @description Each entry is checked on its own: a bad entry is listed in `errors` and does not stop the others.
         *
         *     Roles: `clienteling-admin`.
         */
        post: operations["createCustomers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My Inbox or the Store Inbox
         * @description Newest activity first, with `unread` per conversation and `unreadTotal`. `scope=mine`: the conversations assigned to the caller; `scope=store`: every conversation of the store; `scope=unassigned`: the store's unassigned conversations whose customer waits for an answer (their first message since the store's last reply), the longest waiting first. `tag`: only those whose customer has that tag at the store (ignoring case); the filter applies to the page read, so a filtered page may hold fewer items than `limit`, even none, and still have a `nextCursor`. A page costs the same whatever the caller's history, filtered or not.
         *
         *     Roles: `associate`, `manager`.
         */
        get: operations["listInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get an upload URL for an image
         * @description JPEG, PNG, GIF or WebP, at most 5 MB (SMS carries JPEG, PNG and GIF; WhatsApp JPEG, PNG and WebP). PUT the image to the URL, then send its `mediaKey`. `channel` (default `sms`) is the channel the image will go on: MMS carries images only from stores in the US, Canada and Australia, so an SMS upload elsewhere is refused here, before any upload; WhatsApp carries them from any country.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["createMediaUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This API description
         * @description OpenAPI 3.1, generated from the schemas the handlers validate with. No token needed.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List stores
         * @description Admins page through every store; a store user gets a one-item page with their own store.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["listStores"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores/{storeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a store
         * @description Store users read their own store; admins read any.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["getStore"];
        /**
         * Create or replace a store
         * @description Registers the store under its id, or replaces it. The Twilio number must not belong to another store.
         *
         *     Roles: `clienteling-admin`.
         */
        put: operations["saveStore"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores/{storeId}/outreach-lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a store's outreach lists
         * @description The lists of enabled campaigns, newest campaign first.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["listOutreachLists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores/{storeId}/outreach-lists/{campaignId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one outreach list's customers
         * @description Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["getOutreachList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores/{storeId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a store's results per associate
         * @description Days are UTC calendar days, `from` and `to` included, at most 366. Revenue is per currency.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["getStoreReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores/{storeId}/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a store's staff
         * @description Everyone whose authenticated request named this store (recorded at most once a day per user): the users an assignment may name.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["listStaff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tasks by due time
         * @description The caller's tasks (`scope=mine`, the default) or the store's (`scope=store`, unassigned ones included), in one status (`OPEN` by default), earliest due first; `dueBefore` keeps those due strictly before it.
         *
         *     Roles: `associate`, `manager`.
         */
        get: operations["listTasks"];
        put?: never;
        /**
         * Create a follow-up task
         * @description A task of the caller's store, for the caller unless `assignee` names a colleague (a manager's choice; an associate creates tasks for themselves). A named conversation or customer must belong to the store. When it is due, the assignee hears `task.due` on the WebSocket, once.
         *
         *     Roles: `associate`, `manager`.
         */
        post: operations["createTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Close, snooze or reassign a task
         * @description Any user of the store closes (`status: DONE`), reopens or snoozes (`dueAt`: reminded again at the new time) a task. `assignee` follows the assignment rules: a manager assigns anyone of the store's staff or unassigns (null); an associate takes an unassigned task for themselves or hands one of their own to a colleague.
         *
         *     Roles: `associate`, `manager`.
         */
        patch: operations["updateTask"];
        trace?: never;
    };
    "/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the quick reply templates
         * @description Roles: `associate`, `manager`.
         */
        get: operations["listTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Payment notifications from the payment provider
         * @description Settles the cart behind the link once: the chat gets a note, the customer a receipt SMS, and the cart is removed. The same paymentId again changes nothing. A notification that arrives after the link's midnight is settled when its `paidAt` (when the customer paid, signed with the rest of the body) is before the expiry and it arrives within 2 hours of it; otherwise it is a 409 whose detail gives the times.
         */
        post: operations["receivePayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/twilio/sms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Inbound SMS/MMS from Twilio
         * @description Twilio's messaging webhook for the store numbers. Opt-in/out keywords take effect here; each MessageSid is stored once however often Twilio delivers it.
         */
        post: operations["receiveTwilioMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/twilio/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delivery status callbacks from Twilio
         * @description Moves a message forward (queued, sent, delivered, undelivered, failed), never backwards.
         */
        post: operations["receiveTwilioStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/whatsapp/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the WhatsApp templates with their approval status
         * @description Every registered template, by id, with WhatsApp's approval as last read from Twilio (`statusCheckedAt`); refreshed every hour.
         *
         *     Roles: `associate`, `manager`, `clienteling-admin`.
         */
        get: operations["listWhatsAppTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/whatsapp/templates/{templateId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register or replace a WhatsApp template (admins)
         * @description The template as created in Twilio's Content API. Its approval status is read from Twilio now and stored with it; nothing is stored when Twilio cannot be asked.
         *
         *     Roles: `clienteling-admin`.
         */
        put: operations["saveWhatsAppTemplate"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CampaignDetails: {
            campaignId: string;
            name: string;
            /** @enum {string} */
            status: "PROCESSING" | "SUCCESSFUL" | "PARTIALLY_SUCCESSFUL" | "FAILED";
            /** @description Stores see the lists of enabled campaigns only */
            enabled: boolean;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            counts: {
                /** @description Data rows read: accepted + rejected + duplicates */
                rows: number;
                accepted: number;
                rejected: number;
                /** @description Repeats of an (email, store) pair */
                duplicates: number;
            };
            /** @description Why the import FAILED */
            error?: string;
            /** @description When the import started on the uploaded file; null until the file arrives */
            uploadedAt: string | null;
            /** @description Only while PROCESSING: how far the import has got; both 0 until the file arrives */
            progress?: {
                /** @description Data rows the import has read from the file (recorded every 5 s) */
                rowsRead: number;
                /** @description Data rows written to the outreach lists or rejected so far (current at each read) */
                rowsWritten: number;
            };
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            finishedAt?: string;
            stores: {
                storeId: string;
                customers: number;
                contacted: number;
                /** @description False when no store with this id is registered (a typo in the file shows here) */
                knownStore: boolean;
            }[];
        };
        CampaignReport: {
            campaignId: string;
            stores: {
                storeId: string;
                customers: number;
                contacted: number;
                replied: number;
                cartsShared: number;
                ordersPaid: number;
                /** @description Per currency, never added across currencies */
                revenue: {
                    currency: string;
                    /** @description Integer minor units */
                    amount: number;
                }[];
            }[];
            totals: {
                customers: number;
                contacted: number;
                replied: number;
                cartsShared: number;
                ordersPaid: number;
                /** @description Per currency, never added across currencies */
                revenue: {
                    currency: string;
                    /** @description Integer minor units */
                    amount: number;
                }[];
            };
        };
        CampaignSummary: {
            campaignId: string;
            name: string;
            /** @enum {string} */
            status: "PROCESSING" | "SUCCESSFUL" | "PARTIALLY_SUCCESSFUL" | "FAILED";
            /** @description Stores see the lists of enabled campaigns only */
            enabled: boolean;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            counts: {
                /** @description Data rows read: accepted + rejected + duplicates */
                rows: number;
                accepted: number;
                rejected: number;
                /** @description Repeats of an (email, store) pair */
                duplicates: number;
            };
            /** @description Why the import FAILED */
            error?: string;
        };
        Cart: {
            conversationId: string;
            storeId: string;
            customerId: string;
            /** @description ISO 4217, the store's currency */
            currency: string;
            items: {
                sku: string;
                name: string;
                /** @description Integer minor units */
                unitPrice: number;
                quantity: number;
                /** @enum {string} */
                fulfillment: "IN_STORE" | "SHIP";
                /**
                 * Format: uri
                 * @description The product image shown beside the line on the cart page: an absolute https URL in printable ASCII (other characters percent-encoded), without credentials, at most 2,000 characters
                 * @example https://cdn.example.com/products/oxford-shirt.jpg
                 */
                imageUrl?: string;
                lineTotal: number;
            }[];
            subtotal: number;
            /** @description What the customer pays, in minor units */
            total: number;
            delivery?: {
                address: string | {
                    line1: string;
                    line2?: string;
                    city: string;
                    region?: string;
                    postalCode?: string;
                    country?: string;
                };
                shippingOption: string;
            };
            /** @description Also in the ETag header; send it as If-Match to edit only this version */
            version: number;
            /**
             * Format: uri
             * @description The link last shared with the customer
             */
            sharedUrl?: string;
            /**
             * Format: date-time
             * @description The next midnight in the store's time zone: the cart is cleared then
             */
            expiresAt: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            updatedAt: string;
        };
        CartShare: {
            /**
             * Format: uri
             * @description Absolute; its path is /c/{token}
             */
            url: string;
            /**
             * Format: date-time
             * @description Midnight in the store's time zone
             */
            expiresAt: string;
            /**
             * Format: date-time
             * @description When the share's one reminder goes out (`store.cartReminderHours` before midnight), if the cart is still unpaid and the customer still opted in; absent when none will: `remind: false`, reminders off at the store, that time already past or in the store's quiet hours
             */
            reminderAt?: string;
        };
        CartShareInput: {
            /**
             * @description The channel the link (and its reminder) goes on: sms (the default) or whatsapp (outside the 24-hour window: the APPROVED `CART` template)
             * @enum {string}
             */
            channel?: "sms" | "whatsapp";
            /** @description Send one reminder with the link `store.cartReminderHours` before midnight if still unpaid (default true) */
            remind?: boolean;
        };
        ConsentEntry: {
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            at: string;
            storeId: string;
            /** @enum {string} */
            state: "REQUESTED" | "OPTED_IN" | "OPTED_OUT";
            /** @enum {string} */
            source: "OPT_IN_REQUEST" | "KEYWORD" | "CARRIER" | "ERASURE";
            /**
             * @description The channel whose consent changed (consent is per channel)
             * @enum {string}
             */
            channel: "sms" | "whatsapp";
            /** @description The keyword the customer texted (KEYWORD) */
            keyword?: string;
            /** @description The inbound message's Twilio SID (KEYWORD, CARRIER) */
            messageSid?: string;
            /** @description The associate who sent the opt-in request */
            userId?: string;
        };
        Conversation: {
            conversationId: string;
            storeId: string;
            customerId: string;
            customer: {
                firstName?: string;
                lastName?: string;
                phone?: string;
            };
            /**
             * @description The latest SMS consent state: only OPTED_IN customers can be sent SMS
             * @enum {string}
             */
            optIn: "NONE" | "REQUESTED" | "OPTED_IN" | "OPTED_OUT";
            /** @description WhatsApp consent and window (NONE and null where the customer never used WhatsApp) */
            whatsapp: {
                /**
                 * @description WhatsApp consent, kept apart from SMS consent
                 * @enum {string}
                 */
                optIn: "NONE" | "REQUESTED" | "OPTED_IN" | "OPTED_OUT";
                /** @description When the 24-hour customer service window closes: the customer's last WhatsApp message's receive time + 24 h; null before any. Free text and media go only before it */
                windowExpiresAt: string | null;
            };
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            lastActivityAt: string;
            /** @description No activity for 4 calendar months; any new message un-archives it */
            archived: boolean;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            /** @description The store user whose My Inbox holds it (at most one); null: unassigned */
            assignee: string | null;
            /** @description Customer messages the caller has not read */
            unread: number;
            /** @description The newest message and its delivery state, so an inbox shows a failed delivery */
            lastMessage?: {
                messageId: string;
                /** @enum {string} */
                direction: "inbound" | "outbound";
                /** @description The newest message's text, whole up to 160 characters, else its first 159 and "…"; absent on conversations whose newest message came before previews */
                text?: string;
                /** @enum {string} */
                status: "scheduled" | "held" | "queued" | "sent" | "delivered" | "read" | "undelivered" | "failed" | "canceled" | "received";
                /** @description Twilio's error code when the newest message failed or was undelivered */
                errorCode?: string;
                /**
                 * Format: date-time
                 * @description ISO-8601 instant, UTC
                 */
                at: string;
                /** @enum {string} */
                channel: "sms" | "whatsapp";
            };
            /** @description The store's tags for the customer (`PUT /customers/{customerId}/tags`); absent: none */
            tags?: string[];
        };
        Customer: {
            customerId: string;
            /** @description Trimmed and lower-cased; absent only for a customer first known by the phone they texted from */
            email?: string;
            /** @description E.164 */
            phone?: string;
            firstName?: string;
            lastName?: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            /** @description Store users: their own store's tags for the customer (none: an empty list). Admins: absent (tags are a store's; docs/rules.md, "Notes and tags") */
            tags?: string[];
        };
        CustomerBatchResult: {
            created: number;
            existing: number;
            /** @description Entries that were not stored, by index in the request */
            errors: {
                index: number;
                detail: string;
            }[];
            /** @description Entries stored or found, by index in the request */
            customers: {
                /** @description The entry's index in the request */
                index: number;
                /**
                 * @description `existing`: the email was known already, or repeats an earlier entry
                 * @enum {string}
                 */
                status: "created" | "existing";
                customerId: string;
                /** @description Trimmed and lower-cased */
                email: string;
            }[];
        };
        CustomerNote: {
            noteId: string;
            storeId: string;
            customerId: string;
            /** @description At most 2,000 characters */
            text: string;
            /** @description The store user who wrote it */
            authorId: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
        };
        CustomerTags: {
            customerId: string;
            storeId: string;
            /** @description As kept: trimmed, duplicates ignoring case dropped, in the given order */
            tags: string[];
        };
        Erasure: {
            customerId: string;
            /** @constant */
            status: "ERASING";
        };
        ExportStarted: {
            exportId: string;
        };
        ExportState: {
            /** @enum {string} */
            status: "PENDING" | "READY" | "FAILED";
            /**
             * Format: uri
             * @description Presigned GET of the CSV, when READY
             */
            url?: string;
        };
        FieldError: {
            /** @enum {string} */
            in: "body" | "query" | "path" | "header";
            /** @description Dotted path inside that place, e.g. `customers.3.email` */
            field: string;
            detail: string;
        };
        ImageUpload: {
            /** @description Send it as `mediaKey` once the image is uploaded */
            mediaKey: string;
            upload: {
                /** Format: uri */
                url: string;
                /** @constant */
                method: "PUT";
                headers: {
                    [key: string]: string;
                };
            };
            maxBytes: number;
            expiresInSeconds: number;
        };
        Inbox: {
            items: components["schemas"]["Conversation"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
            /** @description The caller's unread customer messages beyond this page: the Store Inbox's over every conversation of the view; My Inbox's over the caller's 100 most recently active assigned conversations of the view */
            unreadTotal: number;
        };
        Message: {
            messageId: string;
            conversationId: string;
            /** @enum {string} */
            direction: "inbound" | "outbound";
            /**
             * @description `note`: posted into the chat (e.g. a payment), nothing was sent
             * @enum {string}
             */
            kind?: "sms" | "whatsapp" | "note";
            /**
             * @description The channel it travelled on
             * @enum {string}
             */
            channel: "sms" | "whatsapp";
            text: string;
            /** @description A WhatsApp template send: sent to Twilio as ContentSid + ContentVariables, never as Body */
            content?: {
                templateId: string;
                contentSid: string;
                variables: {
                    [key: string]: string;
                };
            };
            media: {
                mediaKey: string;
                contentType: string;
                /**
                 * Format: uri
                 * @description Short-lived download URL (an `available` item)
                 */
                url?: string;
                /**
                 * @description `available`: in the images bucket (see `url`); `pending`: an inbound file still being copied from Twilio (the text is stored first); `unavailable`: an inbound file that could not be had (see `reason`)
                 * @enum {string}
                 */
                status: "available" | "pending" | "unavailable";
                /** @description An inbound file that could not be fetched from Twilio */
                unavailable?: boolean;
                /** @description Why an unavailable file could not be had (too large, timed out, refused) */
                reason?: string;
            }[];
            /** @description The user who sent it (outbound) */
            sentBy?: string;
            twilioSid?: string;
            /** @enum {string} */
            status: "scheduled" | "held" | "queued" | "sent" | "delivered" | "read" | "undelivered" | "failed" | "canceled" | "received";
            /** @description Twilio's error code of a failed or undelivered message, or OPTED_OUT */
            errorCode?: string;
            /**
             * Format: date-time
             * @description When a scheduled message goes out (its sendAt, or the end of quiet hours)
             */
            scheduledFor?: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
        };
        NewCampaignUpload: {
            campaignId: string;
            /** @description PUT the CSV (`customer email,store id`) here with these headers; the upload starts the import */
            upload: {
                /** Format: uri */
                url: string;
                /** @constant */
                method: "PUT";
                headers: {
                    [key: string]: string;
                };
                /**
                 * Format: date-time
                 * @description ISO-8601 instant, UTC
                 */
                expiresAt: string;
            };
        };
        OutreachEntry: {
            customerId: string;
            email: string;
            firstName?: string;
            lastName?: string;
            contacted: boolean;
        };
        PaymentOutcome: {
            /**
             * @description `already-processed`: this paymentId was settled before; nothing changed
             * @enum {string}
             */
            status: "paid" | "already-processed";
            paymentId: string;
        };
        /**
         * @description application/problem+json (RFC 9457)
         * @example {
         *       "type": "https://problems.clienteling.dev/validation",
         *       "title": "Invalid request",
         *       "status": 400,
         *       "detail": "Invalid body: email: a valid email address",
         *       "errors": [
         *         {
         *           "in": "body",
         *           "field": "email",
         *           "detail": "a valid email address"
         *         }
         *       ]
         *     }
         */
        Problem: {
            /**
             * Format: uri
             * @description Stable problem type, e.g. https://problems.clienteling.dev/validation
             */
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @description The request path */
            instance?: string;
            requestId?: string;
            /** @description Each invalid field (400 only) */
            errors?: components["schemas"]["FieldError"][];
        } & {
            [key: string]: unknown;
        };
        Rejection: {
            /** @description Physical line of the file; the header is line 1 */
            line: number;
            email: string;
            storeId: string;
            /** @enum {string} */
            reason: "INVALID_EMAIL" | "UNKNOWN_CUSTOMER" | "MISSING_STORE_ID" | "MALFORMED_ROW";
        };
        StaffMember: {
            userId: string;
            /** @enum {string} */
            role: "associate" | "manager";
            /**
             * Format: date-time
             * @description The user's first request of the day that last recorded them
             */
            lastSeenAt: string;
        };
        Store: {
            storeId: string;
            name: string;
            /** @description IANA time zone */
            timezone: string;
            /** @description ISO 3166-1 alpha-2 */
            country: string;
            /** @description The store's Twilio number, E.164 */
            phoneNumber: string;
            /** @description ISO 4217 */
            currency: string;
            /** @description Sent to a customer who texts HELP or INFO */
            helpText?: string;
            /** @description Store-local hours in which marketing messages are held (default 21:00–08:00); null: off */
            quietHours: {
                /** @description HH:mm, store-local */
                start: string;
                /** @description HH:mm, store-local */
                end: string;
            } | null;
            /** @description Hours before a shared cart's midnight that its one reminder goes out, if unpaid (default 3; a time in quiet hours skips it); null: no reminders */
            cartReminderHours: number | null;
            /** @description WhatsApp as a second channel; null: SMS only */
            whatsapp: {
                enabled: boolean;
                /** @description E.164; WhatsApp goes on whatsapp:<sender> (default phoneNumber) */
                sender?: string;
            } | null;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            updatedAt: string;
        };
        StoreOutreachList: {
            campaignId: string;
            name: string;
            customers: number;
            contacted: number;
        };
        StoreReport: {
            storeId: string;
            from: string;
            to: string;
            associates: {
                userId: string;
                conversationsStarted: number;
                messagesSent: number;
                repliesReceived: number;
                cartsShared: number;
                ordersPaid: number;
                /** @description Per currency, never added across currencies */
                revenue: {
                    currency: string;
                    /** @description Integer minor units */
                    amount: number;
                }[];
                /** @description Median wait from a customer's message to the next associate message (log-bucket sketch, within ±5%); null without samples */
                medianFirstResponseSeconds: number | null;
            }[];
        };
        Task: {
            taskId: string;
            storeId: string;
            conversationId?: string;
            customerId?: string;
            /** @description At most 200 characters */
            title: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            dueAt: string;
            /** @description The user it is for; null: the store's (unassigned) */
            assignee: string | null;
            /** @enum {string} */
            status: "OPEN" | "DONE";
            /**
             * @description MANUAL: created by a user; CART_UNPAID: a shared cart still unpaid an hour before it expires (closed by its payment); CUSTOMER_REPLIED_AFTER_HOURS: a customer wrote during quiet hours (due when they end)
             * @enum {string}
             */
            source: "MANUAL" | "CART_UNPAID" | "CUSTOMER_REPLIED_AFTER_HOURS";
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO-8601 instant, UTC
             */
            doneAt?: string;
        };
        Template: {
            templateId: string;
            name: string;
            /** @description With `{{variable}}` placeholders */
            text: string;
            variables: string[];
        };
        WhatsAppTemplate: {
            templateId: string;
            /** @description Twilio's Content SID (HX…) */
            contentSid: string;
            name: string;
            /** @description WhatsApp's language code, e.g. en or en_US */
            language: string;
            /**
             * @description MARKETING templates never go to US numbers (Twilio 63049)
             * @enum {string}
             */
            category: "UTILITY" | "MARKETING";
            /** @enum {string} */
            purpose: "OPT_IN" | "RECONNECT" | "CART" | "OTHER";
            /** @description The approved text, with `{{1}}` or `{{name}}` placeholders */
            text: string;
            /** @description The placeholders, sent as ContentVariables */
            variables: string[];
            /**
             * @description WhatsApp's approval as Twilio's Content API last gave it; only APPROVED templates can be sent
             * @enum {string}
             */
            status: "APPROVED" | "PENDING" | "REJECTED" | "PAUSED";
            /**
             * Format: date-time
             * @description When the status was read from Twilio (on PUT, then every hour)
             */
            statusCheckedAt: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    viewCartPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cart page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown link (an HTML page) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The link expired at midnight or the cart was paid (an HTML page) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    listCampaigns: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of campaigns */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CampaignSummary"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Spring preview"
                 *     }
                 */
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description The campaign id and where to upload its CSV */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewCampaignUpload"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The campaign */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDetails"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disableCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The campaign */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignSummary"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The campaign is still PROCESSING, or it FAILED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    enableCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The campaign */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignSummary"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The campaign is still PROCESSING, or it FAILED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startCampaignExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export was started; poll it by id */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportStarted"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCampaignExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description PENDING, FAILED, or READY with a presigned download URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportState"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such export of this campaign */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCampaignRejections: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rejected rows, by line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Rejection"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCampaignReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignReport"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such campaign (or it was deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    openConversation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "customerId": "0b6d7c8e-3f4a-4b1e-9c2d-5e6f7a8b9c0d"
                 *     }
                 */
                "application/json": {
                    customerId: string;
                };
            };
        };
        responses: {
            /** @description The conversation existed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description The conversation was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: the caller belongs to no store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConversation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The conversation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such conversation in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setAssignee: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "userId": "ada-associate"
                 *     }
                 */
                "application/json": {
                    userId: string | null;
                };
            };
        };
        responses: {
            /** @description The conversation with its assignee */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: an associate may not make this change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such conversation in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Others kept reassigning it meanwhile; try again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The user is not staff of the store */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cart */
            200: {
                headers: {
                    /** @description The cart version, e.g. `"3"`; send it back as If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation is not in your store, or has no open cart */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    clearCart: {
        parameters: {
            query?: never;
            header?: {
                /** @description The cart version this edit is based on (`"3"`, `W/"3"` or `3`); a stale one is a 409. Absent or `*`: whatever is current. */
                "If-Match"?: string;
            };
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; its link stops working */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation is not in your store, or has no open cart */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match names a version that is no longer current, or the customer has just paid */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setCartDelivery: {
        parameters: {
            query?: never;
            header?: {
                /** @description The cart version this edit is based on (`"3"`, `W/"3"` or `3`); a stale one is a 409. Absent or `*`: whatever is current. */
                "If-Match"?: string;
            };
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "address": "350 Fifth Ave\nNew York, NY 10118",
                 *       "shippingOption": "Standard"
                 *     }
                 */
                "application/json": {
                    address: string | {
                        line1: string;
                        line2?: string;
                        city: string;
                        region?: string;
                        postalCode?: string;
                        country?: string;
                    };
                    shippingOption: string;
                };
            };
        };
        responses: {
            /** @description The cart */
            200: {
                headers: {
                    /** @description The cart version, e.g. `"3"`; send it back as If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation is not in your store, or has no open cart */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match names a version that is no longer current */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putCartItem: {
        parameters: {
            query?: never;
            header?: {
                /** @description The cart version this edit is based on (`"3"`, `W/"3"` or `3`); a stale one is a 409. Absent or `*`: whatever is current. */
                "If-Match"?: string;
            };
            path: {
                conversationId: string;
                sku: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Oxford shirt",
                 *       "unitPrice": 4500,
                 *       "quantity": 2,
                 *       "fulfillment": "IN_STORE",
                 *       "imageUrl": "https://cdn.example.com/products/oxford-shirt.jpg"
                 *     }
                 */
                "application/json": {
                    name: string;
                    unitPrice: number;
                    quantity: number;
                    /** @enum {string} */
                    fulfillment: "IN_STORE" | "SHIP";
                    /**
                     * Format: uri
                     * @description The product image shown beside the line on the cart page: an absolute https URL in printable ASCII (other characters percent-encoded), without credentials, at most 2,000 characters
                     * @example https://cdn.example.com/products/oxford-shirt.jpg
                     */
                    imageUrl?: string;
                };
            };
        };
        responses: {
            /** @description The cart */
            200: {
                headers: {
                    /** @description The cart version, e.g. `"3"`; send it back as If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description A field is invalid, named in `errors`: e.g. an `imageUrl` that is not an absolute https URL, carries credentials or is over 2,000 characters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation is not in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match names a version that is no longer current */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The cart already holds 100 different items */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeCartItem: {
        parameters: {
            query?: never;
            header?: {
                /** @description The cart version this edit is based on (`"3"`, `W/"3"` or `3`); a stale one is a 409. Absent or `*`: whatever is current. */
                "If-Match"?: string;
            };
            path: {
                conversationId: string;
                sku: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cart */
            200: {
                headers: {
                    /** @description The cart version, e.g. `"3"`; send it back as If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation is not in your store, or has no open cart, or no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match names a version that is no longer current */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    shareCart: {
        parameters: {
            query?: never;
            header?: {
                /** @description The cart version this edit is based on (`"3"`, `W/"3"` or `3`); a stale one is a 409. Absent or `*`: whatever is current. */
                "If-Match"?: string;
            };
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        /** @description Optional: without a body the link goes by SMS with its reminder */
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "remind": true
                 *     }
                 */
                "application/json": components["schemas"]["CartShareInput"];
            };
        };
        responses: {
            /** @description The link */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "url": "https://api.example.com/c/q3Vx7Kp0mWn2Lr8Ts5Yd1Gh4Jb6Fc9Ae0Zu3Io7Ny2",
                     *       "expiresAt": "2026-03-15T04:00:00.000Z",
                     *       "reminderAt": "2026-03-15T01:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["CartShare"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation is not in your store, or has no open cart */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match names a version that is no longer current */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The cart is empty, needs a delivery for SHIP items, or the customer cannot be texted on that channel; on WhatsApp outside the window without an APPROVED `CART` template, `no-approved-template`; `quiet-hours` (with `quietHoursEnd`, ISO) during the store's quiet hours to a customer who has not written in the last 24 hours: a link held until morning would arrive after its midnight */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMessages: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Message"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such conversation in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sendMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description At most 255 characters. The same key from the same user on the same conversation answers the first message again (200) and sends nothing; with a different body it is a 422. */
                "Idempotency-Key"?: string;
            };
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "text": "Hi Ada, the boots you asked about are back in your size."
                 *     }
                 */
                "application/json": {
                    text?: string;
                    templateId?: string;
                    variables?: {
                        [key: string]: string;
                    };
                    mediaKey?: string;
                    contentTemplateId?: string;
                    /** @enum {string} */
                    channel?: "sms" | "whatsapp";
                    reconnectTemplateId?: string;
                    /** Format: date-time */
                    sendAt?: string;
                };
            };
        };
        responses: {
            /** @description A repeat of an earlier request with the same Idempotency-Key: the first message, nothing sent again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description The message, `queued`: recorded and on the sender queue */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "00mmqgiy5ca1b2c3d4e5f6",
                     *       "conversationId": "5f0c2a1e-8b7d-4c3a-9e6f-1a2b3c4d5e6f",
                     *       "direction": "outbound",
                     *       "channel": "sms",
                     *       "text": "Hi Ada, the boots you asked about are back in your size.",
                     *       "media": [],
                     *       "sentBy": "ada-associate",
                     *       "status": "queued",
                     *       "createdAt": "2026-03-14T15:05:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description The message is `scheduled`; `scheduledFor` says when it goes out (its `sendAt`, or the end of quiet hours). Or WhatsApp text `held` behind its RECONNECT template until the customer answers; `scheduledFor` is when it ends `failed` unanswered */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "00mmr6fayob7c8d9e0f1a2",
                     *       "conversationId": "5f0c2a1e-8b7d-4c3a-9e6f-1a2b3c4d5e6f",
                     *       "direction": "outbound",
                     *       "channel": "sms",
                     *       "text": "Hi Ada, the boots you asked about are back in your size.",
                     *       "media": [],
                     *       "sentBy": "ada-associate",
                     *       "status": "scheduled",
                     *       "createdAt": "2026-03-15T03:10:00.000Z",
                     *       "scheduledFor": "2026-03-15T12:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such conversation in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the customer has not opted in or opted out, images outside US/CA/AU, or an Idempotency-Key reused with another body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelScheduledMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                messageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Canceled (or canceled already) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such message in a conversation of your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The message has been sent already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    requestOptIn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        /** @description Optional */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    channel?: "sms" | "whatsapp";
                };
            };
        };
        responses: {
            /** @description The message sent */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "00mmqgal80f0e1d2c3b4a5",
                     *       "conversationId": "5f0c2a1e-8b7d-4c3a-9e6f-1a2b3c4d5e6f",
                     *       "direction": "outbound",
                     *       "channel": "sms",
                     *       "text": "Fifth Avenue: a store associate would like to text you about your shopping. Reply YES to chat with us. Reply STOP to opt out at any time. Msg & data rates may apply.",
                     *       "media": [],
                     *       "sentBy": "ada-associate",
                     *       "status": "queued",
                     *       "createdAt": "2026-03-14T14:58:30.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such conversation in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The customer opted out or already opted in on that channel, an earlier request of the last 24 h on it is unanswered, the store has not enabled WhatsApp, or no OPT_IN template is APPROVED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    markConversationRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The conversation, with `unread` 0 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such conversation in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    searchCustomers: {
        parameters: {
            query: {
                limit?: number;
                cursor?: string;
                query: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of customers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Customer"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description More than 60 searches in this minute */
            429: {
                headers: {
                    /** @description Seconds until the next minute */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "phone": "+12125550123",
                 *       "firstName": "Ada",
                 *       "lastName": "Lovelace"
                 *     }
                 */
                "application/json": {
                    email: string;
                    phone?: string;
                    firstName?: string;
                    lastName?: string;
                };
            };
        };
        responses: {
            /** @description The customer */
            201: {
                headers: {
                    /** @description The customer URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "customerId": "0b6d7c8e-3f4a-4b1e-9c2d-5e6f7a8b9c0d",
                     *       "email": "ada@example.com",
                     *       "phone": "+12125550123",
                     *       "firstName": "Ada",
                     *       "lastName": "Lovelace",
                     *       "createdAt": "2026-03-14T14:50:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A customer with this email exists, or the phone belongs to another customer */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, it is being erased, or (store users) it is not linked to the caller's store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    eraseCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Erasure started (or still running) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Erasure"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, or already erased */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "phone": "+12125550199"
                 *     }
                 */
                "application/json": {
                    email?: string;
                    phone?: string;
                    firstName?: string;
                    lastName?: string;
                };
            };
        };
        responses: {
            /** @description The customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The email or phone belongs to another customer */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCustomerConsent: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of ledger entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ConsentEntry"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, or (store users) it is not linked to the caller's store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCustomerNotes: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CustomerNote"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, it is being erased, or it is not linked to the caller's store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCustomerNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "text": "Prefers a call before noon; size 38."
                 *     }
                 */
                "application/json": {
                    text: string;
                };
            };
        };
        responses: {
            /** @description The note */
            201: {
                headers: {
                    /** @description The note URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerNote"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, it is being erased, or it is not linked to the caller's store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCustomerNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
                noteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: the caller is neither the note's author nor a manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, it is being erased, or it is not linked to the caller's store, or no such note in the caller's store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setCustomerTags: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "tags": [
                 *         "VIP",
                 *         "bridal"
                 *       ]
                 *     }
                 */
                "application/json": {
                    tags: string[];
                };
            };
        };
        responses: {
            /** @description The store's tags as kept */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerTags"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, it is being erased, or it is not linked to the caller's store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCustomers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "customers": [
                 *         {
                 *           "email": "ada@example.com",
                 *           "firstName": "Ada"
                 *         },
                 *         {
                 *           "email": "grace@example.com",
                 *           "phone": "+12125550124"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    customers: {
                        email: string;
                        phone?: string;
                        firstName?: string;
                        lastName?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description What happened to each entry */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerBatchResult"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInbox: {
        parameters: {
            query?: {
                scope?: "mine" | "store" | "unassigned";
                archived?: "true" | "false";
                limit?: number;
                cursor?: string;
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of conversations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "conversationId": "5f0c2a1e-8b7d-4c3a-9e6f-1a2b3c4d5e6f",
                     *           "storeId": "nyc-5th",
                     *           "customerId": "0b6d7c8e-3f4a-4b1e-9c2d-5e6f7a8b9c0d",
                     *           "customer": {
                     *             "firstName": "Ada",
                     *             "lastName": "Lovelace",
                     *             "phone": "+12125550123"
                     *           },
                     *           "optIn": "OPTED_IN",
                     *           "whatsapp": {
                     *             "optIn": "NONE",
                     *             "windowExpiresAt": null
                     *           },
                     *           "lastActivityAt": "2026-03-14T15:02:10.000Z",
                     *           "archived": false,
                     *           "createdAt": "2026-03-14T14:58:00.000Z",
                     *           "assignee": "ada-associate",
                     *           "unread": 1,
                     *           "lastMessage": {
                     *             "messageId": "00mmqgfaz44c1d2e3f4a5b",
                     *             "direction": "inbound",
                     *             "text": "YES",
                     *             "status": "received",
                     *             "at": "2026-03-14T15:02:10.000Z",
                     *             "channel": "sms"
                     *           }
                     *         }
                     *       ],
                     *       "nextCursor": null,
                     *       "unreadTotal": 1
                     *     }
                     */
                    "application/json": components["schemas"]["Inbox"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: the caller belongs to no store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createMediaUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "contentType": "image/jpeg"
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    contentType: "image/jpeg" | "image/png" | "image/gif" | "image/webp";
                    /** @enum {string} */
                    channel?: "sms" | "whatsapp";
                };
            };
        };
        responses: {
            /** @description Where to upload the image */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageUpload"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: the caller belongs to no store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `media-not-available`: the store is outside the US, Canada and Australia and the image would go by SMS/MMS; `media-type`: the channel does not carry this image type */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: {
                            [key: string]: unknown;
                        };
                        paths: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listStores: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of stores */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Store"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The store */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Store"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin; or: another store's user */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    saveStore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Fifth Avenue",
                 *       "timezone": "America/New_York",
                 *       "country": "US",
                 *       "phoneNumber": "+12125550100",
                 *       "currency": "USD"
                 *     }
                 */
                "application/json": {
                    name: string;
                    timezone: string;
                    country: string;
                    phoneNumber: string;
                    currency: string;
                    helpText?: string;
                    quietHours?: {
                        start: string;
                        end: string;
                    } | null;
                    cartReminderHours?: number | null;
                    whatsapp?: {
                        enabled: boolean;
                        sender?: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description The store was replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Store"];
                };
            };
            /** @description The store was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "storeId": "nyc-5th",
                     *       "name": "Fifth Avenue",
                     *       "timezone": "America/New_York",
                     *       "country": "US",
                     *       "phoneNumber": "+12125550100",
                     *       "currency": "USD",
                     *       "quietHours": {
                     *         "start": "21:00",
                     *         "end": "08:00"
                     *       },
                     *       "cartReminderHours": 3,
                     *       "whatsapp": null,
                     *       "createdAt": "2026-03-01T09:00:00.000Z",
                     *       "updatedAt": "2026-03-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Store"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The phone number belongs to another store */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOutreachLists: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description All lists (nextCursor is always null) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StoreOutreachList"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin; or: another store's user */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOutreachList: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                storeId: string;
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of customers on the list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["OutreachEntry"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin; or: another store's user */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The campaign is not enabled, or the store has no list in it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStoreReport: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreReport"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin; or: another store's user, or not its manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStaff: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of staff */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StaffMember"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin; or: another store's user */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTasks: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                scope?: "mine" | "store";
                status?: "OPEN" | "DONE";
                dueBefore?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tasks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Task"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "Call back about the blue coat",
                 *       "dueAt": "2026-03-14T15:00:00Z",
                 *       "conversationId": "c-123"
                 *     }
                 */
                "application/json": {
                    title: string;
                    /** Format: date-time */
                    dueAt: string;
                    conversationId?: string;
                    customerId?: string;
                    assignee?: string;
                };
            };
        };
        responses: {
            /** @description The task */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: an associate may not create a task for someone else */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The conversation or customer is not in your store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The assignee is not staff of the store */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                taskId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "dueAt": "2026-03-15T10:00:00Z"
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    status?: "OPEN" | "DONE";
                    /** Format: date-time */
                    dueAt?: string;
                    assignee?: string | null;
                };
            };
        };
        responses: {
            /** @description The task as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager; or: an associate may not make this change of assignee */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such task in your store (another store's task answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Others kept changing it meanwhile; try again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The assignee is not staff of the store */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every template (nextCursor is always null) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Template"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receivePayment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "Jx3v0Qb1mC9kq2cYtW8uV4rS6pN5oL7aE3dF1gH2iJ0",
                 *       "amount": 28900,
                 *       "currency": "USD",
                 *       "paymentId": "pay_8f2c1d",
                 *       "paidAt": "2026-03-14T23:58:12Z"
                 *     }
                 */
                "application/json": {
                    token: string;
                    amount: number;
                    currency: string;
                    paymentId: string;
                    /**
                     * Format: date-time
                     * @description When the customer paid (ISO 8601), signed with the body: a payment made before the link's midnight is settled up to 2 hours after it
                     */
                    paidAt?: string;
                };
            };
        };
        responses: {
            /** @description Settled, or already settled before */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentOutcome"];
                };
            };
            /** @description The body is not a payment notification */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description X-Signature is missing or is not the HMAC-SHA256 of the body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No cart link has this token */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The amount or currency is not the cart's current total, the cart was already paid, or the link expired before the payment (`paidAt` at or after the expiry, no `paidAt` after it, or more than 2 hours after it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveTwilioMessage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Twilio's form fields (MediaUrl0…, MediaContentType0… for MMS) */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    MessageSid: string;
                    SmsSid?: string;
                    SmsMessageSid?: string;
                    AccountSid?: string;
                    MessagingServiceSid?: string;
                    From: string;
                    To: string;
                    /** @default  */
                    Body?: string;
                    /** @default 0 */
                    NumMedia?: number;
                    ButtonPayload?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Empty TwiML: the message is queued and applied in order; a HELP reply goes out through the REST API */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <?xml version="1.0" encoding="UTF-8"?><Response/> */
                    "text/xml": string;
                };
            };
            /** @description A field Twilio always sends is missing */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The X-Twilio-Signature header is missing or does not match: nothing is stored */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveTwilioStatus: {
        parameters: {
            query?: {
                conversationId?: string;
                messageId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Twilio's form fields */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    MessageSid: string;
                    SmsSid?: string;
                    AccountSid?: string;
                    MessagingServiceSid?: string;
                    MessageStatus: string;
                    ErrorCode?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Recorded (or ignored: a status not tracked, an unknown message) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A field Twilio always sends is missing */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The X-Twilio-Signature header is missing or does not match: nothing is stored */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWhatsAppTemplates: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of templates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WhatsAppTemplate"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: associate, manager, clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    saveWhatsAppTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "contentSid": "HX0123456789abcdef0123456789abcdef",
                 *       "name": "Opt-in request",
                 *       "language": "en",
                 *       "category": "UTILITY",
                 *       "purpose": "OPT_IN",
                 *       "text": "Hi {{1}}, {{2}} would like to message you on WhatsApp. Reply YES to chat with us.",
                 *       "variables": [
                 *         "1",
                 *         "2"
                 *       ]
                 *     }
                 */
                "application/json": {
                    contentSid: string;
                    name: string;
                    language: string;
                    /** @enum {string} */
                    category: "UTILITY" | "MARKETING";
                    /** @enum {string} */
                    purpose: "OPT_IN" | "RECONNECT" | "CART" | "OTHER";
                    text: string;
                    variables: string[];
                };
            };
        };
        responses: {
            /** @description Replaced, with the status Twilio gave now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhatsAppTemplate"];
                };
            };
            /** @description Created, with the status Twilio gave now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhatsAppTemplate"];
                };
            };
            /** @description Invalid input; `errors` names each invalid field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role is not one of: clienteling-admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 1 MB (MAX_BODY_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Twilio has no content with this contentSid (the problem names `contentSid`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Twilio's Content API did not answer: nothing was stored; try again after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}

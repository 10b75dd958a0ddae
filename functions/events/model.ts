/** The events capability's types: a live event, the table change it comes from, who receives it, and the ports it goes out through. */

export const EVENT_TYPES = [
  'message.received',
  'message.status',
  'optin.changed',
  'conversation.assigned',
  'task.due',
  'payment.completed',
  'campaign.finished',
  'customer.erased',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface LiveEvent {
  readonly id: string;
  readonly type: EventType;
  /** When the change was committed (the stream record's approximate creation time), ISO-8601. */
  readonly time: string;
  /** The store whose users receive it; null: the admins receive it. */
  readonly storeId: string | null;
  /** The one user of the store who receives it (`task.due` of an assigned task); absent: every user of the store. */
  readonly userId?: string;
  readonly data: Record<string, unknown>;
}

/** A stream record with its images unmarshalled. */
export interface ChangeRecord {
  readonly eventId: string;
  readonly kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The record's approximate creation time, ISO-8601. */
  readonly at: string;
  readonly oldImage?: Readonly<Record<string, unknown>>;
  readonly newImage?: Readonly<Record<string, unknown>>;
}

/** What a message item's events need from its conversation (message items carry neither). */
export interface ConversationFacts {
  readonly storeId: string;
  readonly customerId: string;
}

/** Who receives an event: the users of one store, one user of a store, or the admins (events that belong to no store). */
export type Audience = { readonly storeId: string; readonly userId?: string } | 'admins';

export interface EventPorts {
  /** Puts the events on the bus, in order; throws when any of them was not accepted. */
  putOnBus(events: readonly LiveEvent[]): Promise<void>;
  /** Sends one frame (a JSON array of events, rules.ts framesOf) to one connection: 'gone' when the connection no longer exists (410). */
  post(connectionId: string, payload: string): Promise<'sent' | 'gone'>;
}

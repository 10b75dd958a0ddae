/** The stores capability's types: a store and a customer as stored, and a zone's midnight schedule. */
import type { QuietHours, StoreInput, StoreWhatsApp } from './rules';

export interface Store extends Omit<StoreInput, 'quietHours' | 'cartReminderHours' | 'whatsapp'> {
  storeId: string;
  /** Always present on a read: the store's own, the default, or null (off). */
  quietHours: QuietHours | null;
  /** Always present on a read: the store's own (1–12), the default (3), or null (no cart reminders). */
  cartReminderHours: number | null;
  /** The store's WhatsApp settings (null on every read when off or never set): SMS only. */
  whatsapp?: StoreWhatsApp | null;
  createdAt: string;
  updatedAt: string;
}

export interface Customer {
  customerId: string;
  /** Absent only for a customer first known by the phone they texted from. */
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  createdAt: string;
}

/** One time zone's midnight schedule, as the stores function creates it and the local stack keeps it. */
export interface MidnightSchedule {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  /**
   * The cart sweeper's input (functions/carts/sweeper.handler.ts): the zone, and "now" as the
   * time the run was scheduled for, which the scheduler writes in for its placeholder. A run
   * delivered late or retried still clears exactly that midnight's carts.
   */
  readonly input: string;
}

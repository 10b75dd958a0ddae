/** A paid cart, attributed by last touch: the associate who shared it, the store, and the campaign. */
import { entryOrderUpdate } from '../campaigns/repository';
import {
  addToAssociateDay,
  addToCampaignStore,
  countOnce,
  getLastTouch,
  type TransactItem,
} from './repository/counters';
import { dayOf, revenueAttribute, withinAttributionWindow } from './rules';

/**
 * Attributes a settled payment, exactly once per paymentId however often the webhook comes:
 * 1. Find the customer's last touch at the store; it takes the credit when it lies within the
 *    30 days before payment.
 * 2. In one transaction with the payment's marker: the sharer's day of payment gets the order
 *    and its revenue (in its currency); the campaign's store counters and the customer's entry on
 *    that list get them too. When the entry is gone (campaign deleted), only the sharer's count.
 */
export async function attributePayment(input: {
  paymentId: string;
  storeId: string;
  customerId: string;
  sharedBy: string;
  amount: number;
  currency: string;
  paidAt: Date;
}): Promise<void> {
  const money = { ordersPaid: 1, [revenueAttribute(input.currency)]: input.amount };
  const forSharer = addToAssociateDay(input.storeId, dayOf(input.paidAt), input.sharedBy, money);
  const touch = await getLastTouch(input.storeId, input.customerId);
  const writes: TransactItem[] = [forSharer];
  if (touch && withinAttributionWindow(new Date(touch.at), input.paidAt)) {
    writes.push(
      addToCampaignStore(touch.campaignId, input.storeId, money),
      entryOrderUpdate(touch.campaignId, input.storeId, input.customerId, input.amount, input.currency),
    );
  }
  const outcome = await countOnce(`pay:${input.paymentId}`, writes, input.paidAt);
  if (typeof outcome === 'object') await countOnce(`pay:${input.paymentId}`, [forSharer], input.paidAt);
}

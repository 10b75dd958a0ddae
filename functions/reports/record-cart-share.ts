/** A shared cart: counted for the associate who shared it, and for the campaign that last touched the customer. */
import { logger } from '../shared/logger';
import {
  addToAssociateDay,
  addToCampaignStore,
  countOnce,
  getLastTouch,
  type TransactItem,
} from './repository/counters';
import { dayOf, withinAttributionWindow } from './rules';

/**
 * Records a cart link sent to a customer, once per link (its token):
 * 1. the sharer's day gets a cart shared;
 * 2. the store's counters in the customer's last-touch campaign (within the window) too.
 */
export async function recordCartShare(input: {
  storeId: string;
  customerId: string;
  token: string;
  sharedBy: string;
  at: Date;
}): Promise<void> {
  try {
    const touch = await getLastTouch(input.storeId, input.customerId);
    const writes: TransactItem[] = [
      addToAssociateDay(input.storeId, dayOf(input.at), input.sharedBy, { cartsShared: 1 }),
    ];
    if (touch && withinAttributionWindow(new Date(touch.at), input.at))
      writes.push(addToCampaignStore(touch.campaignId, input.storeId, { cartsShared: 1 }));
    await countOnce(`share:${input.token}`, writes, input.at);
  } catch (error) {
    // The link went out: the share stands, only its count is lost (and logged).
    logger.error('cart share not counted', { error: error as Error, storeId: input.storeId });
  }
}

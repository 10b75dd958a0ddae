/** The cart sweeper (every 15 minutes): deletes every cart whose store-local midnight has passed. */
import { scheduledJob } from '../shared/schedule';
import { deleteExpiredCarts } from './repository';

export const handler = scheduledJob('cart sweep', async (now) => ({ deleted: await deleteExpiredCarts(now) }));

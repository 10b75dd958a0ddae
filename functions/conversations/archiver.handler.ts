/** Every 15 minutes: archives conversations with no activity for 4 calendar months, until 15 s before its timeout. */
import { scheduledJob } from '../shared/schedule';
import { archiveInactive } from './repository';

export const handler = scheduledJob('conversation archive', (now, _event, deadline) => archiveInactive(now, deadline));

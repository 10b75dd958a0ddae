/** Daily: archives conversations with no activity for 4 calendar months. */
import { scheduledJob } from '../shared/schedule';
import { archiveInactive } from './repository';

export const handler = scheduledJob('conversation archive', archiveInactive);

/** Every minute: sends the scheduled and held messages whose time has come, until 15 s before its timeout (./release-due.ts). */
import { scheduledJob } from '../shared/schedule';
import { releaseDue } from './release-due';

export const handler = scheduledJob('scheduled send', (now, _event, deadline) => releaseDue(now, deadline));

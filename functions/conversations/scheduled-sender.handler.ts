/** Every minute: sends the scheduled and held messages whose time has come (./release-due.ts). */
import { scheduledJob } from '../shared/schedule';
import { releaseDue } from './release-due';

export const handler = scheduledJob('scheduled send', (now) => releaseDue(now));

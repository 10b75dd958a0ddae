/** Every minute: sends the scheduled and held messages whose time has come (./scheduled-sender.ts). */
import { scheduledJob } from '../shared/schedule';
import { releaseDue } from './scheduled-sender';

export const handler = scheduledJob('scheduled send', releaseDue);

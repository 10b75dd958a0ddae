/** The import watchdog (every 15 minutes): finishes or fails imports that stopped making progress. */
import { scheduledJob } from '../shared/schedule';
import { watchImports } from './watch-imports';

export const handler = scheduledJob('import watchdog', watchImports);

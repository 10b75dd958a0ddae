/**
 * The import watchdog's use case (every 15 minutes): no import stays PROCESSING.
 *
 * 1. Reads the PROCESSING campaigns whose last import step is older than IMPORT_STALL_MINUTES
 *    (gsi3, never the whole table).
 * 2. Reads each one again, consistently; one that moved on meanwhile is left alone.
 * 3. Every chunk written (the finishing step was lost): finishes it as the last writer would.
 * 4. Otherwise: FAILED with "import interrupted; upload the file again" and what is missing, and
 *    the rows already written are purged in the background.
 */
import { logger } from '../shared/logger';
import { recordImportFinished } from '../shared/metrics';
import { sendToImportQueue } from './chunk-queue';
import { failCampaign, getCampaign, importTotals, stalledImports } from './repository';
import { IMPORT_STALL_MINUTES, stalledImportVerdict } from './rules';
import { finishIfComplete } from './finish-import';

export interface WatchOutcome {
  stalled: number;
  finished: number;
  failed: number;
}

export async function watchImports(now: Date): Promise<WatchOutcome> {
  const threshold = new Date(now.getTime() - IMPORT_STALL_MINUTES * 60_000);
  const outcome: WatchOutcome = { stalled: 0, finished: 0, failed: 0 };
  for (const campaignId of await stalledImports(threshold)) {
    const campaign = await getCampaign(campaignId);
    if (!campaign || campaign.deleted || campaign.status !== 'PROCESSING') continue;
    if (campaign.progressAt && campaign.progressAt > threshold.toISOString()) continue;
    const { chunksDone } = await importTotals(campaignId);
    const verdict = stalledImportVerdict({ ...campaign, chunksDone }, now);
    if (verdict.action === 'wait') continue;
    outcome.stalled++;
    if (verdict.action === 'finish') {
      await finishIfComplete(campaignId, now);
      outcome.finished++;
      continue;
    }
    if (await failCampaign(campaignId, verdict.error, now)) {
      recordImportFinished('FAILED');
      await sendToImportQueue({ type: 'purge', campaignId });
      outcome.failed++;
      logger.warn('stalled import failed by the watchdog', { campaignId, error: verdict.error });
    }
  }
  return outcome;
}

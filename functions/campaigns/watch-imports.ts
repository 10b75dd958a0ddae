/**
 * The import watchdog's use case (every 15 minutes): no import stays PROCESSING.
 *
 * 1. Reads the PROCESSING campaigns whose last import step is older than IMPORT_STALL_MINUTES
 *    (gsi3, never the whole table), oldest first.
 * 2. Reads each one again, consistently; one that moved on meanwhile is left alone.
 * 3. Every chunk written (the finishing step was lost): finishes it as the last writer would,
 *    within its own time budget; one that needs more keeps the lists it counted and is resumed
 *    by the next run, and the run goes on to the next campaign.
 * 4. Otherwise: FAILED with "import interrupted; upload the file again" and what is missing, and
 *    the rows already written are purged in the background.
 * Nothing new is started after the run's deadline: the campaigns left are the next run's.
 */
import { logger } from '../shared/logger';
import { recordImportFinished } from '../shared/metrics';
import { sendToImportQueue } from './chunk-queue';
import { failCampaign, getCampaign, importTotals, stalledImports } from './repository';
import { IMPORT_STALL_MINUTES, stalledImportVerdict } from './rules';
import { finishIfComplete } from './finish-import';

/** The most of a run one campaign gets: a run (300 s) reaches at least 9 campaigns that each need more. */
export const CAMPAIGN_BUDGET_MS = 30_000;

export interface WatchOutcome {
  stalled: number;
  finished: number;
  failed: number;
  /** Stalled imports left for the next run: out of their budget, or the run's deadline came first. */
  deferred: number;
}

/** What the watchdog did with one stalled campaign. */
type Handled = 'skipped' | 'finished' | 'failed' | 'deferred';

async function handleStalled(campaignId: string, now: Date, threshold: Date, deadline: number): Promise<Handled> {
  const campaign = await getCampaign(campaignId);
  if (!campaign || campaign.deleted || campaign.status !== 'PROCESSING') return 'skipped';
  if (campaign.progressAt && campaign.progressAt > threshold.toISOString()) return 'skipped';
  const { chunksDone } = await importTotals(campaignId);
  const verdict = stalledImportVerdict({ ...campaign, chunksDone }, now);
  if (verdict.action === 'wait') return 'skipped';
  if (verdict.action === 'finish')
    return (await finishIfComplete(campaignId, now, deadline)) === 'out-of-time' ? 'deferred' : 'finished';
  if (!(await failCampaign(campaignId, verdict.error, now))) return 'skipped';
  recordImportFinished('FAILED');
  await sendToImportQueue({ type: 'purge', campaignId });
  logger.warn('stalled import failed by the watchdog', { campaignId, error: verdict.error });
  return 'failed';
}

/** `deadline` (epoch ms): start nothing after it; `campaignBudgetMs`: the most one campaign gets. */
export async function watchImports(
  now: Date,
  _event: unknown,
  deadline: number,
  campaignBudgetMs = CAMPAIGN_BUDGET_MS,
): Promise<WatchOutcome> {
  const threshold = new Date(now.getTime() - IMPORT_STALL_MINUTES * 60_000);
  const outcome: WatchOutcome = { stalled: 0, finished: 0, failed: 0, deferred: 0 };
  for (const campaignId of await stalledImports(threshold)) {
    if (Date.now() >= deadline) {
      outcome.deferred++;
      continue;
    }
    const handled = await handleStalled(campaignId, now, threshold, Math.min(deadline, Date.now() + campaignBudgetMs));
    if (handled === 'skipped') continue;
    outcome.stalled++;
    outcome[handled]++;
  }
  if (outcome.deferred > 0) logger.info('stalled imports left for the next run', { deferred: outcome.deferred });
  return outcome;
}

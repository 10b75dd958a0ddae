/** S3 object-created events of export requests (exports/requests/) into the CSV writer. */
import { logger } from '../shared/logger';
import { s3Notification } from '../shared/s3-notification';
import { exportOfRequestKey, writeExport } from './export-campaign';

export const handler = s3Notification(async ({ key }) => {
  const request = exportOfRequestKey(key);
  if (!request) {
    logger.warn('not an export request; ignored', { key });
    return;
  }
  logger.info('campaign export', { ...request, status: await writeExport(request.campaignId, request.exportId) });
});

/** S3 object-created events (presigned uploads under campaigns/, the drop prefix incoming/) into the import. */
import { systemClock } from '../shared/clock';
import { logger } from '../shared/logger';
import { s3Notification } from '../shared/s3-notification';
import { importObject } from './importer';

/** One line per object: a skipped one was logged with its reason by the import, so it is not logged twice. */
export const handler = s3Notification(async (object) => {
  const outcome = await importObject(object, systemClock());
  if (outcome.outcome !== 'skipped') logger.info('campaign import', { key: object.key, ...outcome });
  return outcome;
});

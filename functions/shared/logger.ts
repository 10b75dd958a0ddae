/** The one Powertools logger; handlers add the request id through the middy chain. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'clienteling' });

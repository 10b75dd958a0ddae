/**
 * The one Powertools logger; handlers add the request id through the middy chain. JSON on AWS;
 * the local stack asks for one text line an entry with `LOG_FORMAT=text` (./log-text.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { TextLogger } from './log-text';

const options = { serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'clienteling' };

export const logger = process.env.LOG_FORMAT === 'text' ? new TextLogger(options) : new Logger(options);

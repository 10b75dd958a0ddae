/** Not built yet: every route answers 501 problem+json. */
import { httpApi, notBuilt } from '../shared/http';

export const handler = httpApi(notBuilt(
  'POST /conversations',
  'GET /inbox',
  'GET /conversations/{conversationId}',
  'GET /conversations/{conversationId}/messages',
  'POST /conversations/{conversationId}/opt-in-request',
  'POST /conversations/{conversationId}/messages',
  'POST /conversations/{conversationId}/read',
  'GET /templates',
  'POST /media/uploads',
));

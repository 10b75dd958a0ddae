/** Not built yet: every route answers 501 problem+json. */
import { httpApi, notBuilt } from '../shared/http';

export const handler = httpApi(notBuilt(
  'POST /webhooks/payments',
));

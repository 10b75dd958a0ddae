/** Not built yet: every route answers 501 problem+json. */
import { httpApi, notBuilt } from '../shared/http';

export const handler = httpApi(notBuilt(
  'GET /conversations/{conversationId}/cart',
  'PUT /conversations/{conversationId}/cart/items/{sku}',
  'DELETE /conversations/{conversationId}/cart/items/{sku}',
  'PUT /conversations/{conversationId}/cart/delivery',
  'POST /conversations/{conversationId}/cart/share',
  'DELETE /conversations/{conversationId}/cart',
));

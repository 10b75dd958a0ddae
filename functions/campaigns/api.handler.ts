/** Not built yet: every route answers 501 problem+json. */
import { httpApi, notBuilt } from '../shared/http';

export const handler = httpApi(notBuilt(
  'POST /campaigns',
  'GET /campaigns',
  'GET /campaigns/{campaignId}',
  'GET /campaigns/{campaignId}/rejections',
  'POST /campaigns/{campaignId}/enable',
  'POST /campaigns/{campaignId}/disable',
  'DELETE /campaigns/{campaignId}',
  'GET /stores/{storeId}/outreach-lists',
  'GET /stores/{storeId}/outreach-lists/{campaignId}',
));

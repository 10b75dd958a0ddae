/** Campaigns (admin only) and outreach lists (store users for their own store, admins for any). */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { systemClock } from '../shared/clock';
import { created, httpApi, noContent, ok, route } from '../shared/http';
import { pageQuery } from '../shared/pagination';
import { Id, Text } from '../shared/validation';
import { ADMIN, ANY_ROLE, requireStoreAccess } from '../shared/principal';
import { StoreId } from '../stores/schemas';
import { createCampaignWithUpload } from './create-campaign';
import { deleteCampaign } from './delete-campaign';
import { campaignDetails, summary } from './describe-campaign';
import { outreachListPage, outreachListsOfStore } from './outreach';
import { listCampaigns, listRejections, requireCampaign, setEnabled } from './repository';

const NewCampaign = /* @__PURE__ */ droppable(() => z.object({ name: Text(200) }));
const CampaignParams = /* @__PURE__ */ droppable(() => z.object({ campaignId: Id }));
const StoreParams = /* @__PURE__ */ droppable(() => z.object({ storeId: StoreId }));
const StoreListParams = /* @__PURE__ */ droppable(() => z.object({ storeId: StoreId, campaignId: Id }));

export const handler = httpApi({
  'POST /campaigns': route({ roles: ADMIN, body: NewCampaign }, async ({ body }) =>
    created(await createCampaignWithUpload(body.name, systemClock())),
  ),

  'GET /campaigns': route({ roles: ADMIN, query: pageQuery }, async ({ query }) => {
    const page = await listCampaigns(query.limit, query.cursor);
    return ok({ items: page.items.map(summary), nextCursor: page.nextCursor });
  }),

  'GET /campaigns/{campaignId}': route({ roles: ADMIN, params: CampaignParams }, async ({ params }) =>
    ok(await campaignDetails(params.campaignId)),
  ),

  'GET /campaigns/{campaignId}/rejections': route(
    { roles: ADMIN, params: CampaignParams, query: pageQuery },
    async ({ params, query }) => {
      await requireCampaign(params.campaignId);
      return ok(await listRejections(params.campaignId, query.limit, query.cursor));
    },
  ),

  'POST /campaigns/{campaignId}/enable': route({ roles: ADMIN, params: CampaignParams }, async ({ params }) => {
    await setEnabled(params.campaignId, true);
    return ok(summary(await requireCampaign(params.campaignId)));
  }),

  'POST /campaigns/{campaignId}/disable': route({ roles: ADMIN, params: CampaignParams }, async ({ params }) => {
    await setEnabled(params.campaignId, false);
    return ok(summary(await requireCampaign(params.campaignId)));
  }),

  'DELETE /campaigns/{campaignId}': route({ roles: ADMIN, params: CampaignParams }, async ({ params }) => {
    await deleteCampaign(params.campaignId, systemClock());
    return noContent();
  }),

  'GET /stores/{storeId}/outreach-lists': route(
    { roles: ANY_ROLE, params: StoreParams },
    async ({ params, principal }) => {
      requireStoreAccess(principal, params.storeId);
      return ok({ items: await outreachListsOfStore(params.storeId), nextCursor: null });
    },
  ),

  'GET /stores/{storeId}/outreach-lists/{campaignId}': route(
    { roles: ANY_ROLE, params: StoreListParams, query: pageQuery },
    async ({ params, query, principal }) => {
      requireStoreAccess(principal, params.storeId);
      return ok(await outreachListPage(params.storeId, params.campaignId, query.limit, query.cursor));
    },
  ),
});

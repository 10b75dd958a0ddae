/** Reports: a campaign's (admin), a store's per associate (its manager, admin), and campaign exports. */
import { systemClock } from '../shared/clock';
import { ForbiddenError } from '../shared/errors';
import { httpApi, json, ok, route } from '../shared/http';
import { ADMIN, ANY_ROLE, requireStoreAccess } from '../shared/principal';
import { exportState, requestExport } from './export-campaign';
import { CampaignParams, ExportParams, StoreParams, StoreReportQuery } from './model';
import { campaignReport } from './report-campaign';
import { storeReport } from './report-store';

export const handler = httpApi({
  'GET /campaigns/{campaignId}/report': route({ roles: ADMIN, params: CampaignParams }, async ({ params }) =>
    ok(await campaignReport(params.campaignId)),
  ),

  'POST /campaigns/{campaignId}/exports': route({ roles: ADMIN, params: CampaignParams }, async ({ params }) =>
    json(202, await requestExport(params.campaignId, systemClock())),
  ),

  'GET /campaigns/{campaignId}/exports/{exportId}': route({ roles: ADMIN, params: ExportParams }, async ({ params }) =>
    ok(await exportState(params.campaignId, params.exportId, systemClock())),
  ),

  'GET /stores/{storeId}/report': route(
    { roles: ANY_ROLE, params: StoreParams, query: StoreReportQuery },
    async ({ params, query, principal }) => {
      requireStoreAccess(principal, params.storeId);
      if (!principal.isAdmin && !principal.roles.includes('manager'))
        throw new ForbiddenError("Only the store's manager or an admin may read its report.");
      return ok(await storeReport(params.storeId, query.from, query.to));
    },
  ),
});

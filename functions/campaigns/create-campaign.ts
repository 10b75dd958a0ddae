/** Creating a campaign (admin): the campaign, PROCESSING and disabled, and the presigned PUT for its file. */
import { loadS3 } from '../shared/s3';
import { loadConfig } from '../shared/config';
import { newCampaignId } from './importer';
import { createCampaign } from './repository';
import { UPLOAD_URL_SECONDS, uploadKeyOf } from './rules';

const CSV_CONTENT_TYPE = 'text/csv';

export interface CampaignUpload {
  campaignId: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

/** Creates the campaign (PROCESSING, disabled) and a presigned PUT for its file; the upload starts the import. */
export async function createCampaignWithUpload(name: string, now: Date): Promise<CampaignUpload> {
  const campaignId = newCampaignId();
  await createCampaign({ campaignId, name, now });
  const { client, sdk } = await loadS3();
  const command = new sdk.PutObjectCommand({
    Bucket: loadConfig('uploads').uploads,
    Key: uploadKeyOf(campaignId),
    ContentType: CSV_CONTENT_TYPE,
  });
  const url = await sdk.getSignedUrl(client, command, {
    expiresIn: UPLOAD_URL_SECONDS,
    signableHeaders: new Set(['content-type']),
  });
  return {
    campaignId,
    upload: {
      url,
      method: 'PUT',
      headers: { 'Content-Type': CSV_CONTENT_TYPE },
      expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    },
  };
}

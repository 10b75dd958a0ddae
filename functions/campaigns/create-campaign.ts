/** Creating a campaign (admin): the campaign, PROCESSING and disabled, and the presigned PUT for its file. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '../shared/clients';
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
  const command = new PutObjectCommand({
    Bucket: loadConfig('uploads').uploads,
    Key: uploadKeyOf(campaignId),
    ContentType: CSV_CONTENT_TYPE,
  });
  const url = await getSignedUrl(s3, command, {
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

/**
 * The WhatsApp templates (docs/rules.md, "WhatsApp templates"): one item per template in the
 * deployment's template partition, written by `PUT /whatsapp/templates/{id}` and by the status
 * refresh. Keys: ./keys.ts.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryAll, queryPage } from '../../shared/dynamo/batches';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import type { WhatsAppTemplate } from '../model';
import type { TemplateStatus } from '../whatsapp-rules';
import { WHATSAPP_TEMPLATE_PREFIX, WHATSAPP_TEMPLATES_PK, whatsAppTemplateKey } from './keys';
import { tableName, type Item } from '../../shared/dynamo/table';

const FIELDS = [
  'templateId',
  'contentSid',
  'name',
  'language',
  'category',
  'purpose',
  'text',
  'variables',
  'status',
  'statusCheckedAt',
] as const satisfies ReadonlyArray<keyof WhatsAppTemplate>;

/** The stored item as the API shows it: the template's fields, no keys. */
const toTemplate = (item: Item): WhatsAppTemplate =>
  Object.fromEntries(FIELDS.map((field) => [field, item[field]])) as unknown as WhatsAppTemplate;

const templatesQuery = {
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
  ExpressionAttributeValues: { ':pk': WHATSAPP_TEMPLATES_PK, ':prefix': WHATSAPP_TEMPLATE_PREFIX },
};

/** Creates or replaces a template; `created` says whether there was none before. */
export async function putWhatsAppTemplate(template: WhatsAppTemplate): Promise<{ created: boolean }> {
  const out = await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...whatsAppTemplateKey(template.templateId), ...template },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return { created: out.Attributes === undefined };
}

export async function getWhatsAppTemplate(templateId: string): Promise<WhatsAppTemplate | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: whatsAppTemplateKey(templateId) }),
  );
  return out.Item && toTemplate(out.Item);
}

/** The templates by id, paged (`GET /whatsapp/templates`). */
export async function listWhatsAppTemplates(limit: number, cursor?: string): Promise<Page<WhatsAppTemplate>> {
  const page = await queryPage(
    { TableName: tableName(), ...templatesQuery },
    { limit, cursor, partition: { pk: WHATSAPP_TEMPLATES_PK }, prefixes: { sk: WHATSAPP_TEMPLATE_PREFIX } },
  );
  return { items: page.items.map(toTemplate), nextCursor: page.nextCursor };
}

/** Every template (the status refresh: a deployment has tens of them). */
export async function allWhatsAppTemplates(): Promise<WhatsAppTemplate[]> {
  return (await queryAll({ TableName: tableName(), ...templatesQuery })).map(toTemplate);
}

/**
 * Records a status read at `checkedAt` for the content it was read for. Answers false, writing
 * nothing, when the template moved on meanwhile: it was removed, a PUT gave it another
 * contentSid, or a check later than this one is stored already.
 */
export async function recordWhatsAppTemplateStatus(
  template: Pick<WhatsAppTemplate, 'templateId' | 'contentSid'>,
  status: TemplateStatus,
  checkedAt: Date,
): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: whatsAppTemplateKey(template.templateId),
        UpdateExpression: 'SET #status = :status, statusCheckedAt = :at',
        ConditionExpression: 'contentSid = :sid AND statusCheckedAt <= :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':at': checkedAt.toISOString(), ':sid': template.contentSid },
      }),
    ),
  );
}

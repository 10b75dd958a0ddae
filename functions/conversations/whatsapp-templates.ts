/**
 * WhatsApp templates (docs/rules.md, "WhatsApp templates"): registering one with its approval
 * status read live from Twilio's Content API, listing them, the hourly refresh of every status,
 * and the one check a WhatsApp send makes before a template goes out (sendableTemplate).
 */
import { RuleViolationError, ServiceUnavailableError, ValidationError } from '../shared/errors';
import { forEachConcurrently } from '../shared/concurrency';
import { logger } from '../shared/logger';
import type { Page } from '../shared/pagination';
import { ContentApiUnavailableError, fetchContentApproval } from './messenger';
import type { Message, WhatsAppTemplate, WhatsAppTemplateBody } from './model';
import {
  allWhatsAppTemplates,
  getWhatsAppTemplate,
  listWhatsAppTemplates,
  putWhatsAppTemplate,
  recordWhatsAppTemplateStatus,
} from './repository';
import {
  fillContentVariables,
  marketingRefusal,
  templateRefusal,
  templateStatusOf,
  variableMismatch,
  type TemplatePurpose,
  type TemplateStatus,
} from './whatsapp-rules';

/** When an admin may try a PUT again after the Content API did not answer. */
const CONTENT_API_RETRY_AFTER_SECONDS = 30;
/** Content API reads of one refresh run in flight at once. */
const REFRESH_CONCURRENCY = 4;

/** The text's placeholders and the declared variables must be the same names: a 400 naming `variables` otherwise. */
function checkVariables(body: WhatsAppTemplateBody): void {
  const { missing, unused } = variableMismatch(body.text, body.variables);
  if (missing.length === 0 && unused.length === 0) return;
  const detail = [
    missing.length > 0 ? `the text uses ${missing.map((n) => `{{${n}}}`).join(', ')} but variables do not name it` : '',
    unused.length > 0 ? `variables name ${unused.join(', ')} but the text never uses it` : '',
  ]
    .filter(Boolean)
    .join('; ');
  throw new ValidationError(`The template's variables and its text disagree: ${detail}.`, [
    { in: 'body', field: 'variables', detail },
  ]);
}

/**
 * The status Twilio gives a Content SID now. A SID Twilio does not know is a 422 naming
 * `contentSid`; no answer is a 503 (the caller stores nothing).
 */
async function approvalOf(contentSid: string): Promise<TemplateStatus> {
  let approval: Awaited<ReturnType<typeof fetchContentApproval>>;
  try {
    approval = await fetchContentApproval(contentSid);
  } catch (error) {
    if (!(error instanceof ContentApiUnavailableError)) throw error;
    throw new ServiceUnavailableError(
      `Could not read the template's approval from Twilio (${error.message}); nothing was stored. Try again.`,
      CONTENT_API_RETRY_AFTER_SECONDS,
    );
  }
  if (!approval)
    throw new RuleViolationError(`Twilio has no content ${contentSid} in this account.`, 'unknown-content', [
      { in: 'body', field: 'contentSid', detail: 'no such content at Twilio' },
    ]);
  return templateStatusOf(approval.status);
}

/**
 * `PUT /whatsapp/templates/{templateId}` (admins):
 * 1. the text's placeholders and the variables must agree (400 naming `variables`);
 * 2. the approval is read from Twilio's Content API: an unknown contentSid is a 422 naming it;
 *    no answer is a 503 and nothing is stored, since a status nobody read (the previous one may
 *    belong to another content) must never make a template sendable;
 * 3. the template is stored, created or replaced, with that status checked `now`.
 */
export async function saveWhatsAppTemplate(
  templateId: string,
  body: WhatsAppTemplateBody,
  now: Date,
): Promise<{ template: WhatsAppTemplate; created: boolean }> {
  checkVariables(body);
  const status = await approvalOf(body.contentSid);
  const template: WhatsAppTemplate = { templateId, ...body, status, statusCheckedAt: now.toISOString() };
  const { created } = await putWhatsAppTemplate(template);
  return { template, created };
}

/** `GET /whatsapp/templates`: every template with its last known status, by id. */
export const whatsAppTemplates = (limit: number, cursor?: string): Promise<Page<WhatsAppTemplate>> =>
  listWhatsAppTemplates(limit, cursor);

/** What one refresh run did. */
export interface TemplateRefreshSummary {
  /** Templates whose approval was read and recorded. */
  checked: number;
  /** Of those, the ones whose status changed. */
  changed: number;
  /** The Content API did not answer for these: their status and statusCheckedAt stay as they were. */
  unreachable: number;
  /** Twilio no longer has their content: REJECTED, so they are not sent. */
  gone: number;
  /** Not reached before the run's deadline: the next run reads them. */
  left: number;
}

/**
 * The `whatsapp-templates` schedule: reads every template's approval again and records it as
 * checked `now`, so a template WhatsApp approves, pauses or rejects later is sendable (or not)
 * within the hour.
 * 1. A status read is recorded only for the content it was read for, and only over an older
 *    check (a PUT meanwhile wins).
 * 2. A Content SID Twilio no longer has becomes REJECTED.
 * 3. No answer leaves the template as it was (its old statusCheckedAt shows it); the run goes on
 *    and the next one tries again: a Twilio outage is not this function's failure.
 * 4. No new read starts after `deadline`.
 */
export async function refreshWhatsAppTemplates(now: Date, deadline: number): Promise<TemplateRefreshSummary> {
  const summary: TemplateRefreshSummary = { checked: 0, changed: 0, unreachable: 0, gone: 0, left: 0 };
  await forEachConcurrently(await allWhatsAppTemplates(), REFRESH_CONCURRENCY, async (template) => {
    if (Date.now() > deadline) {
      summary.left++;
      return;
    }
    let status: TemplateStatus;
    try {
      const approval = await fetchContentApproval(template.contentSid);
      if (!approval) summary.gone++;
      status = approval ? templateStatusOf(approval.status) : 'REJECTED';
    } catch (error) {
      if (!(error instanceof ContentApiUnavailableError)) throw error;
      summary.unreachable++;
      logger.warn('whatsapp template approval not read', { templateId: template.templateId, error });
      return;
    }
    if (!(await recordWhatsAppTemplateStatus(template, status, now))) return;
    summary.checked++;
    if (status === template.status) return;
    summary.changed++;
    logger.info('whatsapp template status changed', {
      templateId: template.templateId,
      from: template.status,
      to: status,
    });
  });
  return summary;
}

/**
 * The template a WhatsApp send may use: an unknown templateId is a 400 naming it; one that is
 * not APPROVED (pending, rejected, paused) is a 422 `template-not-approved`, before Twilio.
 */
export async function sendableTemplate(templateId: string, field = 'templateId'): Promise<WhatsAppTemplate> {
  const template = await getWhatsAppTemplate(templateId);
  if (!template)
    throw new ValidationError(`There is no WhatsApp template ${templateId}.`, [
      { in: 'body', field, detail: 'unknown WhatsApp template' },
    ]);
  const refusal = templateRefusal(template);
  if (refusal) throw new RuleViolationError(refusal.detail, refusal.rule);
  return template;
}

/**
 * What a WhatsApp template send carries to this customer: the template (APPROVED: sendableTemplate),
 * its variables filled (fillContentVariables; a missing or unknown one is a 400 naming it), and
 * its text for the chat. A MARKETING template to a US number is a 422 `marketing-to-us` (Twilio
 * 63049), never sent. `field`: the body field that named the template.
 */
export async function templateSend(
  templateId: string,
  given: Readonly<Record<string, string>>,
  customer: { firstName?: string; lastName?: string; phone?: string },
  field = 'contentTemplateId',
): Promise<{ template: WhatsAppTemplate; text: string; content: NonNullable<Message['content']> }> {
  const template = await sendableTemplate(templateId, field);
  const marketing = marketingRefusal(template.category, customer.phone ?? '');
  if (marketing) throw new RuleViolationError(marketing.detail, marketing.rule);
  const filled = fillContentVariables(template, given, customer);
  const errors = [
    ...filled.missing.map((name) => ({
      in: 'body' as const,
      field: `variables.${name}`,
      detail: 'required by the template',
    })),
    ...filled.unknown.map((name) => ({
      in: 'body' as const,
      field: `variables.${name}`,
      detail: 'not a variable of this template',
    })),
  ];
  if (errors.length > 0)
    throw new ValidationError(`WhatsApp template ${templateId}: its variables do not match.`, errors);
  return {
    template,
    text: filled.text,
    content: { templateId, contentSid: template.contentSid, variables: filled.variables },
  };
}

/** The approved template of this purpose (OPT_IN, RECONNECT), or a 422 `no-approved-template` naming the purpose. */
export async function approvedTemplateFor(purpose: TemplatePurpose): Promise<WhatsAppTemplate> {
  const template = (await allWhatsAppTemplates()).find((t) => t.purpose === purpose && t.status === 'APPROVED');
  if (!template)
    throw new RuleViolationError(
      `No APPROVED WhatsApp template has the purpose ${purpose}: register one (PUT /whatsapp/templates/{templateId}) and wait for WhatsApp's approval.`,
      'no-approved-template',
    );
  return template;
}

/**
 * What a system text of this purpose (a cart link) becomes outside the window: the approved
 * template of the purpose (approvedTemplateFor, 422 `no-approved-template`), filled with the
 * values it declares among those given and the customer's names (templateSend: MARKETING to a US
 * number, or a variable nobody fills, is refused as for any template send).
 */
export async function purposeTemplateSend(
  purpose: TemplatePurpose,
  values: Readonly<Record<string, string>>,
  customer: { firstName?: string; lastName?: string; phone?: string },
): Promise<{ text: string; content: NonNullable<Message['content']> }> {
  const template = await approvedTemplateFor(purpose);
  const given = Object.fromEntries(
    template.variables.flatMap((name) => (values[name] === undefined ? [] : [[name, values[name]]])),
  );
  const { text, content } = await templateSend(template.templateId, given, customer);
  return { text, content };
}

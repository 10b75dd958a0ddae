/** WhatsApp templates: admins register them (PUT, the approval read from Twilio), every user lists them with their status. */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { created, httpApi, ok, route } from '../shared/http';
import { pageQuery } from '../shared/pagination';
import { ADMIN, ANY_ROLE } from '../shared/principal';
import { systemClock } from '../shared/clock';
import { Id } from '../shared/validation';
import { WhatsAppTemplateBody } from './model';
import { saveWhatsAppTemplate, whatsAppTemplates } from './whatsapp-templates';

const TemplateParams = /* @__PURE__ */ droppable(() => z.object({ templateId: Id }));

export const handler = httpApi({
  'GET /whatsapp/templates': route({ roles: ANY_ROLE, query: pageQuery }, async ({ query }) =>
    ok(await whatsAppTemplates(query.limit, query.cursor)),
  ),
  'PUT /whatsapp/templates/{templateId}': route(
    { roles: ADMIN, params: TemplateParams, body: WhatsAppTemplateBody },
    async ({ params, body }) => {
      const saved = await saveWhatsAppTemplate(params.templateId, body, systemClock());
      return saved.created ? created(saved.template) : ok(saved.template);
    },
  ),
});

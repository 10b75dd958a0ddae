/** Every hour: reads each WhatsApp template's approval from Twilio's Content API again and records what changed. */
import { scheduledJob } from '../shared/schedule';
import { refreshWhatsAppTemplates } from './whatsapp-templates';

export const handler = scheduledJob('whatsapp templates', (now, _event, deadline) =>
  refreshWhatsAppTemplates(now, deadline),
);

/**
 * Quick reply templates: English, text and links only (no rich media), `{{variable}}`
 * placeholders filled in and validated before anything is sent.
 */
import { ValidationError } from '../shared/errors';
import type { Template } from './model';
import { fillTemplate, templateVariables } from './rules';

const TEXTS: ReadonlyArray<Omit<Template, 'variables'>> = [
  {
    templateId: 'new-arrivals',
    name: 'New arrivals',
    text: 'Hi {{firstName}}, new arrivals just landed that made me think of you: {{link}}',
  },
  {
    templateId: 'back-in-stock',
    name: 'Back in stock',
    text: 'Hi {{firstName}}, good news: {{product}} is back in stock. Take a look: {{link}}',
  },
  {
    templateId: 'order-ready',
    name: 'Ready for pickup',
    text: 'Hi {{firstName}}, your items are ready for pickup at the store. See you soon!',
  },
  {
    templateId: 'thank-you',
    name: 'Thank you',
    text: 'Thank you for visiting us today, {{firstName}}! Reply here any time if you have questions.',
  },
  {
    templateId: 'appointment',
    name: 'Appointment reminder',
    text: 'Hi {{firstName}}, a reminder of your styling appointment on {{date}}. Reply to reschedule.',
  },
];

export const TEMPLATES: readonly Template[] = TEXTS.map((t) => ({ ...t, variables: templateVariables(t.text) }));

export const listTemplates = (): readonly Template[] => TEMPLATES;

/** The template's text with its variables filled in; an unknown template or a missing variable is a 400 naming it. */
export function renderTemplate(templateId: string, variables: Readonly<Record<string, string>> = {}): string {
  const template = TEMPLATES.find((t) => t.templateId === templateId);
  if (!template)
    throw new ValidationError(`There is no template ${templateId}.`, [
      { in: 'body', field: 'templateId', detail: 'unknown template' },
    ]);
  const filled = fillTemplate(template.text, variables);
  if (filled.ok) return filled.text;
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
  const parts = [
    filled.missing.length > 0
      ? `missing variable${filled.missing.length > 1 ? 's' : ''} ${filled.missing.join(', ')}`
      : '',
    filled.unknown.length > 0
      ? `unknown variable${filled.unknown.length > 1 ? 's' : ''} ${filled.unknown.join(', ')}`
      : '',
  ].filter(Boolean);
  throw new ValidationError(`Template ${templateId}: ${parts.join('; ')}.`, errors);
}

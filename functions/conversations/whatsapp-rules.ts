/**
 * WhatsApp template rules, pure (no AWS, no I/O): what a template is (category, purpose, status),
 * how Twilio's Content API approval status reads as ours, which templates may be sent, and
 * Meta's refusal of marketing templates to US numbers (Twilio 63049). docs/rules.md, "WhatsApp
 * templates". A family of its own beside ./rules.ts, as ./delivery-rules.ts is.
 */

export const TEMPLATE_CATEGORIES = ['UTILITY', 'MARKETING'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** What the app sends a template for: the opt-in request, reopening a closed window, a cart link, anything else. */
export const TEMPLATE_PURPOSES = ['OPT_IN', 'RECONNECT', 'CART', 'OTHER'] as const;
export type TemplatePurpose = (typeof TEMPLATE_PURPOSES)[number];

/** Our reading of WhatsApp's approval; only APPROVED templates can be sent. */
export const TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/**
 * A Content SID: `HX`, then letters or digits, at most 64 in all. Twilio's are 32 hex digits; a
 * longer format would still pass, as other SIDs do at the webhooks (docs/architecture.md, "HTTP
 * API"). Whether Twilio has such content is Twilio's to say (a 422 on PUT).
 */
export const CONTENT_SID = /^HX[A-Za-z0-9]{1,62}$/;

/**
 * Twilio's `whatsapp.status` of an approval request, as ours:
 * - `approved` → APPROVED;
 * - `unsubmitted`, `received`, `pending` → PENDING (not yet decided, or never submitted: not sendable yet);
 * - `rejected` → REJECTED, and `disabled` too (Meta disabled it for good; it needs a new template);
 * - `paused` → PAUSED (Meta paused it for its quality rating; it may come back).
 * Anything else (a status Twilio adds later, or none at all) reads as PENDING: never sendable by surprise.
 */
const TWILIO_APPROVAL: Readonly<Record<string, TemplateStatus>> = {
  approved: 'APPROVED',
  unsubmitted: 'PENDING',
  received: 'PENDING',
  pending: 'PENDING',
  rejected: 'REJECTED',
  disabled: 'REJECTED',
  paused: 'PAUSED',
};

/** Our status for Twilio's approval status (see TWILIO_APPROVAL). */
export function templateStatusOf(twilioStatus: string | undefined): TemplateStatus {
  return TWILIO_APPROVAL[(twilioStatus ?? '').trim().toLowerCase()] ?? 'PENDING';
}

/** Why a template may not be sent now, or undefined when it may: only APPROVED ones go out. */
export function templateRefusal(template: {
  templateId: string;
  status: TemplateStatus;
}): { rule: 'template-not-approved'; detail: string } | undefined {
  if (template.status === 'APPROVED') return undefined;
  return {
    rule: 'template-not-approved',
    detail: `The WhatsApp template ${template.templateId} is ${template.status}: only templates WhatsApp approved can be sent.`,
  };
}

/** `{{1}}` or `{{name}}`: the placeholders of a Content API template's text. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * How a template's declared variables and its text's placeholders disagree: placeholders the
 * variables do not name (`missing`) and variables the text never uses (`unused`).
 */
export function variableMismatch(text: string, variables: readonly string[]): { missing: string[]; unused: string[] } {
  const placeholders = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
  return {
    missing: placeholders.filter((name) => !variables.includes(name)),
    unused: variables.filter((name) => !placeholders.includes(name)),
  };
}

/**
 * A template's variables for one customer: those given, and `firstName`/`lastName` from the
 * customer when the template declares them and none is given. `missing`: declared, still without
 * a value; `unknown`: given, not declared. `text`: the template's text filled in, for the chat.
 */
export function fillContentVariables(
  template: { text: string; variables: readonly string[] },
  given: Readonly<Record<string, string>>,
  customer: { firstName?: string; lastName?: string },
): { variables: Record<string, string>; text: string; missing: string[]; unknown: string[] } {
  const fromCustomer: Record<string, string | undefined> = {
    firstName: customer.firstName,
    lastName: customer.lastName,
  };
  const variables: Record<string, string> = {};
  for (const name of template.variables) {
    const value = given[name] ?? fromCustomer[name];
    if (value !== undefined) variables[name] = value;
  }
  return {
    variables,
    text: template.text.replace(PLACEHOLDER, (whole, name: string) => variables[name] ?? whole),
    missing: template.variables.filter((name) => variables[name] === undefined),
    unknown: Object.keys(given).filter((name) => !template.variables.includes(name)),
  };
}

// ── marketing to US numbers ─────────────────────────────────────────────────────────────────

/** Twilio's error when Meta does not deliver a marketing template (to US numbers since April 2025). */
export const MARKETING_UNDELIVERABLE_ERROR_CODE = 63049;

/**
 * The +1 area codes that are not the United States: Canada and the other NANP countries
 * (Bermuda, the Bahamas, the Caribbean). US territories (Puerto Rico, Guam, the US Virgin
 * Islands, …) have US area codes and count as US, as Meta reads "a US phone number".
 */
const NON_US_NANP_AREA_CODES: ReadonlySet<string> = new Set(
  [
    // Canada
    '204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 450 460 468 474',
    '506 514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879',
    '902 905 942',
    // Bermuda, the Bahamas and the Caribbean countries
    '242 246 264 268 284 345 441 473 649 658 664 721 758 767 784 809 829 849 868 869 876',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Whether a recipient is in the US: an ISO 3166-1 country code (`US`), or a phone number in
 * E.164, with or without Twilio's `whatsapp:` prefix (+1 and a US area code).
 */
export function isUsRecipient(recipientCountryOrPhone: string): boolean {
  const value = recipientCountryOrPhone.trim();
  if (/^[A-Za-z]{2}$/.test(value)) return value.toUpperCase() === 'US';
  const nanp = /^\+1(\d{3})\d{7}$/.exec(value.replace(/^whatsapp:/i, ''));
  return nanp !== null && !NON_US_NANP_AREA_CODES.has(nanp[1]!);
}

/**
 * Why a template of this category may not go to this recipient, or undefined when it may: Meta
 * delivers no MARKETING template to a US number (Twilio fails it with 63049), so it is refused
 * before Twilio. UTILITY templates go anywhere.
 */
export function marketingRefusal(
  category: TemplateCategory,
  recipientCountryOrPhone: string,
): { rule: 'marketing-to-us'; twilioCode: number; detail: string } | undefined {
  if (category !== 'MARKETING' || !isUsRecipient(recipientCountryOrPhone)) return undefined;
  return {
    rule: 'marketing-to-us',
    twilioCode: MARKETING_UNDELIVERABLE_ERROR_CODE,
    detail:
      'WhatsApp delivers no marketing template to US numbers (Twilio 63049): use a UTILITY template, or SMS, for this customer.',
  };
}

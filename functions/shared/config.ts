/**
 * Environment, parsed once at cold start with zod. A function asks only for what its manifest
 * entry binds (`uses`), so a missing variable fails the cold start with the variable's name.
 */
import * as z from 'zod';
import { ENV } from './env-names';

type Binding = keyof typeof ENV;

const schemas = {
  table: z.string().min(1),
  uploads: z.string().min(1),
  images: z.string().min(1),
  importQueue: z.string().min(1),
  inboundQueue: z.string().min(1),
  senderQueue: z.string().min(1),
  bulkSenderQueue: z.string().min(1),
  mediaQueue: z.string().min(1),
  attributionQueue: z.string().min(1),
  erasureQueue: z.string().min(1),
  twilioSecret: z.string().min(1).optional(),
  paymentSecret: z.string().min(1).optional(),
  suppressionSecret: z.string().min(1).optional(),
  cursorSecret: z.string().min(1).optional(),
  /** Without a trailing slash, so every link is `${publicBaseUrl}/path`. */
  publicBaseUrl: z.url().transform((url) => url.replace(/\/+$/, '')),
  paymentCheckoutUrl: z.string().min(1).optional(),
  zoneScheduleGroup: z.string().min(1),
  zoneScheduleTarget: z.string().min(1),
  zoneScheduleRole: z.string().min(1),
  eventBus: z.string().min(1),
  webSocketCallbackUrl: z.url(),
  userPoolId: z.string().min(1),
  userPoolClientId: z.string().min(1),
} satisfies Record<Binding, z.ZodType>;

export type Config<B extends Binding> = { [K in B]: z.infer<(typeof schemas)[K]> };

/**
 * The local runtime runs every function in one process with one environment; it installs this
 * check so that a function reading a binding its manifest entry does not grant fails there as it
 * would on AWS (where the variable is simply not set). Unset on AWS.
 */
let grantCheck: ((binding: Binding) => void) | undefined;
export function checkGrantsWith(check: ((binding: Binding) => void) | undefined): void {
  grantCheck = check;
}

export function loadConfig<B extends Binding>(...bindings: B[]): Config<B> {
  const out: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const binding of bindings) {
    grantCheck?.(binding);
    const name = ENV[binding];
    const parsed = schemas[binding].safeParse(process.env[name]);
    if (parsed.success) out[binding] = parsed.data;
    else missing.push(`${name} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  if (missing.length > 0) throw new Error(`Invalid environment: ${missing.join(', ')}`);
  return out as Config<B>;
}

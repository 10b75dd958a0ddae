/**
 * Environment, parsed once at cold start with zod. A function asks only for what its manifest
 * entry binds (`uses`), so a missing variable fails the cold start with the variable's name.
 */
import * as z from 'zod/mini';
import { ENV } from './env-names';
import { checkFields } from './validation';

type Binding = keyof typeof ENV;

const schemas = {
  table: z.string().check(z.minLength(1)),
  uploads: z.string().check(z.minLength(1)),
  images: z.string().check(z.minLength(1)),
  importQueue: z.string().check(z.minLength(1)),
  inboundQueue: z.string().check(z.minLength(1)),
  senderQueue: z.string().check(z.minLength(1)),
  bulkSenderQueue: z.string().check(z.minLength(1)),
  mediaQueue: z.string().check(z.minLength(1)),
  attributionQueue: z.string().check(z.minLength(1)),
  erasureQueue: z.string().check(z.minLength(1)),
  twilioSecret: z.optional(z.string().check(z.minLength(1))),
  paymentSecret: z.optional(z.string().check(z.minLength(1))),
  suppressionSecret: z.optional(z.string().check(z.minLength(1))),
  cursorSecret: z.optional(z.string().check(z.minLength(1))),
  /** Without a trailing slash, so every link is `${publicBaseUrl}/path`. */
  publicBaseUrl: z.pipe(
    z.url(),
    z.transform((url) => url.replace(/\/+$/, '')),
  ),
  paymentCheckoutUrl: z.optional(z.string().check(z.minLength(1))),
  zoneScheduleGroup: z.string().check(z.minLength(1)),
  zoneScheduleTarget: z.string().check(z.minLength(1)),
  zoneScheduleRole: z.string().check(z.minLength(1)),
  eventBus: z.string().check(z.minLength(1)),
  webSocketCallbackUrl: z.url(),
  userPoolId: z.string().check(z.minLength(1)),
  userPoolClientId: z.string().check(z.minLength(1)),
} satisfies Record<Binding, z.ZodMiniType>;

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
    const parsed = checkFields(schemas[binding], process.env[name]);
    if (parsed.success) out[binding] = parsed.data;
    else missing.push(`${name} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  if (missing.length > 0) throw new Error(`Invalid environment: ${missing.join(', ')}`);
  return out as Config<B>;
}

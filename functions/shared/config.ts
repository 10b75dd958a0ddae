/**
 * Environment, parsed once at cold start with zod. A function asks only for what its manifest
 * entry binds (`uses`), so a missing variable fails the cold start with the variable's name.
 */
import * as z from 'zod/mini';
import { ENV } from './env-names';
import { checkFields } from './validation';

type Binding = keyof typeof ENV;

/** A variable that must be set and not empty. */
const name = () => z.string().check(z.minLength(1));
const optionalName = () => z.optional(name());

/**
 * Each binding's check, built when a function first asks for it: a function binds a few of the
 * twenty variables, and building every schema at each cold start cost more than reading them.
 */
const schemas = {
  table: name,
  uploads: name,
  images: name,
  importQueue: name,
  inboundQueue: name,
  senderQueue: name,
  bulkSenderQueue: name,
  mediaQueue: name,
  attributionQueue: name,
  erasureQueue: name,
  twilioSecret: optionalName,
  paymentSecret: optionalName,
  suppressionSecret: optionalName,
  cursorSecret: optionalName,
  /** Without a trailing slash, so every link is `${publicBaseUrl}/path`. */
  publicBaseUrl: () =>
    z.pipe(
      z.url(),
      z.transform((url) => url.replace(/\/+$/, '')),
    ),
  paymentCheckoutUrl: optionalName,
  zoneScheduleGroup: name,
  zoneScheduleTarget: name,
  zoneScheduleRole: name,
  eventBus: name,
  webSocketCallbackUrl: () => z.url(),
  userPoolId: name,
  userPoolClientId: name,
} satisfies Record<Binding, () => z.ZodMiniType>;
const built: Partial<Record<Binding, z.ZodMiniType>> = {};

export type Config<B extends Binding> = { [K in B]: z.infer<ReturnType<(typeof schemas)[K]>> };

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
    built[binding] ??= schemas[binding]();
    const parsed = checkFields(built[binding], process.env[name]);
    if (parsed.success) out[binding] = parsed.data;
    else missing.push(`${name} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  if (missing.length > 0) throw new Error(`Invalid environment: ${missing.join(', ')}`);
  return out as Config<B>;
}

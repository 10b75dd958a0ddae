/**
 * Tracing (docs/architecture.md, "Tracing"): a light X-Ray client in place of the Powertools
 * Tracer and the X-Ray SDK under it, which cost ~15 ms at every cold start (README "Measured").
 *
 * Every function has Lambda's active tracing: Lambda records the invocation (init, invocation,
 * overhead), runs the X-Ray daemon beside the function (`AWS_XRAY_DAEMON_ADDRESS`) and hands each
 * invocation its trace header (`Root=…;Parent=…;Sampled=1`, in `_X_AMZN_TRACE_ID` or Lambda's
 * invoke store). For a sampled invocation this module adds what the X-Ray SDK added:
 * - the handler as a subsegment, `## <handler>`, annotated `ColdStart` and `Service` (searchable
 *   in the X-Ray console), with a fault and the exception when the handler throws;
 * - every AWS SDK call as an `aws` subsegment under it (`traced`: service, operation, region,
 *   request id, retries, HTTP status, the table, queue or bucket), 4xx marked `error`, 429 and
 *   throttling errors `throttle`, 5xx and unanswered calls `fault`; the call carries the
 *   subsegment in `X-Amzn-Trace-Id`, so a message queued here continues the trace downstream;
 * - any other HTTP call wrapped in `tracedCall` (the Twilio REST client) as a `remote` subsegment.
 *
 * Each subsegment goes to the daemon as one UDP datagram when it closes, as the X-Ray SDK does in
 * Lambda. Without a daemon address or an unsampled header nothing is recorded and nothing is sent:
 * off Lambda (tests, the local stack) every call here is a pass-through.
 */
import type { Socket } from 'node:dgram';

/** One X-Ray subsegment document, as the daemon takes it (the X-Ray segment document format). */
export interface SubsegmentDocument {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  type: 'subsegment';
  start_time: number;
  end_time?: number;
  namespace?: 'aws' | 'remote';
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, Record<string, unknown>>;
  aws?: Record<string, string | number>;
  http?: { request?: { method: string; url: string }; response?: { status?: number } };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: {
    working_directory: string;
    exceptions: Array<{ id: string; message: string; type: string; remote?: boolean }>;
  };
}

/** The invocation's trace, as its header says: only a sampled one is recorded. */
export interface TraceContext {
  readonly traceId: string;
  readonly parentId: string;
}

/** `Root=1-…;Parent=…;Sampled=1` → the trace, or undefined when it is absent, malformed or not sampled. */
export function parseTraceHeader(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map(
    header.split(';').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const traceId = fields.get('Root');
  const parentId = fields.get('Parent');
  if (!traceId || !parentId || fields.get('Sampled') !== '1') return undefined;
  return { traceId, parentId };
}

/** The daemon's UDP address: `host:port`, or `tcp:host:port udp:host:port` (the form Lambda may set). */
export function daemonAddress(value: string | undefined): { host: string; port: number } | undefined {
  const udp = value?.split(/\s+/).find((part) => !part.startsWith('tcp:'));
  const match = udp && /^(?:udp:)?([^:]+):(\d+)$/.exec(udp);
  return match ? { host: match[1]!, port: Number(match[2]) } : undefined;
}

/** The current invocation's trace header: Lambda's invoke store where invocations share a process, else the variable. */
function currentTraceHeader(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } } })
    .awslambda?.InvokeStore;
  return store?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
}

const newId = (): string => {
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  return randomBytes(8).toString('hex');
};
const now = (): number => Date.now() / 1000;

const PROTOCOL_HEADER = '{"format":"json","version":1}\n';

/** Sends one closed subsegment to the daemon: a socket per datagram, closed once sent (the X-Ray SDK's way in Lambda). */
function emit(document: SubsegmentDocument): void {
  const daemon = daemonAddress(process.env.AWS_XRAY_DAEMON_ADDRESS);
  if (!daemon) return;
  const { createSocket } = process.getBuiltinModule('node:dgram');
  const socket: Socket = createSocket('udp4');
  socket.unref();
  socket.send(PROTOCOL_HEADER + JSON.stringify(document), daemon.port, daemon.host, () => socket.close());
}

/** The handler subsegment of each invocation in flight, by trace header: SDK calls nest under it. */
const handlers = new Map<string, SubsegmentDocument>();

/** A new subsegment under the invocation's handler (or straight under Lambda's segment), or undefined when not traced. */
function open(name: string): SubsegmentDocument | undefined {
  if (!process.env.AWS_XRAY_DAEMON_ADDRESS) return undefined;
  const header = currentTraceHeader();
  const trace = parseTraceHeader(header);
  if (!trace) return undefined;
  const handler = handlers.get(header!);
  return {
    name,
    id: newId(),
    trace_id: trace.traceId,
    parent_id: handler?.id ?? trace.parentId,
    type: 'subsegment',
    start_time: now(),
  };
}

function close(subsegment: SubsegmentDocument): void {
  subsegment.end_time = now();
  emit(subsegment);
}

/** Records `error` on a subsegment (remote: it came from the service called), faulted unless a 4xx already marked it `error`. */
function recordError(subsegment: SubsegmentDocument, error: unknown, remote: boolean): void {
  if (!subsegment.error) subsegment.fault = true;
  const failure = error instanceof Error ? error : new Error(String(error));
  subsegment.cause = {
    working_directory: process.cwd(),
    exceptions: [{ id: newId(), message: failure.message, type: failure.name, ...(remote ? { remote: true } : {}) }],
  };
}

/** Sets the flags an HTTP status implies: 4xx error (429 also throttle), 5xx fault. */
function flagStatus(subsegment: SubsegmentDocument, status: number | undefined): void {
  if (status === undefined) return;
  if (status === 429) subsegment.throttle = true;
  if (status >= 400 && status < 500) subsegment.error = true;
  if (status >= 500) subsegment.fault = true;
}

let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';

/**
 * The handler subsegment's middy step (handler-chain.ts): opens `## <handler>` before the
 * handler, closes it after, with the exception when it throws. The response is recorded (as
 * metadata, under the service's name) only with `captureResponse`: most answers carry customers'
 * personal data.
 */
export function traceHandler(options: { captureResponse?: boolean } = {}) {
  const service = () => process.env.POWERTOOLS_SERVICE_NAME ?? 'clienteling';
  const subsegmentOf = new WeakMap<object, { header: string; subsegment: SubsegmentDocument }>();
  const finish = (request: object & { response?: unknown }, error?: unknown) => {
    const inFlight = subsegmentOf.get(request);
    if (!inFlight) return;
    subsegmentOf.delete(request);
    handlers.delete(inFlight.header);
    const { subsegment } = inFlight;
    if (error !== undefined) recordError(subsegment, error, false);
    else if (options.captureResponse)
      subsegment.metadata = { [service()]: { [`${subsegment.name.slice(3)} response`]: request.response } };
    close(subsegment);
  };
  return {
    before: (request: object) => {
      const subsegment = open(`## ${process.env._HANDLER ?? 'index.handler'}`);
      const wasCold = coldStart;
      coldStart = false;
      if (!subsegment) return;
      subsegment.annotations = { ColdStart: wasCold, Service: service() };
      const header = currentTraceHeader()!;
      handlers.set(header, subsegment);
      subsegmentOf.set(request, { header, subsegment });
    },
    after: (request: object & { response?: unknown }) => finish(request),
    onError: (request: object & { error?: unknown }) => finish(request, request.error ?? new Error('handler failed')),
  };
}

/**
 * Runs `call` (an HTTP call to a service other than AWS) as a `remote` subsegment named after
 * the host; `statusOf` reads the answer's HTTP status. A throw without a status is a fault.
 */
export async function tracedCall<T>(
  request: { method: string; url: string },
  call: () => Promise<T>,
  statusOf: (answer: T) => number | undefined,
): Promise<T> {
  const target = new URL(request.url);
  const subsegment = open(target.host);
  if (!subsegment) return call();
  subsegment.namespace = 'remote';
  subsegment.http = { request: { method: request.method.toUpperCase(), url: `${target.origin}${target.pathname}` } };
  try {
    const answer = await call();
    const status = statusOf(answer);
    subsegment.http.response = { status };
    flagStatus(subsegment, status);
    return answer;
  } catch (error) {
    recordError(subsegment, error, true);
    throw error;
  } finally {
    close(subsegment);
  }
}

/** What the SDK middleware sees of a client (structural, so this module imports no SDK). */
interface TracedClient {
  readonly config: { region: string | (() => Promise<string>) };
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: SdkArgs) => Promise<{ output?: { $metadata?: SdkMetadata } }>,
        context: { clientName?: string; commandName?: string },
      ) => (args: SdkArgs) => Promise<unknown>,
      options: { step: 'build'; name: string; override: boolean },
    ): void;
  };
}
interface SdkArgs {
  readonly input?: Record<string, unknown>;
  readonly request?: { headers?: Record<string, string> };
}
interface SdkMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

/** The resource a call names, under the key the X-Ray SDK records it with. */
const RESOURCE_FIELDS = { TableName: 'table_name', QueueUrl: 'queue_url', Bucket: 'bucket_name' } as const;

const THROTTLING = /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded/;

/**
 * An AWS SDK client whose calls are `aws` subsegments (retries included in one). Added at the
 * build step, outside the retries, as the X-Ray SDK does; the recursion-detection step then finds
 * our header and keeps it.
 */
export function traced<T>(client: T): T {
  const sdkClient = client as unknown as TracedClient;
  sdkClient.middlewareStack.add(
    (next, context) => async (args) => {
      const service = (context.clientName ?? 'AWS').replace(/Client$/, '').replace(/Document$/, '');
      const subsegment = open(service);
      if (!subsegment) return next(args);
      subsegment.namespace = 'aws';
      const region = sdkClient.config.region;
      const aws: Record<string, string | number> = {
        operation: (context.commandName ?? '').replace(/Command$/, ''),
        region: typeof region === 'function' ? await region() : region,
      };
      for (const [field, key] of Object.entries(RESOURCE_FIELDS))
        if (typeof args.input?.[field] === 'string') aws[key] = args.input[field] as string;
      subsegment.aws = aws;
      if (args.request?.headers)
        args.request.headers['X-Amzn-Trace-Id'] = `Root=${subsegment.trace_id};Parent=${subsegment.id};Sampled=1`;
      const describe = (metadata: SdkMetadata | undefined) => {
        if (metadata?.requestId) aws.request_id = metadata.requestId;
        aws.retries = Math.max(0, (metadata?.attempts ?? 1) - 1);
        if (metadata?.httpStatusCode !== undefined) subsegment.http = { response: { status: metadata.httpStatusCode } };
        flagStatus(subsegment, metadata?.httpStatusCode);
      };
      try {
        const result = await next(args);
        describe(result.output?.$metadata);
        return result;
      } catch (error) {
        const failure = error as { $metadata?: SdkMetadata; name?: string };
        describe(failure.$metadata);
        if (THROTTLING.test(failure.name ?? '')) subsegment.throttle = true;
        recordError(subsegment, error, true);
        throw error;
      } finally {
        close(subsegment);
      }
    },
    { step: 'build', name: 'clientelingXRay', override: true },
  );
  return client;
}

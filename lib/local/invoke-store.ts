/**
 * Per-invocation state for the functions the local runtime runs side by side in one process.
 *
 * The handlers share one Powertools logger (functions/shared/logger.ts). On AWS each execution
 * environment runs one invocation at a time, so the Lambda context and the keys a handler
 * appends belong to that invocation. Locally several invocations interleave, and a logger that
 * kept them on itself logged one function's lines under another's name (a refusal of the API
 * showed up with `function_name: EventsPublisher`). Powertools already knows how to keep that
 * state per invocation: where Lambda runs several invocations in one environment it sets
 * `AWS_LAMBDA_MAX_CONCURRENCY` and provides `awslambda.InvokeStore`, and the logger (and the
 * tracer, the batch processor) keep their per-invocation state there. The local runtime is such
 * a runtime, so it provides the same: this store, over AsyncLocalStorage, with each invocation
 * run in its own context (lib/local/lambda-runtime.ts).
 *
 * Unlike Lambda's store, code outside any invocation (the stack itself, a test calling a
 * repository) gets one shared context rather than an error, which is what it had before.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Store = Record<string | symbol, unknown>;

/** The fields Lambda's runtime sets on each invocation (the keys @aws/lambda-invoke-store uses). */
const PROTECTED = {
  requestId: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  xRayTraceId: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  tenantId: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
  traceparent: Symbol.for('_AWS_LAMBDA_TRACEPARENT'),
  tracestate: Symbol.for('_AWS_LAMBDA_TRACESTATE'),
  baggage: Symbol.for('_AWS_LAMBDA_BAGGAGE'),
} as const;

/** The interface of Lambda's InvokeStore that Powertools and the AWS SDK call. */
class LocalInvokeStore {
  private readonly contexts = new AsyncLocalStorage<Store>();
  private readonly outside: Store = {};

  private current(): Store {
    return this.contexts.getStore() ?? this.outside;
  }
  getContext(): Store | undefined {
    return this.contexts.getStore();
  }
  hasContext(): boolean {
    return this.contexts.getStore() !== undefined;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.current()[key] as T | undefined;
  }
  set<T = unknown>(key: string | symbol, value: T): void {
    this.current()[key] = value;
  }
  run<T>(context: Store, fn: () => T): T {
    return this.contexts.run(context, fn);
  }
  getRequestId(): string {
    return this.get<string>(PROTECTED.requestId) ?? '-';
  }
  getXRayTraceId(): string | undefined {
    return this.get(PROTECTED.xRayTraceId);
  }
  getTenantId(): string | undefined {
    return this.get(PROTECTED.tenantId);
  }
  getTraceparent(): string | undefined {
    return this.get(PROTECTED.traceparent);
  }
  getTracestate(): string | undefined {
    return this.get(PROTECTED.tracestate);
  }
  getBaggage(): string | undefined {
    return this.get(PROTECTED.baggage);
  }
}

let installed: LocalInvokeStore | undefined;

/**
 * Installs the store as `awslambda.InvokeStore` and turns on Powertools' per-invocation mode
 * (`AWS_LAMBDA_MAX_CONCURRENCY`, the number of invocations the local runtime may run at once:
 * it has no limit, the variable only has to be set). Once per process.
 */
function installInvokeStore(): LocalInvokeStore {
  if (installed) return installed;
  installed = new LocalInvokeStore();
  const global = globalThis as { awslambda?: { InvokeStore?: unknown } };
  global.awslambda ??= {};
  global.awslambda.InvokeStore = installed;
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
  return installed;
}

/** Runs one invocation in a context of its own: what its handler's logger holds is its alone. */
export function inInvocationContext<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  return installInvokeStore().run({ [PROTECTED.requestId]: requestId }, work);
}

/** Sets up the store before any handler runs (the logger reads it from its first line). */
export function prepareInvokeStore(): void {
  installInvokeStore();
}

/**
 * Runs the manifest's functions in this process the way Lambda would: the handler module is
 * imported once (the cold start) and called as `handler(event, context)` with a real-looking
 * Lambda context, with only the environment its grants set and only the partitions its table
 * grant's leading keys allow (./leading-keys.ts), each in a context of its own so the shared
 * logger never mixes one invocation's function name or keys into another's (./invoke-store.ts). Every invocation is recorded in a short log that `GET /_local/invocations`
 * serves, so one can see (and a test can check) which function a trigger reached.
 */
import type { Context } from 'aws-lambda';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AsyncLocalStorage } from 'node:async_hooks';
import { checkGrantsWith } from '../../functions/shared/config';
import { ENV } from '../../functions/shared/env-names';
import { grantedBindings, type FunctionSpec } from '../function-spec';
import { enforceLeadingKeys } from './leading-keys';
import { inInvocationContext, prepareInvokeStore } from './invoke-store';
import { LOCAL_PLACE, lambdaContext } from '../lambda-events';

export const LOCAL_ACCOUNT_ID = LOCAL_PLACE.accountId;

/** A function's ARN in the local stack (its context's invokedFunctionArn; what local schedules target). */
export const localFunctionArn = (fnId: string): string =>
  `arn:aws:lambda:${LOCAL_PLACE.region}:${LOCAL_ACCOUNT_ID}:function:clienteling-local-${fnId}`;
const LOG_SIZE = 500;

export type Trigger = 'http' | 's3' | 'sqs' | 'schedule' | 'stream';

export interface Invocation {
  readonly functionId: string;
  readonly trigger: Trigger;
  /** What the trigger was about: the route key, the S3 key, the message ids, the schedule time. */
  readonly subject: string;
  readonly startedAt: string;
  durationMs?: number;
  outcome: 'running' | 'ok' | 'error';
  error?: string;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Which function is running now (async context), so a binding read can be checked against its grants. */
const running = new AsyncLocalStorage<FunctionSpec>();

/** A function read an environment binding its manifest entry does not grant (it would be unset on AWS). */
export class UngrantedBindingError extends Error {}

/** The binding each environment variable carries (functions/shared/env-names.ts), by variable name. */
const BINDING_OF = new Map<string, string>(Object.entries(ENV).map(([binding, name]) => [name, binding]));
const grantsOf = new WeakMap<FunctionSpec, Set<string>>();
const granted = (fn: FunctionSpec, binding: string): boolean => {
  let grants = grantsOf.get(fn);
  if (!grants) {
    grants = grantedBindings(fn.uses);
    grantsOf.set(fn, grants);
  }
  return grants.has(binding);
};

/**
 * Gives each function only the environment its `uses` grants, as AWS sets only those variables:
 * while a function runs (its async context, so whatever it starts too), `process.env` hides every
 * binding variable its manifest entry does not grant, whether read through loadConfig or directly.
 * Outside an invocation (the stack itself) process.env is the whole environment. Installed once.
 */
let environmentScoped = false;
function scopeEnvironmentToGrants(): void {
  if (environmentScoped) return;
  environmentScoped = true;
  const hidden = (key: string | symbol): boolean => {
    if (typeof key !== 'string') return false;
    const binding = BINDING_OF.get(key);
    const fn = running.getStore();
    return binding !== undefined && fn !== undefined && !granted(fn, binding);
  };
  process.env = new Proxy(process.env, {
    get: (target, key) => (hidden(key) ? undefined : Reflect.get(target, key)),
    has: (target, key) => !hidden(key) && Reflect.has(target, key),
    ownKeys: (target) => Reflect.ownKeys(target).filter((key) => !hidden(key)),
    getOwnPropertyDescriptor: (target, key) =>
      hidden(key) ? undefined : Reflect.getOwnPropertyDescriptor(target, key),
    set: (target, key, value) => Reflect.set(target, key, value),
    deleteProperty: (target, key) => Reflect.deleteProperty(target, key),
  });
}

// loadConfig's own check names the manifest entry in its error, clearer than "TABLE_NAME is not set".
checkGrantsWith((binding) => {
  const fn = running.getStore();
  if (fn && !granted(fn, binding)) {
    throw new UngrantedBindingError(
      `${fn.id} reads ${binding}, which its \`uses\` in lib/functions.ts does not grant: on AWS it would not be set.`,
    );
  }
});

export class LambdaRuntime {
  private readonly modules = new Map<string, Promise<Handler>>();
  private readonly log: Invocation[] = [];

  constructor(private readonly repoRoot: string) {
    scopeEnvironmentToGrants();
    enforceLeadingKeys(() => running.getStore());
    prepareInvokeStore();
  }

  /** The invocation log, oldest first. */
  invocations(): readonly Invocation[] {
    return this.log;
  }

  /** Calls the function's handler; a thrown error is recorded and rethrown (the caller decides what Lambda's caller would do). */
  async invoke(fn: FunctionSpec, trigger: Trigger, subject: string, event: unknown): Promise<unknown> {
    const record: Invocation = {
      functionId: fn.id,
      trigger,
      subject,
      startedAt: new Date().toISOString(),
      outcome: 'running',
    };
    this.log.push(record);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
    const started = performance.now();
    try {
      const context = this.context(fn);
      const result = await running.run(fn, () =>
        inInvocationContext(context.awsRequestId, async () => (await this.handlerOf(fn))(event, context)),
      );
      record.outcome = 'ok';
      return result;
    } catch (error) {
      record.outcome = 'error';
      record.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      record.durationMs = Math.round(performance.now() - started);
    }
  }

  private handlerOf(fn: FunctionSpec): Promise<Handler> {
    let loaded = this.modules.get(fn.entry);
    if (!loaded) {
      loaded = import(pathToFileURL(join(this.repoRoot, fn.entry)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function') throw new Error(`${fn.entry} does not export a handler function`);
        return module.handler as Handler;
      });
      // A module that failed to load (mid-edit, syntax error) is retried on the next call, as a new container would.
      loaded.catch(() => this.modules.delete(fn.entry));
      this.modules.set(fn.entry, loaded);
    }
    return loaded;
  }

  private context(fn: FunctionSpec): Context {
    return lambdaContext({
      functionName: `clienteling-local-${fn.id}`,
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      logStreamName: `local/${fn.id}`,
    });
  }
}

/** Counts background work (triggers, queue deliveries, drop uploads) so callers can wait until all of it is done. */
export class BackgroundWork {
  private running = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly sources: Array<() => boolean> = [];

  /** Adds a source that says whether it still has work queued (e.g. messages waiting for a retry). */
  addSource(hasWork: () => boolean): void {
    this.sources.push(hasWork);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.running++;
    return work.finally(() => {
      this.running--;
      this.settle();
    });
  }

  /** Call when a source's queued work changed. */
  settle(): void {
    // Deferred so that work started in the same tick (a retry scheduling itself) counts first.
    setImmediate(() => {
      if (!this.idle()) return;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  idle(): boolean {
    return this.running === 0 && !this.sources.some((hasWork) => hasWork());
  }

  drained(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.settle();
    });
  }
}

/**
 * What the parts of the local stack share: the runtime that runs the functions, the count of
 * background work a drain waits for, the log, the list of things to stop, and "invoke, then log"
 * written once for every trigger (HTTP requests log their own line in lib/local/front-door.ts).
 */
import type { FunctionSpec } from '../function-spec';
import { BackgroundWork, LambdaRuntime, type Trigger } from './lambda-runtime';

/** Invokes a function for a trigger and logs the outcome; rejects with the function's error. */
export type Invoke = (fn: FunctionSpec, trigger: Trigger, subject: string, event: unknown) => Promise<unknown>;

export interface StackContext {
  readonly runtime: LambdaRuntime;
  readonly background: BackgroundWork;
  readonly invoke: Invoke;
  /** A log line, unless the stack is quiet. */
  readonly log: (line: string) => void;
  /** A line that is printed even when quiet (failures). */
  readonly print: (line: string) => void;
  /** How long a failed queue message or asynchronous invocation waits before its retry. */
  readonly retryDelayMs: number;
  /** Registers something to stop when the stack stops (stopped in reverse order). */
  onStop(cleanup: () => Promise<void> | void): void;
  /** Stops everything registered, last first; a failure is printed and the rest still stop. */
  stopAll(): Promise<void>;
}

export function createContext(options: {
  repoRoot: string;
  quiet: boolean;
  print: (line: string) => void;
  retryDelayMs: number;
}): StackContext {
  const { print } = options;
  const log = (line: string) => {
    if (!options.quiet) print(`[local] ${line}`);
  };
  const runtime = new LambdaRuntime(options.repoRoot);
  const cleanups: Array<() => Promise<void> | void> = [];
  const invoke: Invoke = async (fn, trigger, subject, event) => {
    const started = performance.now();
    try {
      const result = await runtime.invoke(fn, trigger, subject, event);
      log(`${trigger}: ${subject} -> ${fn.id} ok ${Math.round(performance.now() - started)} ms`);
      return result;
    } catch (error) {
      log(`${trigger}: ${subject} -> ${fn.id} failed: ${(error as Error).message}`);
      throw error;
    }
  };
  return {
    runtime,
    background: new BackgroundWork(),
    invoke,
    log,
    print,
    retryDelayMs: options.retryDelayMs,
    onStop: (cleanup) => void cleanups.push(cleanup),
    stopAll: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (error) {
          print(`[local] while stopping: ${(error as Error).message}`);
        }
      }
    },
  };
}

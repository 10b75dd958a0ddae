/**
 * Counts the DynamoDB requests an operation makes (docs/architecture.md, "Budgets"): a middleware
 * on the one shared DynamoDB client that every repository (and the document client) sends through.
 * A count is one command as the code sends it (GetItem, Query, BatchGetItem, TransactWriteItems…),
 * not the SDK's own retries. Counts are deterministic, so tests assert them exactly.
 *
 * Only for work done in this process (integration tests, the bench); run one counted operation
 * at a time, since everything the process sends meanwhile is counted too.
 */
import { dynamo } from '../../functions/shared/clients';

export interface RequestCount {
  total: number;
  byCommand: Record<string, number>;
}

let active: RequestCount | undefined;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (active) {
        const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
        active.total++;
        active.byCommand[name] = (active.byCommand[name] ?? 0) + 1;
      }
      return next(args);
    },
    { step: 'build', name: 'clientelingRequestCounter' },
  );
}

/** Runs `work` and answers what it returned with the DynamoDB requests it made. */
export async function countRequests<T>(work: () => Promise<T>): Promise<{ result: T } & RequestCount> {
  install();
  if (active) throw new Error('countRequests does not nest: one counted operation at a time');
  const count: RequestCount = { total: 0, byCommand: {} };
  active = count;
  try {
    const result = await work();
    return { result, ...count };
  } finally {
    active = undefined;
  }
}

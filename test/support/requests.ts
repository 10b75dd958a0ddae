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
  /** Each request in order: its command and the kind of item it names (`GetItem CONV`, `Query gsi2 CONVMINE`). */
  calls: string[];
}

/** The key's kind, without ids: the part of its partition key before the first `#`. */
function kindOf(input: Record<string, any>): string {
  const pk = input.Key?.pk?.S ?? input.ExpressionAttributeValues?.[':pk']?.S;
  const kind = typeof pk === 'string' ? pk.split('#')[0] : '';
  return [input.IndexName, kind].filter(Boolean).join(' ');
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
        const input = args.input as Record<string, any>;
        const items: Record<string, any>[] =
          input.TransactItems?.map((t: Record<string, any>) => Object.values(t)[0]) ?? [];
        active.calls.push(
          [name, items.length > 0 ? `[${items.map(kindOf).join(', ')}]` : kindOf(input)].filter(Boolean).join(' '),
        );
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
  const count: RequestCount = { total: 0, byCommand: {}, calls: [] };
  active = count;
  try {
    const result = await work();
    return { result, ...count };
  } finally {
    active = undefined;
  }
}

/**
 * The IAM `dynamodb:LeadingKeys` condition, enforced in the local runtime as AWS enforces it
 * (docs/architecture.md, "The local stack"): while a function whose table grant names leading
 * keys runs, every DynamoDB request it makes must name only partitions those patterns match, or
 * it fails with AccessDeniedException before it is sent. A key a function builds outside its grant
 * (a renamed prefix, a new partition its code reads) then fails locally, not only on AWS.
 *
 * The partition of a request is its table partition key, or its index's partition key for a
 * Query on an index (as the grant is written: the import watchdog's `IMPORTS`, the sweeper's
 * `CARTEXP#*`). The grants' prefixes come from the capabilities' keys.ts (lib/functions.ts).
 */
import { dynamo } from '../../functions/shared/clients';
import { TABLE } from '../../functions/shared/table';
import type { FunctionSpec } from '../function-spec';

/** A request named a partition its function's grant does not reach: AWS answers AccessDeniedException. */
export class UngrantedKeyError extends Error {
  override readonly name = 'AccessDeniedException';
}

// biome-ignore lint/suspicious/noExplicitAny: a request input as the SDK hands it to a middleware, of any command
type Input = Record<string, any>;

/** The string value of a marshalled key attribute (`{S: 'CONV#1'}`), as the low-level client sends it. */
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as { S?: unknown }).S === 'string'
    ? (value as { S: string }).S
    : undefined;

const partitionOfKey = (key: Input | undefined): string | undefined => stringOf(key?.[TABLE.partitionKey]);

/** The partition a Query reads: the value its key condition gives the table's (or the index's) partition key. */
function queryPartition(input: Input): string | undefined {
  const indexes = TABLE.indexes as Record<string, { partitionKey: string }>;
  const attribute = input.IndexName ? indexes[input.IndexName]?.partitionKey : TABLE.partitionKey;
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  for (const [, name, placeholder] of String(input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g))
    if ((names[name!] ?? name) === attribute) return stringOf(input.ExpressionAttributeValues?.[placeholder!]);
  return undefined;
}

/** The key of each item a transaction or batch writes (a Put's item, an Update's, Delete's or ConditionCheck's key). */
const writtenKey = (write: Input): Input | undefined => write.Item ?? write.Key;

/**
 * Every partition a request names (undefined where one cannot be read: such a request is refused,
 * as IAM cannot match it either).
 */
function partitionsOf(command: string, input: Input): Array<string | undefined> {
  switch (command) {
    case 'Query':
      return [queryPartition(input)];
    case 'BatchGetItem':
      return (Object.values(input.RequestItems ?? {}) as Input[]).flatMap((r) => (r.Keys ?? []).map(partitionOfKey));
    case 'BatchWriteItem':
      return (Object.values(input.RequestItems ?? {}) as Input[][]).flatMap((writes) =>
        writes.map((w: Input) => partitionOfKey(w.PutRequest?.Item ?? w.DeleteRequest?.Key)),
      );
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return (input.TransactItems ?? []).map((t: Input) => partitionOfKey(writtenKey(Object.values(t)[0] as Input)));
    default:
      return [partitionOfKey(input.Item ?? input.Key)];
  }
}

/** IAM StringLike: `*` any run of characters, `?` any one; nothing else is special. */
const likePattern = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );

/** The leading-key patterns of a function's table grant, if it names any (`'read'`/`'readWrite'` name none). */
const leadingKeysOf = (fn: FunctionSpec): readonly string[] | undefined =>
  typeof fn.uses.table === 'object' ? fn.uses.table.leadingKeys : undefined;

/** The partitions of a request that `fn`'s leading keys do not reach; empty when it has none or all are granted. */
function ungrantedPartitions(fn: FunctionSpec, command: string, input: Input): string[] {
  const leadingKeys = leadingKeysOf(fn);
  if (!leadingKeys) return [];
  const patterns = leadingKeys.map(likePattern);
  return partitionsOf(command, input)
    .filter((pk) => pk === undefined || !patterns.some((p) => p.test(pk)))
    .map((pk) => pk ?? '(no partition key)');
}

let installed = false;
const REFUSALS_KEPT = 50;
const refusals: string[] = [];

/**
 * The refusals since the last call, oldest first, and forgets them: a handler may answer a
 * refused request with its own error (a 500, a job left for the next run), so a test reads here
 * that none happened.
 */
export function takeRefusals(): string[] {
  return refusals.splice(0);
}

/**
 * Checks every DynamoDB request of the function running now (`current`) against its grant's
 * leading keys: a middleware on the one shared client every repository sends through. Installed once.
 */
export function enforceLeadingKeys(current: () => FunctionSpec | undefined): void {
  if (installed) return;
  installed = true;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = current();
      if (fn) {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        const refused = ungrantedPartitions(fn, command, args.input as Input);
        if (refused.length > 0) {
          const message = `${fn.id} is not authorized to perform dynamodb:${command} on ${refused.join(', ')}: its table grant's leadingKeys in lib/functions.ts are ${leadingKeysOf(fn)!.join(', ')}.`;
          refusals.push(message);
          if (refusals.length > REFUSALS_KEPT) refusals.shift();
          throw new UngrantedKeyError(message);
        }
      }
      return next(args);
    },
    { step: 'build', name: 'clientelingLeadingKeys' },
  );
}

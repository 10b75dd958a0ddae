/**
 * Which AWS SDK operations a bundled handler can call, read off the minified bundle CDK deploys.
 * esbuild keeps every command class of a package it touches (class definitions are not free of
 * side effects), so presence means nothing; what counts is a `new X(` of a command class from
 * the function's own code. lib-dynamodb wraps each client command in a document command that
 * constructs it once, so a wrapped client command counts only when constructed again elsewhere.
 */
const escapeDollars = (name: string) => name.replace(/\$/g, '\\$');
const constructions = (code: string, name: string) =>
  (code.match(new RegExp(`new ${escapeDollars(name)}\\(`, 'g')) ?? []).length;

export function sdkOperationsIn(code: string): Set<string> {
  // var Xy=class extends Z(a,b,"GetItem",c){}  — a client command (smithy's command builder)
  const clientCommands = new Map(
    [...code.matchAll(/(?:var |,)([\w$]+)=class extends [\w$]+\([\w$]+,[\w$]+,"(\w+)",[\w$]+\)/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );
  // var Dc=class extends B{input;inputKeyNodes=…;…clientCommand=new Xy(…  — a lib-dynamodb document command
  const documentCommands = [
    ...code.matchAll(
      /(?:var |,)([\w$]+)=class extends [\w$]+\{input;inputKeyNodes=.{0,600}?clientCommand=new ([\w$]+)\(/g,
    ),
  ].map((m) => [m[1]!, m[2]!] as const);
  if (clientCommands.size === 0 && /DynamoDB_20120810|\.amazonaws\.com/.test(code))
    throw new Error('the bundle has SDK code this reader does not recognise');
  const wrapped = new Set(documentCommands.map(([, client]) => client));
  const used = new Set<string>();
  for (const [document, client] of documentCommands)
    if (constructions(code, document) > 0 && clientCommands.has(client)) used.add(clientCommands.get(client)!);
  for (const [client, operation] of clientCommands)
    if (constructions(code, client) > (wrapped.has(client) ? 1 : 0)) used.add(operation);
  return used;
}

export const DYNAMODB_OPERATIONS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
]);

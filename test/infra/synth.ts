/**
 * Builds the stack the way bin/app.ts does (same cdk.json context and feature flags, real esbuild
 * bundling of every function) and offers look-ups by manifest id, so the infra tests can name
 * functions, roles and resources instead of hard-coding logical ids.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { CONTEXT_KEYS, ClientelingStack, StackSettings } from '../../lib/clienteling-stack';
import { REPO_ROOT } from '../../lib/constructs/clienteling-function';

export interface Synthesized {
  readonly app: App;
  readonly stack: ClientelingStack;
  readonly template: Template;
  /** Logical id of a construct's CloudFormation resource. */
  logicalId(construct: Construct): string;
  /** The Lambda resource of a manifest function. */
  functionProps(functionId: string): Record<string, any>;
  /** Every IAM statement of a manifest function's role. */
  statementsOf(functionId: string): Statement[];
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Bundling every function with esbuild takes a while on a shared machine; beforeAll hooks get this. */
export const SYNTH_TIMEOUT_MS = 300_000;

const cdkContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export function synthesize(context: Record<string, unknown> = {}, options: { nag?: boolean } = {}): Synthesized {
  const app = new App({
    context: { ...cdkContext(), ...context },
    outdir: mkdtempSync(join(tmpdir(), 'clienteling-cdk-')),
  });
  const settings = StackSettings.parse(
    Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)])),
  );
  const stack = new ClientelingStack(app, 'ClientelingTest', { settings });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

  const logicalId = (construct: Construct): string => {
    const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
    return Stack.of(element).resolve(element.logicalId) as string;
  };
  const resource = (id: string) => {
    const found = resources[id];
    if (!found) throw new Error(`No resource ${id} in the template`);
    return found;
  };

  return {
    app,
    stack,
    template,
    logicalId,
    functionProps: (functionId) => resource(logicalId(stack.fn(functionId).fn)).Properties,
    statementsOf: (functionId) => {
      const roleId = logicalId(stack.fn(functionId).role);
      return Object.values(resources)
        .filter(
          (r) =>
            r.Type === 'AWS::IAM::Policy' &&
            (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })),
        )
        .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
    },
  };
}

export const actionsOf = (statements: readonly Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** Statements whose resources mention the given logical id (Ref or GetAtt, possibly inside a Join). */
export const statementsOn = (statements: readonly Statement[], logicalId: string): Statement[] =>
  statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`));

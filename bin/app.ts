/**
 * CDK app entry (`npx cdk synth`): validates the context, creates the one stack, and attaches
 * cdk-nag's AwsSolutions checks, which fail synthesis on any unacknowledged finding.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as z from 'zod/mini';
import { CONTEXT_KEYS, ClientelingStack, StackSettings } from '../lib/clienteling-stack';

const app = new App();

const context = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)]));
const parsed = StackSettings.safeParse(context);
if (!parsed.success) {
  throw new Error(`Invalid CDK context (set it in cdk.json or with -c key=value):\n${z.prettifyError(parsed.error)}`);
}
const settings = parsed.data;

new ClientelingStack(app, `Clienteling-${settings.stage}`, {
  settings,
  description: `Clienteling backend (${settings.stage})`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  tags: { app: 'clienteling', stage: settings.stage },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

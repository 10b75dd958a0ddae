/**
 * cdk-nag AwsSolutions over the whole stack, attached the way bin/app.ts attaches it: no finding
 * may be left unacknowledged (errors and warnings alike), on a kept stage and on a throwaway one,
 * whose auto-delete machinery adds resources of its own. The throwaway stage's removal policies
 * are checked here too, since this file synthesizes it anyway.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../functions/shared/env-names';
import { SYNTH_TIMEOUT_MS, synthesize, type Synthesized } from './synth';

/** One line per finding, so a failure names the rule and the resources at once. */
function unacknowledgedFindings(s: Synthesized): string[] {
  const report = new AwsSolutionsChecks().validateScope(s.stack);
  return report.violations.map(
    (v) =>
      `${v.severity} ${v.ruleName}: ${v.description} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );
}

/** Every acknowledgement in the tree, with its reason. */
function acknowledgements(s: Synthesized): Array<{ path: string; id: string; reason: string }> {
  return s.stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

const stages: Record<'kept' | 'throwaway', Synthesized> = {} as never;

beforeAll(() => {
  stages.kept = synthesize({}, { nag: true });
  // cdk-nag reads the construct tree, not the code: the second synth skips esbuild to save a minute.
  stages.throwaway = synthesize(
    { throwaway: 'true', publicBaseUrl: 'https://shop.example.com/', 'aws:cdk:bundling-stacks': [] },
    { nag: true },
  );
}, SYNTH_TIMEOUT_MS);

describe.each([['kept'], ['throwaway']] as const)('AwsSolutions on a %s stage', (stage) => {
  it('leaves no error or warning unacknowledged', () => {
    expect(unacknowledgedFindings(stages[stage])).toEqual([]);
  });

  it('synthesizes with the plugin attached, and the validation report lists no violation', () => {
    const assembly = stages[stage].app.synth();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ violations?: unknown[] }>;
    };
    for (const plugin of report.pluginReports) expect(plugin.violations ?? []).toEqual([]);
  });

  it('gives every acknowledgement a specific rule id and a reason', () => {
    const all = acknowledgements(stages[stage]);
    expect(all.length).toBeGreaterThan(0);
    for (const ack of all) {
      expect(ack.id).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
    // Wildcard findings are acknowledged one by one (Resource::..., Action::...), never as a whole rule.
    expect(all.filter((ack) => /AwsSolutions-IAM5$/.test(ack.id))).toEqual([]);
  });
});

describe('the check itself', () => {
  it('reports a finding nobody acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    new s3.Bucket(stack, 'PlainBucket');
    const findings = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(findings).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

describe('a throwaway stage', () => {
  it('deletes the table and the buckets (emptying them first) with the stack', () => {
    const { template } = stages.throwaway;
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets.map((b) => b.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(3);
  });

  it('gives functions the publicBaseUrl from the context instead of the execute-api URL', () => {
    const variables = stages.throwaway.functionProps('CartsApi').Environment.Variables;
    expect(variables[ENV.publicBaseUrl]).toBe('https://shop.example.com');
    stages.throwaway.template.hasOutput('ApiUrl', { Value: 'https://shop.example.com' });
  });

  it('keeps them on a kept stage', () => {
    const { template } = stages.kept;
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });
});

import { defineConfig } from 'vitest/config';

/**
 * Four projects, all run by `npm test`:
 * - unit: pure rules, no I/O
 * - integration: handlers and repositories against DynamoDB Local and s3rver, started once per run
 * - infra: the synthesized CDK template, assertions and cdk-nag
 * - e2e: the local stack (`npm start`'s runtime) over real HTTP, and the cart page in Chromium
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/closing-line.reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      // A project does not inherit the root's timeouts: each names its own.
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // DynamoDB Local is shared by every file of the run; a heavy file (the 25,000-entry export) slows the others.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Handlers write EMF metric lines to stdout; tests/unit/shared-metrics.test.ts checks them once.
          env: { POWERTOOLS_METRICS_DISABLED: 'true' },
          globalSetup: ['test/support/engines.global.ts'],
          setupFiles: ['test/support/engines.setup.ts'],
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 300_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/local-stack.global.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});

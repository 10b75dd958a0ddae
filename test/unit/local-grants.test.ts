/**
 * Each function gets only the environment its manifest entry grants (lib/local/lambda-runtime.ts):
 * an ungranted binding fails locally as it would on AWS, where the variable is not set.
 */
import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../lib/function-spec';

describe('grants in the local runtime', () => {
  it("refuses a binding the function's `uses` does not grant, as AWS would by not setting it", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LambdaRuntime, UngrantedBindingError } = await import('../../lib/local/lambda-runtime');
    const dir = mkdtempSync(join(tmpdir(), 'grants-'));
    const config = join(process.cwd(), 'functions/shared/config.ts');
    writeFileSync(
      join(dir, 'reads-table.handler.ts'),
      `import { loadConfig } from ${JSON.stringify(config)};\nexport const handler = async () => loadConfig('table').table;\n`,
    );
    process.env.TABLE_NAME = 'granted-table';
    const runtime = new LambdaRuntime(dir);
    const spec = (uses: object) =>
      ({
        id: 'ReadsTable',
        capability: 'platform',
        entry: 'reads-table.handler.ts',
        description: 'test',
        uses,
      }) as never;

    await expect(runtime.invoke(spec({}), 'http', 'test', {})).rejects.toBeInstanceOf(UngrantedBindingError);
    await expect(runtime.invoke(spec({ table: 'read' }), 'http', 'test', {})).resolves.toBe('granted-table');
  });

  it('hides an ungranted variable from a direct process.env read too, and only while that function runs', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LambdaRuntime } = await import('../../lib/local/lambda-runtime');
    const dir = mkdtempSync(join(tmpdir(), 'grants-'));
    writeFileSync(
      join(dir, 'reads-env.handler.ts'),
      `export const handler = async () => [process.env.UPLOADS_BUCKET ?? null, 'UPLOADS_BUCKET' in process.env, Object.keys(process.env).includes('UPLOADS_BUCKET'), process.env.AWS_REGION ?? null];\n`,
    );
    process.env.UPLOADS_BUCKET = 'the-uploads';
    process.env.AWS_REGION = 'us-east-1';
    const runtime = new LambdaRuntime(dir);
    const spec = (uses: object) =>
      ({ id: 'ReadsEnv', capability: 'platform', entry: 'reads-env.handler.ts', description: 'test', uses }) as never;

    await expect(runtime.invoke(spec({ table: 'read' }), 'http', 'test', {})).resolves.toEqual([
      null,
      false,
      false,
      'us-east-1',
    ]);
    await expect(runtime.invoke(spec({ uploads: 'read' }), 'http', 'test', {})).resolves.toEqual([
      'the-uploads',
      true,
      true,
      'us-east-1',
    ]);
    expect(process.env.UPLOADS_BUCKET).toBe('the-uploads');
  });

  it('fails a real manifest function whose entry lacks a grant its code needs (the import watchdog without its table)', async () => {
    const { FUNCTIONS } = await import('../../lib/functions');
    const { scheduledEvent: scheduled } = await import('../../lib/lambda-events');
    const { LambdaRuntime, UngrantedBindingError } = await import('../../lib/local/lambda-runtime');
    const watchdog = (FUNCTIONS as readonly FunctionSpec[]).find((f) => f.id === 'ImportWatchdog')!;
    const { table: _table, ...withoutTable } = watchdog.uses;
    process.env.TABLE_NAME = 'granted-table';
    const runtime = new LambdaRuntime(process.cwd());

    await expect(
      runtime.invoke({ ...watchdog, uses: withoutTable }, 'schedule', 'test', scheduled('import-watchdog', new Date())),
    ).rejects.toBeInstanceOf(UngrantedBindingError);
  });
});

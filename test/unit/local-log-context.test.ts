/**
 * The local runtime runs several functions at once in one process with one shared logger
 * (lib/local/invoke-store.ts): each invocation's lines carry its own function name, request id
 * and appended keys, whichever other invocation ran meanwhile.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Each warm invocation resets the logger to the level it was created with: WARN, for this file's logger only.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
const gates = new Map<string, () => void>();
(globalThis as { logContextGates?: unknown }).logContextGates = {
  wait: (name: string) => new Promise<void>((resolve) => gates.set(name, resolve)),
};

afterEach(() => vi.restoreAllMocks());

/** A handler on the shared chain and logger: appends its keys, waits for its gate, then logs. */
function writeHandler(dir: string): string {
  const root = process.cwd();
  writeFileSync(
    join(dir, 'logs.handler.ts'),
    [
      `import { handlerChain } from ${JSON.stringify(join(root, 'functions/shared/handler-chain.ts'))};`,
      `import { logger } from ${JSON.stringify(join(root, 'functions/shared/logger.ts'))};`,
      'export const handler = handlerChain<{ gate: string; keys: Record<string, string> }, null>().handler(async (event) => {',
      '  logger.appendKeys(event.keys);',
      '  await (globalThis as any).logContextGates.wait(event.gate);',
      "  logger.warn('after the wait');",
      '  return null;',
      '});',
    ].join('\n'),
  );
  return 'logs.handler.ts';
}

/** Waits until the named invocation is parked at its gate. */
async function parked(name: string): Promise<void> {
  for (let i = 0; i < 200 && !gates.has(name); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!gates.has(name)) throw new Error(`${name} never reached its gate`);
}

describe('log context in the local runtime', () => {
  it("keeps each invocation's function name and keys, however the invocations interleave", async () => {
    // Arrange: two functions of one module, the first still running when the second starts and ends
    const { LambdaRuntime } = await import('../../lib/local/lambda-runtime');
    const { logger } = await import('../../functions/shared/logger');
    const dir = mkdtempSync(join(tmpdir(), 'log-context-'));
    const entry = writeHandler(dir);
    const runtime = new LambdaRuntime(dir);
    const spec = (id: string) => ({ id, capability: 'platform', entry, description: 'test', uses: {} }) as never;
    const lines: string[] = [];
    // The logger prints through its own console (Powertools); its lines are read there.
    const printer = (logger as unknown as { console: Console }).console;
    vi.spyOn(printer, 'warn').mockImplementation((line: string) => lines.push(line));

    // Act
    const first = runtime.invoke(spec('CampaignsApi'), 'http', 'test', { gate: 'a', keys: { campaignId: 'c-1' } });
    await parked('a');
    const second = runtime.invoke(spec('EventsPublisher'), 'stream', 'test', { gate: 'b', keys: { storeId: 's-1' } });
    await parked('b');
    gates.get('b')!();
    await second;
    gates.get('a')!();
    await first;

    // Assert
    const logged = lines.filter((line) => line.includes('after the wait')).map((line) => JSON.parse(line));
    expect(logged).toHaveLength(2);
    const [events, campaigns] = logged;
    expect(events).toMatchObject({ function_name: 'clienteling-local-EventsPublisher', storeId: 's-1' });
    expect(events.campaignId).toBeUndefined();
    expect(campaigns).toMatchObject({ function_name: 'clienteling-local-CampaignsApi', campaignId: 'c-1' });
    expect(campaigns.storeId).toBeUndefined();
    expect(campaigns.function_request_id).not.toBe(events.function_request_id);
  });
});

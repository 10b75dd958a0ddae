/**
 * Tracing where it pays (functions/shared/tracing.ts): a bundle built with
 * `CLIENTELING_XRAY_SDK=off` (every function whose manifest entry does not declare `xray-sdk`)
 * has no Powertools Tracer, SDK clients are left as they are, and the handler chain still logs
 * and answers; without the flag the Tracer is there and wraps SDK clients.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

const context = { functionName: 'tracing-test', awsRequestId: 'req-1' } as Context;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the Tracer', () => {
  it('is absent with CLIENTELING_XRAY_SDK=off, and the chain still runs the handler', async () => {
    vi.stubEnv('CLIENTELING_XRAY_SDK', 'off');
    const { tracer, captureHandler, traced } = await import('../../functions/shared/tracing');
    const { handlerChain } = await import('../../functions/shared/handler-chain');
    expect(tracer).toBeUndefined();
    expect(captureHandler).toBeUndefined();
    const client = new DynamoDBClient({ region: 'us-east-1' });
    expect(traced(client)).toBe(client);
    const handler = handlerChain<{ n: number }, number>().handler(async (event) => event.n + 1);
    await expect(handler({ n: 41 }, context)).resolves.toBe(42);
  });

  it('is there by default, and the chain runs the handler through it', async () => {
    const { tracer, captureHandler } = await import('../../functions/shared/tracing');
    const { handlerChain } = await import('../../functions/shared/handler-chain');
    expect(tracer?.constructor.name).toBe('Tracer');
    expect(captureHandler).toBeTypeOf('function');
    const handler = handlerChain<{ n: number }, number>().handler(async (event) => event.n * 2);
    await expect(handler({ n: 21 }, context)).resolves.toBe(42);
  });
});

/**
 * Capacity for go-live (lib/load-model.ts; README, "Capacity"): the table's warm throughput comes
 * from context and is absent without it; every queue and stream worker reserves the concurrency
 * the load model derives (so none can starve the account's pool, and the event source never runs
 * more than the reservation), and the reservations fit the account quota the model assumes.
 *
 * These assertions read the template, not the bundles: esbuild is skipped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { StackSettings } from '../../lib/clienteling-stack';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';
import {
  ACCOUNT_CONCURRENCY,
  API_CONCURRENCY_AT_PEAK,
  BULK_SENDER_CONCURRENCY,
  EVENTS_PUBLISHER_CONCURRENCY,
  INBOUND_WORKER_CONCURRENCY,
  MEDIA_WORKER_CONCURRENCY,
  OUTREACH_WRITER_CONCURRENCY,
  SENDER_CONCURRENCY,
  TABLE_WARM_THROUGHPUT,
  UNRESERVED_MINIMUM,
} from '../../lib/load-model';
import { SYNTH_TIMEOUT_MS, synthesize, type Synthesized } from './synth';

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const specs = FUNCTIONS as readonly FunctionSpec[];
let plain: Synthesized;
let warm: Synthesized;

beforeAll(() => {
  plain = synthesize({ ...noBundling });
  warm = synthesize({
    ...noBundling,
    // As `-c key=value` passes them: strings.
    tableWarmReadUnits: String(TABLE_WARM_THROUGHPUT.readUnitsPerSecond),
    tableWarmWriteUnits: String(TABLE_WARM_THROUGHPUT.writeUnitsPerSecond),
  });
}, SYNTH_TIMEOUT_MS);

const tableOf = (s: Synthesized) =>
  s.template.toJSON().Resources[s.logicalId(s.stack.storage.table)].Properties as Record<string, unknown>;

describe('the table warm throughput', () => {
  it('is set from the context keys tableWarmReadUnits and tableWarmWriteUnits', () => {
    expect(tableOf(warm).WarmThroughput).toEqual({
      ReadUnitsPerSecond: TABLE_WARM_THROUGHPUT.readUnitsPerSecond,
      WriteUnitsPerSecond: TABLE_WARM_THROUGHPUT.writeUnitsPerSecond,
    });
  });

  it('is absent by default (the on-demand table keeps its own)', () => {
    expect(tableOf(plain)).not.toHaveProperty('WarmThroughput');
  });

  it('may name writes alone, and refuses less than an on-demand table has anyway, or a non-number', () => {
    expect(StackSettings.parse({ tableWarmWriteUnits: '8000' })).toMatchObject({ tableWarmWriteUnits: 8000 });
    expect(StackSettings.safeParse({ tableWarmWriteUnits: '3999' }).success).toBe(false);
    expect(StackSettings.safeParse({ tableWarmReadUnits: '11999' }).success).toBe(false);
    expect(StackSettings.safeParse({ tableWarmReadUnits: 'lots' }).success).toBe(false);
  });
});

describe('reserved concurrency of the workers', () => {
  const workers: Array<[string, number]> = [
    ['InboundWorker', INBOUND_WORKER_CONCURRENCY],
    ['InboundMediaWorker', MEDIA_WORKER_CONCURRENCY],
    ['OutreachWriter', OUTREACH_WRITER_CONCURRENCY],
    ['Sender', SENDER_CONCURRENCY],
    ['BulkSender', BULK_SENDER_CONCURRENCY],
    ['EventsPublisher', EVENTS_PUBLISHER_CONCURRENCY],
  ];

  it.each(workers)('%s reserves %i, as the load model derives', (id, reserved) => {
    expect(plain.functionProps(id).ReservedConcurrentExecutions).toBe(reserved);
  });

  it('leaves no queue or stream consumer without a reservation, nor lets an event source run past it', () => {
    for (const spec of specs.filter((s) => s.sqs || s.stream)) {
      expect(spec.reservedConcurrency, spec.id).toBeGreaterThan(0);
      if (spec.sqs) expect(spec.sqs.maxConcurrency, spec.id).toBeLessThanOrEqual(spec.reservedConcurrency!);
    }
    const mappings = Object.values(plain.template.toJSON().Resources as Record<string, any>).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.ScalingConfig,
    );
    expect(mappings.length).toBe(specs.filter((s) => s.sqs).length);
  });

  it('keeps every reservation within the assumed account quota, leaving the API its peak in the unreserved pool', () => {
    const reserved = specs.reduce((sum, spec) => sum + (spec.reservedConcurrency ?? 0), 0);
    expect(reserved).toBeLessThanOrEqual(ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM);
    expect(ACCOUNT_CONCURRENCY - reserved).toBeGreaterThanOrEqual(API_CONCURRENCY_AT_PEAK);
  });
});

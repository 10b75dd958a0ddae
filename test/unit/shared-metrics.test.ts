import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metric-names';

/** The EMF documents written to stdout while `act` runs. */
async function emitted(
  act: (m: typeof import('../../functions/shared/metrics')) => void,
): Promise<Array<Record<string, any>>> {
  const metrics = await import('../../functions/shared/metrics');
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act(metrics);
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

const definitionOf = (doc: Record<string, any>) => doc._aws.CloudWatchMetrics[0];

describe('business metrics (EMF)', () => {
  beforeEach(() => vi.resetModules());
  afterEach(() => vi.unstubAllEnvs());

  it('writes one document per event, in the Clienteling namespace with the service dimension', async () => {
    const docs = await emitted((m) => m.recordRowsImported(1000));
    expect(docs).toHaveLength(1);
    expect(definitionOf(docs[0]!)).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['service']],
      Metrics: [{ Name: METRIC.rowsImported, Unit: 'Count' }],
    });
    expect(docs[0]).toMatchObject({ service: 'clienteling', [METRIC.rowsImported]: 1000 });
  });

  it('adds a second document with the detail as a dimension (Twilio code, webhook kind, status, reason)', async () => {
    const docs = await emitted((m) => {
      m.recordMessageFailed(21610);
      m.recordWebhookRefused('payment');
      m.recordImportFinished('FAILED');
      m.recordRowsRejected({ UNKNOWN_CUSTOMER: 3, INVALID_EMAIL: 1 });
    });
    expect(
      docs.map((d) => [
        Object.keys(d).find((k) => k in d && Object.values(METRIC).includes(k as never)),
        definitionOf(d).Dimensions[0],
      ]),
    ).toEqual([
      [METRIC.messagesFailed, ['service']],
      [METRIC.messagesFailed, ['service', 'twilioCode']],
      [METRIC.webhooksRefused, ['service']],
      [METRIC.webhooksRefused, ['service', 'kind']],
      [METRIC.importsFinished, ['service']],
      [METRIC.importsFinished, ['service', 'status']],
      [METRIC.importsFailed, ['service']],
      [METRIC.rowsRejected, ['service']],
      [METRIC.rowsRejected, ['service', 'reason']],
      [METRIC.rowsRejected, ['service']],
      [METRIC.rowsRejected, ['service', 'reason']],
    ]);
    expect(docs[1]).toMatchObject({ twilioCode: '21610' });
    expect(docs[8]).toMatchObject({ reason: 'UNKNOWN_CUSTOMER', [METRIC.rowsRejected]: 3 });
  });

  it('writes nothing for a count of zero, and nothing when metrics are disabled', async () => {
    expect(await emitted((m) => m.recordRowsImported(0))).toEqual([]);
    vi.resetModules();
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(await emitted((m) => m.recordPaymentSettled())).toEqual([]);
  });
});

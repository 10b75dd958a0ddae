/**
 * The local stack's text log format (functions/shared/log-text.ts): one line per entry, the head
 * `time LEVEL function message`, then the entry's own keys; Lambda plumbing left out. JSON stays
 * the format unless LOG_FORMAT=text (functions/shared/logger.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TextLogger, textLine } from '../../functions/shared/log-text';
import { lambdaContext } from '../support/http-events';

afterEach(() => vi.restoreAllMocks());

describe('textLine', () => {
  it('puts time, level, function and message first, then the keys, values bare or as JSON', () => {
    const line = textLine({
      level: 'WARN',
      message: 'upload ignored: the campaign has its file',
      timestamp: '2026-12-03T06:20:01.234Z',
      service: 'clienteling-local',
      cold_start: false,
      function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:clienteling-local-CampaignImport',
      function_memory_size: '512',
      function_name: 'clienteling-local-CampaignImport',
      function_request_id: 'r-1',
      sampling_rate: 0,
      campaignId: 'c-1',
      key: 'campaigns/c-1.csv',
      reason: 'the campaign was deleted',
      counts: { rows: 2 },
    });

    expect(line).toBe(
      '06:20:01.234 WARN  CampaignImport upload ignored: the campaign has its file campaignId=c-1 key=campaigns/c-1.csv reason="the campaign was deleted" counts={"rows":2}',
    );
  });

  it('shows an error by its name, message and place, and a line outside any function with "-"', () => {
    const line = textLine({
      level: 'ERROR',
      message: 'request failed',
      timestamp: '2026-12-03T06:20:01.234Z',
      error: { name: 'TypeError', message: 'x is undefined', location: 'file.ts:3', stack: '…' },
    });

    expect(line).toBe('06:20:01.234 ERROR - request failed error="TypeError: x is undefined (file.ts:3)"');
  });
});

describe('TextLogger', () => {
  it('writes one line an entry with the invocation context, warnings to stderr', async () => {
    // Arrange
    const logger = new TextLogger({ serviceName: 'clienteling-local', logLevel: 'INFO' });
    logger.addContext(lambdaContext('clienteling-local-CampaignsApi'));
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0,
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0,
    );

    // Act
    logger.info('campaign import', { rows: 3 });
    logger.warn('request refused', { status: 409 });

    // Assert
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}CampaignsApi campaign import rows=3\n$/);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/ WARN {2}CampaignsApi request refused status=409\n$/);
  });
});

describe('which format the logger writes', () => {
  it('text under the local stack (its environment sets LOG_FORMAT=text), JSON otherwise, as on AWS', async () => {
    // Arrange
    const saved = { ...process.env };
    const { setFunctionEnvironment } = await import('../../lib/local/environment');
    const { QUEUES } = await import('../../lib/queues');
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const loggerModule = async () => {
      vi.resetModules();
      return (await import('../../functions/shared/logger')).logger;
    };
    try {
      delete process.env.LOG_FORMAT;
      const onAws = await loggerModule();

      // Act
      setFunctionEnvironment({
        tableName: 't',
        buckets: { uploads: 'u', images: 'i' },
        queueUrls: Object.fromEntries(QUEUES.map((queue) => [queue.name, `http://127.0.0.1:1/${queue.name}`])) as never,
        publicBaseUrl: 'http://127.0.0.1:3000',
        endpoints: { dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:1' },
        carrierUrl: undefined,
        outboxFile: '/tmp/outbox.jsonl',
        extra: {},
      });
      const local = await loggerModule();

      // Assert
      expect(onAws).toBeInstanceOf(Logger);
      expect(onAws).not.toBeInstanceOf(TextLogger);
      expect(process.env.LOG_FORMAT).toBe('text');
      expect(local.constructor.name).toBe('TextLogger');
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

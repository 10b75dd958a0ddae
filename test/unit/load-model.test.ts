/**
 * The load model (lib/load-model.ts) and the README's "Capacity" section that prints its
 * derivation: every limit the stack deploys appears there with the value the model computes, so
 * a change to the model that forgets the README fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';
import {
  API_CONCURRENCY_AT_PEAK,
  BULK_SENDER_CONCURRENCY,
  EVENTS_PUBLISHER_CONCURRENCY,
  INBOUND_WORKER_CONCURRENCY,
  MEDIA_WORKER_CONCURRENCY,
  OUTREACH_WRITER_CONCURRENCY,
  SENDER_CONCURRENCY,
  TABLE_WARM_THROUGHPUT,
  ARCHIVES_PER_RUN_CAPACITY,
  ARCHIVES_PER_RUN_NEEDED,
  RELEASES_PER_MINUTE_NEEDED,
  RELEASES_PER_RUN_CAPACITY,
  PAYMENT_WEBHOOK_CONCURRENCY,
  PEAK_SENDS_PER_SECOND,
  STAGE_THROTTLE,
  THROTTLES,
  TWILIO_SMS_WEBHOOK_CONCURRENCY,
  TWILIO_STATUS_WEBHOOK_CONCURRENCY,
  oldestMessageAlarmSeconds,
  webhookClientErrorsAlarm,
} from '../../lib/load-model';
import { QUEUES } from '../../lib/queues';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const capacity = readme.slice(readme.indexOf('## Capacity'), readme.indexOf('**A 1,000,000-row import on AWS.**'));
const n = (value: number) => value.toLocaleString('en-US');
/** The table row whose first cell mentions `label`. */
const row = (label: string) =>
  capacity.split('\n').find((line) => line.startsWith('|') && line.split('|')[1]!.includes(label));

describe('the README prints what the load model derives', () => {
  it.each([
    ['each read route', THROTTLES.reads],
    ['each write route', THROTTLES.writes],
    ['`POST /webhooks/twilio/sms`', THROTTLES.twilioSms],
    ['`POST /webhooks/twilio/status`', THROTTLES.twilioStatus],
    ['`POST /webhooks/payments`', THROTTLES.customers],
    ['head office routes', THROTTLES.admin],
    ['stage default', STAGE_THROTTLE],
  ])('throttle, %s: rate / burst', (label, throttle) => {
    expect(row(`throttle, ${label}`) ?? row(label), label).toContain(
      `${n(throttle.rateLimit)} / ${n(throttle.burstLimit)}`,
    );
  });

  it.each([
    ['`TwilioWebhook` reserved', TWILIO_SMS_WEBHOOK_CONCURRENCY],
    ['`TwilioStatusWebhook` reserved', TWILIO_STATUS_WEBHOOK_CONCURRENCY],
    ['`PaymentWebhook` reserved', PAYMENT_WEBHOOK_CONCURRENCY],
    ['`InboundWorker` reserved', INBOUND_WORKER_CONCURRENCY],
    ['`InboundMediaWorker` reserved', MEDIA_WORKER_CONCURRENCY],
    ['`OutreachWriter` reserved', OUTREACH_WRITER_CONCURRENCY],
    ['`Sender` reserved', SENDER_CONCURRENCY],
    ['`BulkSender` reserved', BULK_SENDER_CONCURRENCY],
    ['`EventsPublisher` reserved', EVENTS_PUBLISHER_CONCURRENCY],
    ['table warm throughput, reads', TABLE_WARM_THROUGHPUT.readUnitsPerSecond],
    ['table warm throughput, writes', TABLE_WARM_THROUGHPUT.writeUnitsPerSecond],
    [
      'all reservations',
      (FUNCTIONS as readonly FunctionSpec[]).reduce((sum, spec) => sum + (spec.reservedConcurrency ?? 0), 0),
    ],
    ["the API's share of the unreserved pool", API_CONCURRENCY_AT_PEAK],
  ])('%s', (label, value) => {
    expect(
      row(label)
        ?.trim()
        .replace(/\s+\|$/, '')
        .split('|')
        .at(-1)
        ?.trim(),
    ).toBe(n(value));
  });

  it("the peak sends per second, the queues' age thresholds and the webhook 4xx thresholds", () => {
    expect(row('sends (`PEAK_SENDS_PER_SECOND`')).toContain(`| ${PEAK_SENDS_PER_SECOND.toFixed(1)} `);
    const minutes = (queue: string) => oldestMessageAlarmSeconds(QUEUES.find((q) => q.name === queue)!) / 60;
    expect(row('import queue: oldest message')).toContain(`${minutes('import')} min`);
    expect(row('inbound queue: oldest message')).toContain(`${minutes('inbound')} min`);
    const fourxx = ['sms', 'status', 'payments'].map((p) =>
      webhookClientErrorsAlarm({
        method: 'POST',
        path: p === 'payments' ? '/webhooks/payments' : `/webhooks/twilio/${p}`,
        auth: 'public',
      }),
    );
    expect(row('webhook 4xx alarm')).toContain(fourxx.join('; '));
  });

  it.each([
    ['archiver: conversations per run needed', ARCHIVES_PER_RUN_NEEDED],
    ['archiver: conversations per run it can archive', ARCHIVES_PER_RUN_CAPACITY],
    ['release: messages a minute needed', RELEASES_PER_MINUTE_NEEDED],
    ['release: messages one run', RELEASES_PER_RUN_CAPACITY],
  ])('%s', (label, value) => {
    expect(row(label), label).toContain(`| ${n(value)} `);
  });

  it('each scheduled sweep can do its share with room to spare', () => {
    expect(ARCHIVES_PER_RUN_CAPACITY).toBeGreaterThan(ARCHIVES_PER_RUN_NEEDED * 3);
    expect(RELEASES_PER_RUN_CAPACITY).toBeGreaterThan(RELEASES_PER_MINUTE_NEEDED * 3);
  });
});

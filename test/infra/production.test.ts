/**
 * The stack as production deploys it (alarm email, CORS origins and SES from context).
 * Failures are visible: every alarm the production review asked for is in the template, each
 * notifies the one SNS topic, and one dashboard shows it all. Limits follow the load model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metric-names';
import { FUNCTIONS, routeKey, routeTable, type FunctionSpec } from '../../lib/functions';
import {
  LOAD_MODEL,
  PAYMENT_WEBHOOK_CONCURRENCY,
  STAGE_THROTTLE,
  TWILIO_SMS_WEBHOOK_CONCURRENCY,
  TWILIO_STATUS_WEBHOOK_CONCURRENCY,
  WEBHOOK_SECONDS_PER_CALL,
  routeThrottle,
  throttleClass,
} from '../../lib/load-model';
import { SYNTH_TIMEOUT_MS, synthesize, type Synthesized } from './synth';

const specs = FUNCTIONS as readonly FunctionSpec[];
let s: Synthesized;
let topic: string;
let alarms: Array<Record<string, any>>;

beforeAll(() => {
  s = synthesize({
    alarmEmail: 'ops@example.com',
    corsOrigins: 'https://app.example.com',
    sesFromEmail: 'no-reply@example.com',
    sesRegion: 'eu-west-1',
  });
  topic = s.logicalId(s.stack.observability.topic);
  alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map(
    (r) => r.Properties as Record<string, any>,
  );
}, SYNTH_TIMEOUT_MS);

const alarmOn = (match: (a: Record<string, any>) => boolean) => {
  const found = alarms.filter(match);
  expect(found, 'alarm not found').toHaveLength(1);
  return found[0]!;
};
const dimensionRef = (a: Record<string, any>) => JSON.stringify(a.Dimensions ?? a.Metrics ?? []);

describe('alarm topic', () => {
  it('emails the address from context, and only accepts TLS', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic },
    });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is where every alarm goes, in alarm and back to OK', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topic }]);
      expect(a.OKActions).toEqual([{ Ref: topic }]);
      // Only the silent-webhook alarm counts no data as a breach (silence is what it is for).
      expect(a.TreatMissingData).toBe(a.ComparisonOperator === 'LessThanThreshold' ? 'breaching' : 'notBreaching');
    }
  });
});

describe('alarms', () => {
  it.each(specs.map((spec) => [spec.id]))('%s: errors and throttles', (functionId) => {
    const fn = s.logicalId(s.stack.fn(functionId).fn);
    for (const metricName of ['Errors', 'Throttles']) {
      const a = alarmOn(
        (x) => x.MetricName === metricName && x.Namespace === 'AWS/Lambda' && dimensionRef(x).includes(`"${fn}"`),
      );
      expect(a).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Sum' });
    }
  });

  it('S3-triggered imports: events dropped, and the async-failures queue not empty', () => {
    const fn = s.logicalId(s.stack.fn('CampaignImport').fn);
    alarmOn((x) => x.MetricName === 'AsyncEventsDropped' && dimensionRef(x).includes(`"${fn}"`));
    const failures = s.logicalId(s.stack.storage.asyncFailures);
    expect(
      alarmOn((x) => x.MetricName === 'ApproximateNumberOfMessagesVisible' && dimensionRef(x).includes(`"${failures}"`))
        .Threshold,
    ).toBe(1);
  });

  it('import queue: oldest message older than 15 minutes; dead-letter queue: any message', () => {
    const queue = s.logicalId(s.stack.storage.importQueue);
    const dlq = s.logicalId(s.stack.storage.importDeadLetters);
    expect(
      alarmOn((x) => x.MetricName === 'ApproximateAgeOfOldestMessage' && dimensionRef(x).includes(`"${queue}"`))
        .Threshold,
    ).toBe(15 * 60);
    expect(
      alarmOn((x) => x.MetricName === 'ApproximateNumberOfMessagesVisible' && dimensionRef(x).includes(`"${dlq}"`))
        .Threshold,
    ).toBe(1);
  });

  it('API 5xx and DynamoDB throttles (reads and writes)', () => {
    const api = s.logicalId(s.stack.api.httpApi);
    alarmOn((x) => x.MetricName === '5xx' && x.Namespace === 'AWS/ApiGateway' && dimensionRef(x).includes(`"${api}"`));
    const throttles = alarmOn((x) => JSON.stringify(x.Metrics ?? []).includes('WriteThrottleEvents'));
    expect(JSON.stringify(throttles.Metrics)).toContain('ReadThrottleEvents');
  });

  it.each([
    [METRIC.webhooksRefused, 10],
    [METRIC.importsFailed, 1],
    [METRIC.paymentsRefused, 1],
  ])('business metric %s at %d in 5 minutes', (metricName, threshold) => {
    const a = alarmOn((x) => x.MetricName === metricName);
    expect(a).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'clienteling' }],
      Threshold: threshold,
      Period: 300,
    });
  });
});

describe('dashboard', () => {
  it('is one dashboard showing every alarm and every business metric', () => {
    const dashboards = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const name of Object.values(METRIC)) expect(body).toContain(name);
    for (const alarm of s.stack.observability.alarms) expect(body).toContain(`"${s.logicalId(alarm)}"`);
  });
});

describe('settings from context', () => {
  it('allows CORS from the named origins only, on the API and the buckets', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://app.example.com'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'if-match', 'idempotency-key']),
        ExposeHeaders: Match.arrayWith(['etag', 'location', 'retry-after']),
      }),
    });
    for (const bucket of [s.stack.storage.uploads, s.stack.storage.images]) {
      const rules = s.template.toJSON().Resources[s.logicalId(bucket)].Properties.CorsConfiguration.CorsRules;
      expect(rules.map((r: { AllowedOrigins: string[] }) => r.AllowedOrigins)).toEqual([['https://app.example.com']]);
    }
  });

  it('sends Cognito email through SES from the configured address', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({
        EmailSendingAccount: 'DEVELOPER',
        From: Match.stringLikeRegexp('no-reply@example.com'),
      }),
    });
    expect(
      JSON.stringify(
        s.template.toJSON().Resources[s.logicalId(s.stack.api.userPool)].Properties.EmailConfiguration.SourceArn,
      ),
    ).toContain('eu-west-1');
  });
});

describe('limits from the load model', () => {
  it('reserves concurrency for each webhook, enough for what its route admits', () => {
    expect(s.functionProps('TwilioWebhook').ReservedConcurrentExecutions).toBe(TWILIO_SMS_WEBHOOK_CONCURRENCY);
    expect(s.functionProps('TwilioStatusWebhook').ReservedConcurrentExecutions).toBe(TWILIO_STATUS_WEBHOOK_CONCURRENCY);
    expect(s.functionProps('PaymentWebhook').ReservedConcurrentExecutions).toBe(PAYMENT_WEBHOOK_CONCURRENCY);
    for (const [path, reserved] of [
      ['/webhooks/twilio/sms', TWILIO_SMS_WEBHOOK_CONCURRENCY],
      ['/webhooks/twilio/status', TWILIO_STATUS_WEBHOOK_CONCURRENCY],
      ['/webhooks/payments', PAYMENT_WEBHOOK_CONCURRENCY],
    ] as const) {
      const admitted = routeThrottle({ method: 'POST', path, auth: 'public' }).rateLimit;
      expect(reserved, path).toBeGreaterThanOrEqual(admitted * WEBHOOK_SECONDS_PER_CALL);
    }
  });

  it('throttles every route with its own budget, and the stage with their sum', () => {
    const stage = s.template.toJSON().Resources[s.logicalId(s.stack.api.stage)].Properties;
    expect(stage.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: STAGE_THROTTLE.rateLimit,
      ThrottlingBurstLimit: STAGE_THROTTLE.burstLimit,
    });
    for (const route of routeTable()) {
      const expected = routeThrottle(route);
      expect(stage.RouteSettings[routeKey(route)], routeKey(route)).toEqual({
        ThrottlingRateLimit: expected.rateLimit,
        ThrottlingBurstLimit: expected.burstLimit,
        DetailedMetricsEnabled: true,
      });
    }
  });

  it('lets a chain poll its inboxes: the read budget covers every online associate refreshing', () => {
    expect(routeThrottle({ method: 'GET', path: '/inbox', auth: 'jwt' }).rateLimit).toBeGreaterThanOrEqual(
      LOAD_MODEL.onlineAtPeak / LOAD_MODEL.inboxRefreshSeconds,
    );
    expect(throttleClass({ method: 'POST', path: '/webhooks/twilio/sms', auth: 'public' })).toBe('twilioSms');
    expect(throttleClass({ method: 'POST', path: '/webhooks/twilio/status', auth: 'public' })).toBe('twilioStatus');
    expect(throttleClass({ method: 'GET', path: '/customers', auth: 'jwt' })).toBe('reads');
    expect(throttleClass({ method: 'POST', path: '/campaigns', auth: 'jwt' })).toBe('admin');
  });
});

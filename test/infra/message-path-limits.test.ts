/**
 * The message path as the 1,000-store load model sizes it (lib/load-model.ts): Twilio's two
 * webhooks each with their own function, reservation and throttle; detailed route metrics and
 * alarms on each webhook route's 4xx and 429s and on a silent inbound webhook; every dead-letter
 * queue (each queue of lib/queues.ts, the async failures, the table stream's failures) alarmed and
 * named in the outputs; an optional custom domain whose URL the functions and the outputs use.
 * Both stages pass cdk-nag with no unacknowledged finding.
 *
 * cdk-nag and these assertions read the template, not the bundles: esbuild is skipped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../functions/shared/env-names';
import { WEBHOOK_PATHS } from '../../lib/clienteling-stack';
import { SILENT_WEBHOOK_MINUTES, webhookRoutes } from '../../lib/constructs/observability';
import { FUNCTIONS, routeKey, routeTable, type FunctionSpec } from '../../lib/functions';
import {
  BULK_SENDER_CONCURRENCY,
  EXPECTED_RPS,
  LOAD_MODEL,
  SENDER_CONCURRENCY,
  PEAK_SENDS_PER_SECOND,
  THROTTLES,
  TWILIO_SMS_WEBHOOK_CONCURRENCY,
  TWILIO_STATUS_WEBHOOK_CONCURRENCY,
  oldestMessageAlarmSeconds,
  webhookClientErrorsAlarm,
} from '../../lib/load-model';
import { QUEUES } from '../../lib/queues';
import { SYNTH_TIMEOUT_MS, synthesize, type Synthesized } from './synth';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-def012345678';
const noBundling = { 'aws:cdk:bundling-stacks': [] };
let plain: Synthesized;
let custom: Synthesized;

beforeAll(() => {
  plain = synthesize({ ...noBundling }, { nag: true });
  custom = synthesize(
    { ...noBundling, domainName: 'api.example.com', certificateArn: CERTIFICATE, basePath: 'v1' },
    { nag: true },
  );
}, SYNTH_TIMEOUT_MS);

/** Each alarm's properties; a single labelled metric (the Metrics form) is lifted to the top level. */
const alarmsOf = (s: Synthesized): Array<Record<string, any>> =>
  Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((r) => {
    const props = r.Properties as Record<string, any>;
    const single = props.Metrics?.length === 1 ? props.Metrics[0].MetricStat : undefined;
    return single ? { ...props, ...single.Metric, Period: single.Period, Statistic: single.Stat } : props;
  });
const mentions = (a: Record<string, any>, logicalId: string) =>
  JSON.stringify(a.Dimensions ?? a.Metrics ?? []).includes(`"${logicalId}"`);
const outputs = (s: Synthesized) => s.template.toJSON().Outputs as Record<string, { Value: unknown }>;

describe.each([['plain'], ['custom-domain']] as const)('AwsSolutions on the %s stage', (stage) => {
  it('leaves no error or warning unacknowledged', () => {
    const s = stage === 'plain' ? plain : custom;
    const report = new AwsSolutionsChecks().validateScope(s.stack);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });
});

describe('Twilio webhooks', () => {
  const specs = FUNCTIONS as readonly FunctionSpec[];

  it('serves inbound messages and status callbacks from two functions, each reserving its own concurrency', () => {
    const routesOf = (id: string) => specs.find((spec) => spec.id === id)?.routes?.map(routeKey);
    expect(routesOf('TwilioWebhook')).toEqual(['POST /webhooks/twilio/sms']);
    expect(routesOf('TwilioStatusWebhook')).toEqual(['POST /webhooks/twilio/status']);
    expect(plain.functionProps('TwilioWebhook').ReservedConcurrentExecutions).toBe(TWILIO_SMS_WEBHOOK_CONCURRENCY);
    expect(plain.functionProps('TwilioStatusWebhook').ReservedConcurrentExecutions).toBe(
      TWILIO_STATUS_WEBHOOK_CONCURRENCY,
    );
  });

  it('gives only the inbound webhook the right to send to the inbound queue', () => {
    const inbound = plain.logicalId(plain.stack.storage.inboundQueue);
    const sendsToInbound = (id: string) =>
      plain
        .statementsOf(id)
        .some(
          (st) =>
            JSON.stringify(st.Action).includes('sqs:SendMessage') && JSON.stringify(st.Resource).includes(inbound),
        );
    expect(sendsToInbound('TwilioWebhook')).toBe(true);
    expect(sendsToInbound('TwilioStatusWebhook')).toBe(false);
  });

  it('throttles each Twilio route with its own budget from the load model: the peak times 3, burst twice that', () => {
    const stage = plain.template.toJSON().Resources[plain.logicalId(plain.stack.api.stage)].Properties;
    expect(stage.RouteSettings['POST /webhooks/twilio/sms']).toMatchObject({
      ThrottlingRateLimit: THROTTLES.twilioSms.rateLimit,
      ThrottlingBurstLimit: THROTTLES.twilioSms.burstLimit,
    });
    expect(stage.RouteSettings['POST /webhooks/twilio/status']).toMatchObject({
      ThrottlingRateLimit: THROTTLES.twilioStatus.rateLimit,
      ThrottlingBurstLimit: THROTTLES.twilioStatus.burstLimit,
    });
    expect(THROTTLES.twilioSms.rateLimit).toBeGreaterThanOrEqual(LOAD_MODEL.inboundPeakPerSecond * 3);
    expect(THROTTLES.twilioStatus.rateLimit).toBeGreaterThanOrEqual(
      PEAK_SENDS_PER_SECOND * LOAD_MODEL.statusCallbacksPerSend * 3,
    );
    expect(THROTTLES.twilioSms.burstLimit).toBe(THROTTLES.twilioSms.rateLimit * 2);
  });

  it('turns on detailed (per-route) metrics on the stage and on every route', () => {
    const stage = plain.template.toJSON().Resources[plain.logicalId(plain.stack.api.stage)].Properties;
    expect(stage.DefaultRouteSettings.DetailedMetricsEnabled).toBe(true);
    for (const route of routeTable())
      expect(stage.RouteSettings[routeKey(route)].DetailedMetricsEnabled, routeKey(route)).toBe(true);
  });

  it.each(webhookRoutes().map((route) => [routeKey(route), route] as const))(
    '%s: alarms on its 4xx (per-route metric) and on any 429 (counted from the access log)',
    (key, route) => {
      const alarms = alarmsOf(plain);
      const clientErrors = alarms.filter(
        (a) =>
          a.MetricName === '4xx' &&
          a.Namespace === 'AWS/ApiGateway' &&
          a.Dimensions.some((d: any) => d.Name === 'Resource' && d.Value === route.path) &&
          a.Dimensions.some((d: any) => d.Name === 'Method' && d.Value === route.method),
      );
      expect(clientErrors).toHaveLength(1);
      expect(clientErrors[0]!.Threshold).toBe(webhookClientErrorsAlarm(route));

      const filters = Object.values(plain.template.findResources('AWS::Logs::MetricFilter')).filter((f) =>
        String(f.Properties.FilterPattern).includes(`"${key}"`),
      );
      expect(filters).toHaveLength(1);
      const filter = filters[0]!.Properties;
      expect(filter.FilterPattern).toContain('$.status = "429"');
      expect(filter.LogGroupName).toEqual({ Ref: plain.logicalId(plain.stack.api.accessLogs) });
      const metric = filter.MetricTransformations[0];
      const throttled = alarms.filter(
        (a) => a.MetricName === metric.MetricName && a.Namespace === metric.MetricNamespace,
      );
      expect(throttled).toHaveLength(1);
      expect(throttled[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    },
  );

  it('writes access logs as JSON with the route key and status, which the 429 filters match', () => {
    const stage = plain.template.toJSON().Resources[plain.logicalId(plain.stack.api.stage)].Properties;
    const format = JSON.parse(stage.AccessLogSettings.Format);
    expect(format).toMatchObject({ routeKey: '$context.routeKey', status: '$context.status' });
  });

  it('alarms when the inbound webhook is silent for 30 minutes while every store is open', () => {
    const silent = alarmsOf(plain).filter((a) => a.ComparisonOperator === 'LessThanThreshold');
    expect(silent).toHaveLength(1);
    const alarm = silent[0]!;
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, TreatMissingData: 'breaching' });
    const expression = alarm.Metrics.find((m: any) => m.Expression)!;
    const { from, to } = LOAD_MODEL.allStoresOpenUtc;
    expect(expression.Expression).toBe(
      `IF(HOUR(TIME_SERIES(0)) >= ${from} OR HOUR(TIME_SERIES(0)) < ${to}, FILL(requests, 0), 1)`,
    );
    const requests = alarm.Metrics.find((m: any) => m.Id === 'requests')!.MetricStat;
    expect(requests).toMatchObject({ Period: SILENT_WEBHOOK_MINUTES * 60, Stat: 'Sum' });
    expect(requests.Metric).toMatchObject({ MetricName: 'Count', Namespace: 'AWS/ApiGateway' });
    expect(requests.Metric.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'Resource', Value: '/webhooks/twilio/sms' },
        { Name: 'Method', Value: 'POST' },
      ]),
    );
  });
});

describe('the sender', () => {
  it('hands messages to Twilio from its own functions: the sender reserves its concurrency, the bulk sender is capped below it', () => {
    expect(plain.functionProps('Sender').ReservedConcurrentExecutions).toBe(SENDER_CONCURRENCY);
    const mappings = Object.values(plain.template.toJSON().Resources as Record<string, any>).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping',
    );
    const mappingOf = (queue: 'send' | 'send-bulk') =>
      mappings.find((m) =>
        JSON.stringify(m.Properties.EventSourceArn).includes(plain.logicalId(plain.stack.storage.queues[queue].queue)),
      )?.Properties;
    expect(mappingOf('send')).toMatchObject({
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: SENDER_CONCURRENCY },
    });
    expect(mappingOf('send-bulk')).toMatchObject({ ScalingConfig: { MaximumConcurrency: BULK_SENDER_CONCURRENCY } });
    expect(BULK_SENDER_CONCURRENCY).toBeLessThan(SENDER_CONCURRENCY);
  });

  it('never lets a request path call Twilio: only the senders hold its secret; the API functions may only queue', () => {
    const specs = FUNCTIONS as readonly FunctionSpec[];
    const withTwilio = specs.filter((spec) => spec.uses.secrets?.includes('twilio')).map((spec) => spec.id);
    // The inbound webhook checks signatures with the auth token; the inbound and media workers fetch
    // Twilio's media; the scheduled-sender (no request waits on it) reads Twilio's message list for
    // a send claim that expired without a SID; the WhatsApp template route and its hourly refresh
    // read the Content API's approval status (they never send: no sender queue, no message).
    expect(withTwilio.sort()).toEqual(
      [
        'BulkSender',
        'InboundMediaWorker',
        'InboundWorker',
        'ScheduledSender',
        'Sender',
        'TwilioStatusWebhook',
        'TwilioWebhook',
        'WhatsAppTemplateRefresh',
        'WhatsAppTemplatesApi',
      ].sort(),
    );
    for (const id of ['WhatsAppTemplateRefresh', 'WhatsAppTemplatesApi'])
      expect(specs.find((spec) => spec.id === id)?.uses.senderQueue).toBeUndefined();
    for (const id of ['ConversationsApi', 'CartsApi', 'PaymentWebhook'])
      expect(specs.find((spec) => spec.id === id)?.uses.senderQueue).toBe('send');
  });
});

describe('dead letters', () => {
  it.each(QUEUES.map((spec) => [spec.name, spec] as const))(
    'the %s queue: any dead letter and its oldest message are alarmed; its DLQ is an output',
    (name, spec) => {
      const { queue, deadLetters } = plain.stack.storage.queues[name];
      const alarms = alarmsOf(plain);
      const dlq = alarms.filter(
        (a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && mentions(a, plain.logicalId(deadLetters)),
      );
      expect(dlq).toHaveLength(1);
      expect(dlq[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      const age = alarms.filter(
        (a) => a.MetricName === 'ApproximateAgeOfOldestMessage' && mentions(a, plain.logicalId(queue)),
      );
      expect(age).toHaveLength(1);
      expect(age[0]!.Threshold).toBe(oldestMessageAlarmSeconds(spec));

      const named = Object.entries(outputs(plain)).filter(([, o]) =>
        JSON.stringify(o.Value).includes(`"${plain.logicalId(deadLetters)}"`),
      );
      expect(named.map(([key]) => key).sort()).toEqual(
        [
          `${spec.id.replace(/Queue$/, '')}DeadLetterQueueArn`,
          `${spec.id.replace(/Queue$/, '')}DeadLetterQueueUrl`,
        ].sort(),
      );
    },
  );

  it("sends the table stream consumer's abandoned batches to a queue of their own, alarmed and named", () => {
    const failures = plain.logicalId(plain.stack.storage.streamFailures);
    plain.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith([plain.logicalId(plain.stack.storage.table)]) }),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failures, 'Arn'] } } },
    });
    expect(alarmsOf(plain).filter((a) => mentions(a, failures))).toHaveLength(1);
    expect(JSON.stringify(outputs(plain).StreamFailuresQueueArn?.Value)).toContain(failures);
    expect(JSON.stringify(outputs(plain).AsyncFailuresQueueArn?.Value)).toContain(
      plain.logicalId(plain.stack.storage.asyncFailures),
    );
  });
});

describe('load model', () => {
  it('sizes for the design: 1,000 stores, 12,000 associates online, 200 inbound/s at peak, 2 callbacks a send', () => {
    expect(LOAD_MODEL).toMatchObject({
      stores: 1_000,
      associates: 20_000,
      onlineAtPeak: 12_000,
      outboundPerDay: 2_000_000,
      inboundPerDay: 1_000_000,
      inboundPeakPerSecond: 200,
      statusCallbacksPerSend: 2,
    });
    expect(EXPECTED_RPS.twilioSms).toBe(200);
    // The busiest hour of 2M sends over 12 trading hours, twice the average hour; above the 08:00 release.
    expect(PEAK_SENDS_PER_SECOND).toBeCloseTo((2_000_000 / 12 / 3_600) * 2, 6);
    expect(PEAK_SENDS_PER_SECOND).toBeGreaterThan(50_000 / 1_800);
  });
});

describe('custom domain', () => {
  it('builds a regional domain name with the given certificate, mapped to the stage at the base path', () => {
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE, EndpointType: 'REGIONAL' })],
    });
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: custom.logicalId(custom.stack.api.httpApi) },
      ApiMappingKey: 'v1',
      Stage: '$default',
    });
    plain.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    plain.template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
  });

  it('is the public base URL of every function that builds links or checks signatures', () => {
    const specs = (FUNCTIONS as readonly FunctionSpec[]).filter((spec) => spec.uses.publicBaseUrl);
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs)
      expect(custom.functionProps(spec.id).Environment.Variables[ENV.publicBaseUrl], spec.id).toBe(
        'https://api.example.com/v1',
      );
  });

  it('prints the exact URLs to paste into Twilio and the payment provider, and where to point the DNS name', () => {
    const out = outputs(custom);
    expect(out.TwilioSmsWebhookUrl?.Value).toBe('https://api.example.com/v1/webhooks/twilio/sms');
    expect(out.TwilioFallbackUrl?.Value).toBe('https://api.example.com/v1/webhooks/twilio/sms');
    expect(out.TwilioStatusCallbackUrl?.Value).toBe('https://api.example.com/v1/webhooks/twilio/status');
    expect(out.PaymentWebhookUrl?.Value).toBe('https://api.example.com/v1/webhooks/payments');
    expect(JSON.stringify(out.CustomDomainTarget?.Value)).toContain('RegionalDomainName');
    for (const path of Object.values(WEBHOOK_PATHS))
      expect(
        routeTable().some((route) => route.path === path && route.auth === 'public'),
        path,
      ).toBe(true);
  });

  it("without one, prints the same URLs on the API's own execute-api address", () => {
    const sms = JSON.stringify(outputs(plain).TwilioSmsWebhookUrl?.Value);
    expect(sms).toContain('execute-api');
    expect(sms).toContain('/webhooks/twilio/sms');
    expect(outputs(plain).CustomDomainTarget).toBeUndefined();
  });
});

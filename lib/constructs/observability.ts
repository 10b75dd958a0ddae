/**
 * What an operator needs to learn that something fails: CloudWatch alarms on the platform's own
 * metrics (Lambda, SQS, API Gateway, DynamoDB) and on the business metrics the functions write
 * as EMF (functions/shared/metrics.ts), all to one SNS topic (an email address from context),
 * and one dashboard with all of it.
 *
 * Thresholds come from the load model (lib/load-model.ts: 1,000 stores, 20,000 associates) or
 * from what the alarmed thing is for; each says why. Every queue of lib/queues.ts gets its alarms
 * from the list, so a queue added there is alarmed without a change here.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from '../../functions/shared/metric-names';
import type { RouteSpec } from '../function-spec';
import { routeKey, routeTable } from '../functions';
import { LOAD_MODEL, oldestMessageAlarmSeconds, webhookClientErrorsAlarm } from '../load-model';
import { QUEUES } from '../queues';
import type { Api } from './api';
import type { ClientelingFunction } from './clienteling-function';
import type { Storage } from './storage';

export interface ObservabilityProps {
  readonly storage: Storage;
  readonly api: Api;
  readonly functions: readonly ClientelingFunction[];
  /** Where alarm notifications go; without it the topic has no subscriber (add one by hand). */
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A business metric as the functions write it (the plain `service` dimension). */
export const businessMetric = (name: MetricName, statistic = 'Sum'): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE },
    statistic,
    period: FIVE_MINUTES,
  });

/** Refused webhook requests per 5 minutes that mean a broken secret or a probe, not a stray retry. */
export const WEBHOOK_REFUSALS_ALARM = 10;
/** Where the access-log metric filters count throttled (429) requests, by route. */
export const API_METRICS_NAMESPACE = 'Clienteling/Api';
/** The silent-webhook alarm's window: this long without one inbound message while every store is open. */
export const SILENT_WEBHOOK_MINUTES = 30;

/** The public webhook routes (Twilio's, the payment provider's): each gets its 4xx and 429 alarms. */
export const webhookRoutes = (): RouteSpec[] => routeTable().filter((route) => route.path.startsWith('/webhooks/'));

/** `POST /webhooks/twilio/sms` → `TwilioSms`: a construct id part. */
const routeName = (route: RouteSpec) =>
  route.path
    .replace(/^\/webhooks\//, '')
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

type AlarmFactory = (
  name: string,
  metric: cloudwatch.IMetric,
  threshold: number,
  description: string,
) => cloudwatch.Alarm;

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { storage, api, functions } = props;

    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'Clienteling alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and metric values, no personal data; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key would be kept for this alone.',
    });
    const alarmAction = new actions.SnsAction(this.topic);

    const alarm: AlarmFactory = (name, metric, threshold, description) => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(alarmAction);
      created.addOkAction(alarmAction);
      this.alarms.push(created);
      return created;
    };

    // ── functions ──────────────────────────────────────────────────────────────────────────
    for (const fn of functions) {
      // Handlers answer expected failures as problems; an Error metric is an unhandled failure.
      alarm(
        `${fn.spec.id}Errors`,
        fn.fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `${fn.spec.id}: unhandled errors (any in 5 minutes).`,
      );
      alarm(
        `${fn.spec.id}Throttles`,
        fn.fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `${fn.spec.id}: invocations throttled (reserved or account concurrency reached).`,
      );
    }
    const asyncFunctions = functions.filter((fn) => fn.spec.s3);
    for (const fn of asyncFunctions) {
      alarm(
        `${fn.spec.id}AsyncEventsDropped`,
        fn.fn.metric('AsyncEventsDropped', { period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `${fn.spec.id}: S3 events dropped without reaching the on-failure destination.`,
      );
    }

    // ── queues ─────────────────────────────────────────────────────────────────────────────
    // Every declared queue: its oldest message's age (the consumer keeps up), and any message in
    // its dead-letter queue (nothing consumes one; it waits for a redrive, README "Operations").
    for (const spec of QUEUES) {
      const { queue, deadLetters } = storage.queues[spec.name];
      const name = spec.id.replace(/Queue$/, '');
      const maxAge = oldestMessageAlarmSeconds(spec);
      alarm(
        `${name}QueueAge`,
        queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        maxAge,
        `${spec.id}: the oldest message waits ${maxAge} s or more: its consumer is failing, throttled or capped too low.`,
      );
      alarm(
        `${name}DlqDepth`,
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        1,
        `${spec.deadLetters.id}: messages in the dead-letter queue: fix the cause, then redrive (README, Operations).`,
      );
    }
    alarm(
      'AsyncFailuresDepth',
      storage.asyncFailures.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'S3-triggered imports that failed every retry: their events wait in the async-failures queue.',
    );
    alarm(
      'StreamFailuresDepth',
      storage.streamFailures.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'Table-stream batches the events publisher gave up on: live events were lost for that range (README, Operations).',
    );

    // ── webhooks ───────────────────────────────────────────────────────────────────────────
    this.webhookAlarms(api, alarm, alarmAction);

    // ── API and table ──────────────────────────────────────────────────────────────────────
    alarm(
      'Api5xx',
      api.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      5,
      'HTTP API answered 5xx (5 or more in 5 minutes).',
    );
    const tableThrottles = new cloudwatch.MathExpression({
      label: 'throttled requests',
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: {
        r: storage.table.metric('ReadThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
        w: storage.table.metric('WriteThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      period: FIVE_MINUTES,
    });
    // SDK retries absorb a few; this many in 5 minutes means a hot partition or a cap set too high.
    alarm('TableThrottles', tableThrottles, 50, 'DynamoDB throttled 50 or more requests in 5 minutes.');

    // ── business ───────────────────────────────────────────────────────────────────────────
    alarm(
      'WebhooksRefused',
      businessMetric(METRIC.webhooksRefused),
      WEBHOOK_REFUSALS_ALARM,
      'Webhook requests refused for their signature: a rotated secret not updated, or someone probing.',
    );
    alarm(
      'PaymentsRefused',
      businessMetric(METRIC.paymentsRefused),
      1,
      'A validly signed payment was refused (link expired before it was paid or past the 2-hour grace, wrong total, already paid): the provider took the money and no cart was settled; refund or settle it by hand.',
    );
    alarm(
      'ImportsFailed',
      businessMetric(METRIC.importsFailed),
      1,
      'A campaign import turned FAILED (format error, nothing accepted, or interrupted).',
    );

    // ── dashboard ──────────────────────────────────────────────────────────────────────────
    const graph = (title: string, metrics: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('Imports: rows', [businessMetric(METRIC.rowsImported), businessMetric(METRIC.rowsRejected)]),
      graph('Imports: finished / failed', [
        businessMetric(METRIC.importsFinished),
        businessMetric(METRIC.importsFailed),
      ]),
      graph(
        'Queues: oldest message (s)',
        QUEUES.map((spec) =>
          storage.queues[spec.name].queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, label: spec.id }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Dead letters',
        [
          ...QUEUES.map((spec) =>
            storage.queues[spec.name].deadLetters.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
              label: spec.deadLetters.id,
            }),
          ),
          storage.asyncFailures.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            label: 'AsyncFailures',
          }),
          storage.streamFailures.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            label: 'StreamFailures',
          }),
        ],
        12,
      ),
      graph(
        'Webhooks: requests, 4xx, 429',
        webhookRoutes().flatMap((route) => [
          this.routeMetric(api, route, 'Count'),
          this.routeMetric(api, route, '4xx'),
          this.throttledMetric(route),
        ]),
        12,
      ),
    );
    this.dashboard.addWidgets(
      graph('Messages', [
        businessMetric(METRIC.messagesSent),
        businessMetric(METRIC.messagesFailed),
        businessMetric(METRIC.inboundReceived),
      ]),
      graph('Webhooks refused, payments settled and refused', [
        businessMetric(METRIC.webhooksRefused),
        businessMetric(METRIC.paymentsSettled),
        businessMetric(METRIC.paymentsRefused),
      ]),
      graph('HTTP API', [
        api.httpApi.metricCount({ period: FIVE_MINUTES }),
        api.httpApi.metricClientError({ period: FIVE_MINUTES }),
        api.httpApi.metricServerError({ period: FIVE_MINUTES }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors',
        functions.map((fn) => fn.fn.metricErrors({ period: FIVE_MINUTES, label: fn.spec.id })),
        8,
      ),
      graph(
        'Lambda throttles',
        functions.map((fn) => fn.fn.metricThrottles({ period: FIVE_MINUTES, label: fn.spec.id })),
        8,
      ),
      graph(
        'Lambda duration p99',
        functions.map((fn) => fn.fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: fn.spec.id })),
        8,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'DynamoDB capacity',
        [
          storage.table.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES }),
          storage.table.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES }),
        ],
        12,
      ),
      graph('DynamoDB throttles', [tableThrottles], 12),
    );
  }

  /** One route's metric with detailed metrics on (AWS/ApiGateway: ApiId, Stage, Method, Resource). */
  private routeMetric(api: Api, route: RouteSpec, metricName: 'Count' | '4xx', period = FIVE_MINUTES) {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensionsMap: {
        ApiId: api.httpApi.apiId,
        Stage: api.stage.stageName,
        Method: route.method,
        Resource: route.path,
      },
      statistic: 'Sum',
      period,
      label: `${routeKey(route)} ${metricName}`,
    });
  }

  /** Throttled (429) requests of one route, counted from the access log by a metric filter. */
  private throttledMetric(route: RouteSpec) {
    return new cloudwatch.Metric({
      namespace: API_METRICS_NAMESPACE,
      metricName: `${routeName(route)}Throttled`,
      statistic: 'Sum',
      period: FIVE_MINUTES,
      label: `${routeKey(route)} 429`,
    });
  }

  /**
   * Per webhook route: its 4xx (refused signatures, bad forms, throttles: a threshold from the
   * load model) and its 429s alone (any: a throttled Twilio request is a message Twilio may not
   * deliver again). HTTP APIs publish no 429 metric, so a metric filter counts them in the access
   * log. And one alarm on the inbound route going silent while every store is open.
   */
  private webhookAlarms(api: Api, alarm: AlarmFactory, alarmAction: actions.SnsAction): void {
    for (const route of webhookRoutes()) {
      const name = routeName(route);
      alarm(
        `${name}Webhook4xx`,
        this.routeMetric(api, route, '4xx'),
        webhookClientErrorsAlarm(route),
        `${routeKey(route)}: ${webhookClientErrorsAlarm(route)} or more 4xx in 5 minutes (signatures refused, bad requests or throttles).`,
      );
      new logs.MetricFilter(this, `${name}ThrottledFilter`, {
        logGroup: api.accessLogs,
        filterPattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.routeKey', '=', routeKey(route)),
          logs.FilterPattern.stringValue('$.status', '=', '429'),
        ),
        metricNamespace: API_METRICS_NAMESPACE,
        metricName: `${routeName(route)}Throttled`,
        metricValue: '1',
      });
      alarm(
        `${name}Webhook429`,
        this.throttledMetric(route),
        1,
        `${routeKey(route)}: requests throttled (429) by the route's limit: the load model is exceeded, raise it (lib/load-model.ts).`,
      );
    }

    // CloudWatch alarms have no schedule, so the trading-hours window is in the expression: HOUR()
    // of a series that has a point in every period (TIME_SERIES) says whether every store is open
    // (LOAD_MODEL.allStoresOpenUtc); then the inbound route's count counts, else a constant 1 (OK).
    // Missing data is breaching for this alarm alone: if FILL cannot make zeros of a route with no
    // request at all in the window, a silent route is still an alarm, not "no data". A composite
    // alarm would need a second, clock-driven alarm CloudWatch cannot build either; a scheduled
    // Lambda disabling the alarm overnight is the alternative, at the cost of one more function.
    const inbound = webhookRoutes().find((route) => route.path === '/webhooks/twilio/sms');
    if (!inbound) return;
    const { from, to } = LOAD_MODEL.allStoresOpenUtc;
    const hour = 'HOUR(TIME_SERIES(0))';
    const open = from < to ? `${hour} >= ${from} AND ${hour} < ${to}` : `${hour} >= ${from} OR ${hour} < ${to}`;
    const window = Duration.minutes(SILENT_WEBHOOK_MINUTES);
    const silent = new cloudwatch.Alarm(this, 'TwilioSmsWebhookSilent', {
      alarmDescription: `${routeKey(inbound)}: no inbound message in ${SILENT_WEBHOOK_MINUTES} minutes while every store is open (${from}:00–${to}:00 UTC): Twilio's webhook URL, the domain or the certificate is broken.`,
      metric: new cloudwatch.MathExpression({
        label: 'inbound requests while every store is open (1 outside those hours)',
        expression: `IF(${open}, FILL(requests, 0), 1)`,
        usingMetrics: { requests: this.routeMetric(api, inbound, 'Count', window) },
        period: window,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    silent.addAlarmAction(alarmAction);
    silent.addOkAction(alarmAction);
    this.alarms.push(silent);
  }
}

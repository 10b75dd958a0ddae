/**
 * What an operator needs to learn that something fails: CloudWatch alarms on the platform's own
 * metrics (Lambda, SQS, API Gateway, DynamoDB) and on the business metrics the functions write
 * as EMF (functions/shared/metrics.ts), all to one SNS topic (an email address from context),
 * and one dashboard with all of it.
 *
 * Thresholds are for the load model of the README (500 stores, 25k associates); each says why.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from '../../functions/shared/metric-names';
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

/** Import queue messages older than this mean the writers are stuck or starved. */
export const IMPORT_QUEUE_AGE_ALARM_SECONDS = 15 * 60;
/** Refused webhook requests per 5 minutes that mean a broken secret or a probe, not a stray retry. */
export const WEBHOOK_REFUSALS_ALARM = 10;

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

    const alarm = (
      name: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      description: string,
    ): cloudwatch.Alarm => {
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
    alarm(
      'ImportQueueAge',
      storage.importQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      IMPORT_QUEUE_AGE_ALARM_SECONDS,
      'Import chunks wait more than 15 minutes: writers failing, throttled or capped too low.',
    );
    alarm(
      'ImportDlqDepth',
      storage.importDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      1,
      'Import chunks in the dead-letter queue: fix the cause and redrive within 30 minutes (README, Operations).',
    );
    alarm(
      'AsyncFailuresDepth',
      storage.asyncFailures.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'S3-triggered imports that failed every retry: their events wait in the async-failures queue.',
    );

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
      graph('Import queue', [
        storage.importQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
        storage.importQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES }),
        storage.importDeadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
        storage.asyncFailures.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Messages', [
        businessMetric(METRIC.messagesSent),
        businessMetric(METRIC.messagesFailed),
        businessMetric(METRIC.inboundReceived),
      ]),
      graph('Webhooks refused, payments settled', [
        businessMetric(METRIC.webhooksRefused),
        businessMetric(METRIC.paymentsSettled),
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
}

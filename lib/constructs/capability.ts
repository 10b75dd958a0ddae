/**
 * One capability (stores, campaigns, conversations, carts) built from the manifest: each of its
 * FunctionSpecs becomes a ClientelingFunction, bound to what its `uses` block names, and wired to
 * its routes, S3 prefixes (with their async-failure destination), queue or schedule. Nothing here is per-function
 * code: a new function or route is a manifest change only.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import type { Capability as CapabilityName, FunctionSpec } from '../function-spec';
import { FUNCTIONS } from '../functions';
import type { Api } from './api';
import { ClientelingFunction, type BindingTargets } from './clienteling-function';
import type { LiveEvents } from './live-events';
import type { Storage } from './storage';
import type { ZoneSchedules } from './zone-schedules';

export interface CapabilityProps {
  readonly capability: CapabilityName;
  readonly storage: Storage;
  readonly api: Api;
  readonly publicBaseUrl: string;
  readonly paymentCheckoutUrl?: string;
  readonly zoneSchedules: ZoneSchedules;
  readonly liveEvents: LiveEvents;
  readonly throwaway: boolean;
}

export class Capability extends Construct {
  /** Keyed by the manifest id (`CartPage`, `OutreachWriter`...). */
  readonly functions: ReadonlyMap<string, ClientelingFunction>;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { storage, api } = props;
    const bindingTargets: BindingTargets = {
      table: storage.table,
      uploads: storage.uploads,
      images: storage.images,
      queues: storage.queues,
      secrets: storage.secrets,
      publicBaseUrl: props.publicBaseUrl,
      paymentCheckoutUrl: props.paymentCheckoutUrl,
      zoneSchedules: props.zoneSchedules,
      liveEvents: props.liveEvents,
      userPool: { userPoolId: api.userPool.userPoolId, clientId: api.appClient.userPoolClientId },
    };

    const built = new Map<string, ClientelingFunction>();
    const specs = (FUNCTIONS as readonly FunctionSpec[]).filter((spec) => spec.capability === props.capability);
    for (const spec of specs) {
      const fn = new ClientelingFunction(this, spec.id, {
        spec,
        removalPolicy: props.throwaway ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      });
      fn.bind(spec.uses, bindingTargets);

      for (const route of spec.routes ?? []) api.addRoute(route, fn.fn, spec.id);
      if (spec.fallback) api.addFallback(fn.fn, spec.id);

      if (spec.s3) {
        for (const prefix of spec.s3.prefixes) {
          storage.uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(fn.fn), {
            prefix,
            suffix: spec.s3.suffix,
          });
        }
        // S3 invokes asynchronously: two retries, then the event goes to a queue an alarm watches
        // instead of vanishing; what it left PROCESSING, the import watchdog ends.
        fn.fn.configureAsyncInvoke({
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          onFailure: new SqsDestination(storage.asyncFailures),
        });
      }
      if (spec.sqs) {
        const { queue } = storage.queues[spec.sqs.queue];
        fn.fn.addEventSource(
          new SqsEventSource(queue, {
            batchSize: spec.sqs.batchSize,
            maxBatchingWindow:
              spec.sqs.maxBatchingWindowSeconds === undefined
                ? undefined
                : Duration.seconds(spec.sqs.maxBatchingWindowSeconds),
            reportBatchItemFailures: true,
            maxConcurrency: spec.sqs.maxConcurrency,
          }),
        );
      }
      if (spec.schedule) {
        new events.Rule(this, `Schedule-${spec.schedule.name}`, {
          description: `${spec.schedule.name}: ${spec.description}`,
          schedule: events.Schedule.rate(Duration.minutes(spec.schedule.everyMinutes)),
          targets: [new targets.LambdaFunction(fn.fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
        });
      }
      if (spec.zoneMidnights) props.zoneSchedules.setTarget(fn.fn);
      if (spec.stream) {
        // One batch per shard at a time (no parallelization factor), so a conversation's events keep their commit order.
        fn.fn.addEventSource(
          new DynamoEventSource(storage.table, {
            startingPosition: StartingPosition.LATEST,
            batchSize: 100,
            maxBatchingWindow: Duration.millis(0),
            retryAttempts: 10,
            maxRecordAge: Duration.hours(1),
            bisectBatchOnError: true,
            // A batch given up on leaves its shard and sequence range here (alarmed), not silently behind.
            onFailure: new SqsDlq(storage.streamFailures),
            filters: spec.stream.filters.map((f) =>
              FilterCriteria.filter({
                eventName: [...f.eventNames],
                dynamodb: { Keys: { sk: { S: [...f.sortKeys, ...f.sortKeyPrefixes.map((prefix) => ({ prefix }))] } } },
              }),
            ),
          }),
        );
      }
      for (const routeKey of spec.webSocket?.routes ?? []) props.liveEvents.addRoute(routeKey, fn.fn, spec.id);
      built.set(spec.id, fn);
    }
    this.functions = built;
  }
}

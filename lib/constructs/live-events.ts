/**
 * Live events: the WebSocket API associates' apps connect to (`$connect` verifies the Cognito ID
 * token in the `token` query parameter; the manifest's `webSocket` function serves both routes),
 * and the event bus on which every event is also put for the retailer's own systems (source
 * `clienteling`, detail-type = the event type). The manifest's `stream` function publishes to both.
 */
import { Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class LiveEvents extends Construct {
  readonly bus: events.EventBus;
  readonly webSocketApi: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Clienteling live events for integrations (source clienteling)',
    });
    this.webSocketApi = new apigw.WebSocketApi(this, 'WebSocketApi', {
      description: 'Clienteling live events: connect with ?token=<Cognito ID token>',
    });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: 'live',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG1',
      reason:
        'WebSocket access logs need the account-wide API Gateway CloudWatch role, which this stack must not set for the whole account; the $connect/$disconnect function logs every connection (user, store, outcome) in its own log group instead.',
    });
  }

  /** wss://… of the stage: where clients connect. */
  get url(): string {
    return this.stage.url;
  }

  /** https://… of the stage: where a function posts to a connection. */
  get callbackUrl(): string {
    return this.stage.callbackUrl;
  }

  addRoute(routeKey: '$connect' | '$disconnect', handler: IFunction, functionId: string): void {
    const route = this.webSocketApi.addRoute(routeKey, {
      integration: new WebSocketLambdaIntegration(`${functionId}${routeKey.slice(1)}`, handler),
    });
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        routeKey === '$connect'
          ? 'Browsers cannot send headers on a WebSocket: the $connect function verifies the Cognito ID token from the token query parameter (aws-jwt-verify) and refuses the handshake with 401.'
          : '$disconnect is invoked by API Gateway only, for a connection that $connect admitted; it deletes that connection and nothing else.',
    });
  }

  /** execute-api:ManageConnections on this API's stage only. */
  grantPost(grantee: iam.IGrantable & { node: Construct['node'] }): void {
    this.stage.grantManagementApiAccess(grantee);
  }

  /** events:PutEvents on this bus only. */
  grantPut(grantee: iam.IGrantable): void {
    this.bus.grantPutEventsTo(grantee);
  }
}

/**
 * The HTTP API and who may call it: a Cognito user pool whose ID tokens carry `custom:store_id`
 * and `cognito:groups` (docs/architecture.md, "HTTP API"), the JWT authorizer that checks them,
 * CORS, and access logs. Capabilities add their routes through `addRoute`, straight from the
 * manifest.
 */
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteSpec } from '../function-spec';
import { routeKey } from '../functions';
import { routeThrottle, STAGE_THROTTLE } from '../load-model';

/** The Cognito groups the handlers' principal.ts understands. */
export const USER_GROUPS = ['associate', 'manager', 'clienteling-admin'] as const;
export const STORE_ID_ATTRIBUTE = 'store_id';

export interface ApiProps {
  readonly throwaway: boolean;
  /** Origins allowed by CORS (the web apps that call the API); none by default: no browser origin may call it. */
  readonly corsOrigins?: readonly string[];
  /** Cognito's emails through SES from this verified identity; without it Cognito's own (50 a day). */
  readonly sesEmail?: { readonly fromEmail: string; readonly sesRegion?: string };
  /** A custom domain in front of the API (an ACM certificate in the stack's region), mapped at `basePath` when given. */
  readonly customDomain?: CustomDomain;
}

export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
  /** The API mapping key: one path segment (`v1`), or none to map the domain's root. */
  readonly basePath?: string;
}

/** What each access log line holds (JSON, so metric filters can match a route and a status). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
} as const;

export class Api extends Construct {
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** One JSON line per request (ACCESS_LOG_FIELDS): the source of the per-route 429 counts. */
  readonly accessLogs: logs.LogGroup;
  /** The custom domain and its mapping, when the deployment names one. */
  readonly domain?: { readonly domainName: apigw.DomainName; readonly mapping: apigw.ApiMapping };
  /**
   * https://{apiId}.execute-api.{region}.{urlSuffix}, without a trailing slash. Built from the
   * API id alone so that a function which is an integration of this API can carry its own
   * public URL without a dependency cycle through the stage or the routes.
   */
  readonly url: string;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const removalPolicy = props.throwaway ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.userPool = new cognito.UserPool(this, 'Users', {
      // Head office creates the accounts; associates do not sign themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { [STORE_ID_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Associates read customers' personal data and message them: a second factor is required.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      ...(props.sesEmail
        ? {
            email: cognito.UserPoolEmail.withSES({
              fromEmail: props.sesEmail.fromEmail,
              fromName: 'Clienteling',
              sesRegion: props.sesEmail.sesRegion ?? Stack.of(this).region,
            }),
          }
        : {}),
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: !props.throwaway,
      removalPolicy,
    });
    for (const groupName of USER_GROUPS) {
      new cognito.UserPoolGroup(this, `Group-${groupName}`, { userPool: this.userPool, groupName });
    }
    this.appClient = this.userPool.addClient('AppClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      // The store a user belongs to is set by an admin; a user must not be able to change it.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true })
        .withCustomAttributes(STORE_ID_ATTRIBUTE),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ givenName: true, familyName: true }),
    });

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Clienteling HTTP API',
      createDefaultStage: false,
      ...(props.corsOrigins && props.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [
                apigw.CorsHttpMethod.GET,
                apigw.CorsHttpMethod.POST,
                apigw.CorsHttpMethod.PUT,
                apigw.CorsHttpMethod.PATCH,
                apigw.CorsHttpMethod.DELETE,
                apigw.CorsHttpMethod.OPTIONS,
              ],
              // Idempotency-Key: a browser's retry-safe send; Retry-After: when to try a 429/503 again.
              allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
              exposeHeaders: ['etag', 'location', 'retry-after'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.throwaway ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      // Sized from the load model (lib/load-model.ts); each route gets its own budget in addRoute.
      throttle: STAGE_THROTTLE,
      // Count, 4xx, 5xx and latency per route (dimensions ApiId, Stage, Method, Resource): the webhook alarms read them.
      detailedMetricsEnabled: true,
    });

    if (props.customDomain) {
      const { domainName, certificateArn, basePath } = props.customDomain;
      const domain = new apigw.DomainName(this, 'CustomDomain', {
        domainName,
        certificate: acm.Certificate.fromCertificateArn(this, 'CustomDomainCertificate', certificateArn),
      });
      // With a mapping key the domain serves the API under /<basePath>; API Gateway strips it to
      // match routes, but the event's rawPath keeps it (functions/shared/public-url.ts).
      const mapping = new apigw.ApiMapping(this, 'CustomDomainMapping', {
        api: this.httpApi,
        domainName: domain,
        stage: this.stage,
        ...(basePath ? { apiMappingKey: basePath } : {}),
      });
      this.domain = { domainName: domain, mapping };
    }

    this.authorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`,
      // ID tokens: they carry custom:store_id and cognito:groups, and their `aud` is the client id.
      { jwtAudience: [this.appClient.userPoolClientId], identitySource: ['$request.header.Authorization'] },
    );
    this.url = `https://${this.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  }

  /**
   * API Gateway's `$default` route: without it an unknown path gets API Gateway's own
   * `{"message":"Not Found"}`, not the problem+json every other answer is.
   */
  addFallback(handler: IFunction, functionId: string): apigw.HttpRoute {
    const httpRoute = new apigw.HttpRoute(this, 'Route $default', {
      httpApi: this.httpApi,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration(`${functionId}Integration`, handler),
      authorizer: new apigw.HttpNoneAuthorizer(),
    });
    Validations.of(httpRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The $default route only answers 404 problem+json for paths no route matches; it reads no data.',
    });
    return httpRoute;
  }

  /** One manifest route to one function; `public` routes check their own signature or token. */
  addRoute(route: RouteSpec, handler: IFunction, functionId: string): apigw.HttpRoute {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${functionId}Integration`, handler);
      this.integrations.set(handler, integration);
    }
    const httpRoute = new apigw.HttpRoute(this, `Route ${routeKey(route).replaceAll('/', '|')}`, {
      httpApi: this.httpApi,
      routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
      integration,
      authorizer: route.auth === 'jwt' ? this.authorizer : new apigw.HttpNoneAuthorizer(),
    });
    // One route's flood (a retry storm, a stuck client) cannot eat the others' budget.
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    const throttle = routeThrottle(route);
    // A dot in the route key (`GET /openapi.json`) is escaped, or the override path would split there.
    cfnStage.addPropertyOverride(`RouteSettings.${routeKey(route).replaceAll('.', '\\.')}`, {
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
      DetailedMetricsEnabled: true,
    });
    cfnStage.node.addDependency(httpRoute);
    if (route.auth === 'public') {
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${routeKey(route)} is called without a Cognito token (by Twilio, the payment provider, a customer's browser, or anyone reading the API description); the handler verifies the request signature or the unguessable share token instead, or serves only the public API description.`,
      });
    }
    return httpRoute;
  }
}

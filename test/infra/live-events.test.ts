/**
 * Live events on AWS: the table's stream feeds the publisher, which may put on this one bus and
 * post to this one WebSocket API's connections and nothing else; the WebSocket API's routes go to
 * the connections function; the outputs name the WebSocket URL and the bus.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';
import { SYNTH_TIMEOUT_MS, actionsOf, statementsOn, synthesize, type Synthesized } from './synth';

const specs = FUNCTIONS as readonly FunctionSpec[];
let s: Synthesized;
let ids: { table: string; bus: string; webSocketApi: string; publisher: string; connections: string };

beforeAll(() => {
  s = synthesize();
  ids = {
    table: s.logicalId(s.stack.storage.table),
    bus: s.logicalId(s.stack.liveEvents.bus),
    webSocketApi: s.logicalId(s.stack.liveEvents.webSocketApi),
    publisher: specs.find((f) => f.stream)!.id,
    connections: specs.find((f) => f.webSocket)!.id,
  };
}, SYNTH_TIMEOUT_MS);

describe('the table stream', () => {
  it('carries new and old images', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('feeds the publisher only, from the latest record, one batch per shard at a time, retried a bounded number of times', () => {
    const mappings = Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [ids.table, 'StreamArn'] },
      FunctionName: { Ref: s.logicalId(s.stack.fn(ids.publisher).fn) },
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: 10,
      BisectBatchOnFunctionError: true,
    });
    expect(mappings[0]!.Properties.ParallelizationFactor ?? 1).toBe(1);
    // Only the items that can make an event invoke it (not a campaign import's million outreach rows).
    const filters = mappings[0]!.Properties.FilterCriteria.Filters as Array<{ Pattern: string }>;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { Keys: { sk: { S: ['CONV', 'CARTPAYMENT', 'CAMPAIGN', 'TASK', { prefix: 'MSG#' }] } } },
      },
      { eventName: ['REMOVE'], dynamodb: { Keys: { sk: { S: ['CUSTOMER'] } } } },
    ]);
  });
});

describe('grants', () => {
  it('lets the publisher put events on the stack bus only', () => {
    const statements = s.statementsOf(ids.publisher).filter((st) => actionsOf([st]).includes('events:PutEvents'));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Resource).toEqual({ 'Fn::GetAtt': [ids.bus, 'Arn'] });
  });

  it("lets the publisher manage connections of this WebSocket API's stage only", () => {
    const statements = s
      .statementsOf(ids.publisher)
      .filter((st) => actionsOf([st]).includes('execute-api:ManageConnections'));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements)).toEqual(['execute-api:ManageConnections']);
    const resource = JSON.stringify(statements[0]!.Resource);
    expect(resource).toContain(`"${ids.webSocketApi}"`);
    expect(resource).toContain('/live/*/@connections/*');
  });

  it.each(specs.filter((f) => !f.stream).map((f) => [f.id] as const))(
    '%s may neither put events nor post to connections',
    (id) => {
      const actions = actionsOf(s.statementsOf(id));
      expect(actions).not.toContain('events:PutEvents');
      expect(actions).not.toContain('execute-api:ManageConnections');
      expect(statementsOn(s.statementsOf(id), ids.bus)).toEqual([]);
    },
  );
});

describe('the WebSocket API', () => {
  it('routes $connect and $disconnect to the connections function, nothing else', () => {
    const routes = Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: { Ref: ids.webSocketApi } } }),
    );
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['$connect', '$disconnect']);
    const integrations = Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Integration', { Properties: { ApiId: { Ref: ids.webSocketApi } } }),
    );
    expect(integrations.length).toBeGreaterThan(0);
    for (const integration of integrations)
      expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(
        s.logicalId(s.stack.fn(ids.connections).fn),
      );
  });

  it('gives the connections function the user pool and app client to verify ID tokens against', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: specs.find((f) => f.webSocket)!.description,
      Environment: {
        Variables: Match.objectLike({
          USER_POOL_ID: { Ref: s.logicalId(s.stack.api.userPool) },
          USER_POOL_CLIENT_ID: { Ref: s.logicalId(s.stack.api.appClient) },
        }),
      },
    });
  });

  it('has a throttled auto-deployed stage', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: ids.webSocketApi },
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      }),
    });
  });
});

describe('outputs', () => {
  it('names the WebSocket URL and the event bus', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.WebSocketUrl?.Value)).toContain(`"${ids.webSocketApi}"`);
    expect(JSON.stringify(outputs.WebSocketUrl?.Value)).toContain('wss://');
    expect(outputs.EventBusName?.Value).toEqual({ Ref: ids.bus });
  });
});

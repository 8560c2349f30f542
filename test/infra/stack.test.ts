import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { apiFunctions, toApiGatewayPath, WORKFLOW_ENTRIES } from '../../infra/stack.js';
import { SERVICE_NAME } from '../../shared/runtime/logger.js';
import { METRICS_NAMESPACE } from '../../shared/runtime/metrics.js';
import { TABLE_DEFINITION } from '../../shared/store/table.js';
import { METRIC_NAMES } from '../../shared/usecases/ports.js';
import { asArray, defaultStack, type Json, logicalIdIn, policyStatements } from './fixture.js';

// Prepare: one stack for the file (bundling skipped, no validation plugin).
const { stack, template } = defaultStack();
const logicalId = (c: { node: { defaultChild?: unknown } }) => logicalIdIn(stack, c);

const tableId = logicalId(stack.table);
const stateMachineId = logicalId(stack.stateMachine);
const roleId = (name: string) => logicalId(stack.functions[name]!.role);

describe('table', () => {
  it('is on-demand, with PITR, TTL, the keys and indexes of TABLE_DEFINITION, and retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((g) =>
          Match.objectLike({
            IndexName: g.indexName,
            KeySchema: [
              { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ),
      }),
    });
  });
});

describe('functions', () => {
  const functions = template.findResources('AWS::Lambda::Function');

  it('one Lambda per workflow handler, per HTTP route and the reminder and retention jobs, all with our defaults', () => {
    const count = Object.keys(WORKFLOW_ENTRIES).length + apiFunctions().size + 2;
    expect(Object.keys(functions)).toHaveLength(count);
    for (const [id, f] of Object.entries(functions) as [string, Json][]) {
      // The prospect import's function is sized for its 20,000-row file, the chat's and the knowledge base console's
      // for building FAQ matchers (next tests).
      const importsProspects = /prospects\/import/.test(String(f.Properties.Description));
      const buildsFaq = /POST \/api\/messages|POST \/api\/console\/kb\/preview/.test(String(f.Properties.Description));
      expect(f.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: importsProspects ? 1024 : buildsFaq ? 1769 : 256,
        Timeout: importsProspects || buildsFaq ? 29 : 10,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
      expect(f.Properties.Environment.Variables.NODE_OPTIONS, id).toBe('--enable-source-maps');
      expect(f.Properties.Environment.Variables.APTIC_CONFIG, id).toBe('/var/task/aptic-config.json');
      expect(f.Properties.LoggingConfig.LogGroup, id).toBeDefined();
    }
  });

  it('the chat and the knowledge base console, which build FAQ matchers (a published version trains ≈ 3 s of one core), get one vCPU and 29 s', () => {
    for (const route of ['POST /api/messages', 'POST /api/console/kb/preview']) {
      const fns = (Object.values(functions) as Json[]).filter((f) => String(f.Properties.Description).includes(route));
      expect(fns, route).toHaveLength(1);
      // 1,769 MB is one vCPU; at the default 256 MB (a seventh of one) training passes the default 10 s.
      expect(fns[0].Properties, route).toMatchObject({ Timeout: 29, MemorySize: 1769 });
    }
  });

  it('the prospect import (20,000 rows in one request) gets 29 s, what an HTTP API waits at most, and 1 GB (CPU)', () => {
    const prospects = (Object.values(functions) as Json[]).filter((f) =>
      String(f.Properties.Description).includes('POST /api/console/prospects/import'),
    );
    expect(prospects).toHaveLength(1);
    expect(prospects[0].Properties).toMatchObject({ Timeout: 29, MemorySize: 1024 });
    // Under the API's integration timeout (30 s): a longer Lambda would go on after the client got a 503.
    expect(prospects[0].Properties.Timeout).toBeLessThan(30);
  });

  it('all get the opening_hours layer (bundles alias opening_hours to its module in /opt)', () => {
    const layers = template.findResources('AWS::Lambda::LayerVersion');
    const [layerId] = Object.entries(layers).find(([, l]) => /opening_hours/.test((l as Json).Properties.Description))!;
    for (const [id, f] of Object.entries(functions) as [string, Json][]) {
      expect(f.Properties.Layers, id).toContainEqual({ Ref: layerId });
    }
  });

  it('logs to a log group kept one month: its own for a workflow Task or job, one shared by the API functions', () => {
    const groups = template.findResources('AWS::Logs::LogGroup') as Record<string, Json>;
    for (const g of Object.values(groups)) expect(g.Properties.RetentionInDays).toBe(30);
    const groupOf = (f: Json) => (f.Properties.LoggingConfig.LogGroup as Json).Ref as string;
    const api = new Set(Object.keys(stack.functions).filter((n) => !(n in WORKFLOW_ENTRIES)));
    const shared = new Set([...api].map((n) => groupOf(functions[logicalId(stack.functions[n]!.fn)] as Json)));
    expect(shared.size).toBe(1);
    const own = Object.keys(WORKFLOW_ENTRIES).map((n) => groupOf(functions[logicalId(stack.functions[n]!.fn)] as Json));
    expect(new Set(own).size).toBe(own.length);
    for (const id of [...shared, ...own]) expect(groups[id], id).toBeDefined();
  });

  it('stays under CloudFormation’s 500 resources per stack, with room for more routes', () => {
    const count = Object.keys(template.toJSON().Resources).length;
    expect(count).toBeLessThanOrEqual(470);
  });

  it('sets TABLE_NAME exactly where the table is bound, STATE_MACHINE_ARN where executions are started or decided', () => {
    const env = (name: keyof typeof stack.functions) =>
      (stack.resolve((stack.functions[name]!.fn.node.defaultChild as Json).environment) as Json).variables;
    expect(env('health').TABLE_NAME).toBeUndefined();
    expect(env('createApplication')).toMatchObject({
      TABLE_NAME: { Ref: tableId },
      STATE_MACHINE_ARN: { Ref: stateMachineId },
    });
    expect(env('decideTask').STATE_MACHINE_ARN).toEqual({ Ref: stateMachineId });
    expect(env('evaluate').STATE_MACHINE_ARN).toBeUndefined();
    expect(env('notify').MAIL_FROM).toBe('noreply@aptic.fr');
  });
});

describe('least privilege', () => {
  const statements = policyStatements(template);

  it('never grants a wildcard action', () => {
    expect(statements.length).toBeGreaterThan(0);
    for (const { policy, statement } of statements) {
      for (const action of asArray<string>(statement.Action)) {
        expect(action, policy).not.toContain('*');
      }
    }
  });

  it('limits DynamoDB access to the table and its indexes', () => {
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    const indexArn = { 'Fn::Join': ['', [tableArn, '/index/*']] };
    const dynamo = statements.filter((s) => asArray<string>(s.statement.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const { policy, statement } of dynamo) {
      for (const r of asArray<Json>(statement.Resource)) expect([tableArn, indexArn], policy).toContainEqual(r);
    }
  });

  it('gives SendTask* only to the functions that carry a decision, on this state machine only', () => {
    const sendTask = statements.filter((s) =>
      asArray<string>(s.statement.Action).some((a) => a.startsWith('states:SendTask')),
    );
    const deciders = sendTask.filter((s) => asArray<string>(s.statement.Action).includes('states:SendTaskSuccess'));
    const roles = new Set(deciders.flatMap((s) => s.roles));
    expect([...roles].sort()).toEqual(
      [
        roleId('commitments'),
        roleId('decideTask'),
        roleId('resubmitApplication'),
        roleId('consoleWaitlistRelease'),
        roleId('consoleDecisions'),
        roleId('chat'),
        // Opening a sign-in link confirms the address: it completes the address_confirmation step.
        roleId('actorSignInVerify'),
      ].sort(),
    );
    // The reminder job may only keep steps alive, never decide one.
    const heartbeatOnly = sendTask.filter((s) => !deciders.includes(s));
    expect(heartbeatOnly.flatMap((s) => s.roles)).toEqual([logicalId(stack.reminder.role)]);
    for (const { statement } of heartbeatOnly) {
      expect(asArray<string>(statement.Action)).toEqual(['states:SendTaskHeartbeat']);
      expect(asArray(statement.Resource)).toEqual([{ Ref: stateMachineId }]);
    }
    for (const { statement } of deciders) {
      expect(asArray<string>(statement.Action).sort()).toEqual(
        ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'].sort(),
      );
      expect(asArray(statement.Resource)).toEqual([{ Ref: stateMachineId }]);
    }
  });

  it('lets only the submission paths start executions, and only the notifying and linking functions send e-mail', () => {
    const who = (prefix: string) =>
      new Set(
        statements
          .filter((s) => asArray<string>(s.statement.Action).some((a) => a.startsWith(prefix)))
          .flatMap((s) => s.roles),
      );
    expect([...who('states:StartExecution')].sort()).toEqual([roleId('createApplication'), roleId('chat')].sort());
    // Sign-in links: asked for (sign-in), or sent at submission (API and chat) to confirm the address; the lifecycle
    // console routes tell the actor about a suspension or withdrawal, and the actor's own end of qualification is
    // confirmed by message. The prospect routes invite prospects when a territory is stimulated (docs/territory.md).
    // A network's page invites its members by e-mail (console-network); a staff answer to a support request is
    // e-mailed to the person (console-support).
    expect([...who('ses:')].sort()).toEqual(
      [
        roleId('consoleProspects'),
        roleId('notify'),
        roleId('openTask'),
        roleId('recordOutcome'),
        roleId('recordError'),
        logicalId(stack.reminder.role),
        roleId('actorSignIn'),
        roleId('createApplication'),
        roleId('chat'),
        roleId('consoleLifecycle'),
        roleId('endQualification'),
        roleId('consoleNetwork'),
        roleId('consoleSupport'),
      ].sort(),
    );
    // Only the erasure route may stop an execution (a running application erased on request).
    expect([...who('states:StopExecution')]).toEqual([roleId('erasure')]);
    const ses = statements.find((s) => asArray<string>(s.statement.Action).includes('ses:SendEmail'));
    expect(JSON.stringify(ses?.statement.Resource)).toContain(':identity/aptic.fr');
  });

  it('uses no AWS managed policy on function roles', () => {
    for (const name of Object.keys(stack.functions) as (keyof typeof stack.functions)[]) {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.anyValue(),
      });
      const role = template.findResources('AWS::IAM::Role')[roleId(name)] as Json;
      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
    }
  });
});

describe('state machine', () => {
  it('is Standard, traced, logs ALL events without execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: false, Level: 'ALL' }),
    });
  });

  it('has the three alarms: ExecutionsFailed, ExecutionThrottled, ExecutionsAborted', () => {
    const alarms = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[]).filter(
      (a) => a.Properties.Namespace === 'AWS/States',
    );
    const names = alarms.map((a) => a.Properties.MetricName).sort();
    expect(names).toEqual(['ExecutionThrottled', 'ExecutionsAborted', 'ExecutionsFailed']);
    for (const a of alarms) {
      expect(a.Properties).toMatchObject({
        Namespace: 'AWS/States',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
      });
    }
  });
});

describe('operations dashboard and the reminder job alarms', () => {
  /**
   * The dashboard body: CloudFormation holds it as a Fn::Join of strings and references; each reference becomes the
   * logical id it points to (`Ref`) or `<id>.Arn` (`GetAtt`), which leaves the JSON the console would get.
   */
  const dashboard = (): { widgets: Json[] } => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Json[];
    expect(dashboards).toHaveLength(1);
    const parts: Json[] = dashboards[0].Properties.DashboardBody['Fn::Join'][1];
    const text = parts
      .map((p) => (typeof p === 'string' ? p : p.Ref ? p.Ref : p['Fn::GetAtt'] ? `${p['Fn::GetAtt'][0]}.Arn` : '?'))
      .join('');
    return JSON.parse(text);
  };
  /** Each graph's metric lines: `[namespace, name, dim, value, …, options]` or `[{ expression }]`. */
  const lines = (): Json[][] =>
    dashboard().widgets.flatMap((w) => (w.type === 'metric' ? (w.properties.metrics as Json[][]) : []));

  it('shows every business metric of METRIC_NAMES, in the namespace the handlers write to', () => {
    const shown = new Set<string>();
    for (const l of lines()) {
      if (l[0] === METRICS_NAMESPACE) shown.add(l[1]);
      const search = typeof l[0] === 'object' ? /MetricName="(\w+)"/.exec(l[0].expression) : null;
      if (search) shown.add(search[1]!);
    }
    expect([...shown].sort()).toEqual([...METRIC_NAMES].sort());
    // The dimensioned ones by search, one line per value that occurred (status; step and decision).
    const expressions = lines()
      .filter((l) => typeof l[0] === 'object')
      .map((l) => l[0].expression);
    expect(expressions).toEqual([
      `SEARCH('{${METRICS_NAMESPACE},service,status} MetricName="EligibilityOutcome"', 'Sum', 3600)`,
      `SEARCH('{${METRICS_NAMESPACE},service,step,decision} MetricName="Decisions"', 'Sum', 3600)`,
      `SEARCH('{${METRICS_NAMESPACE},service,trigger} MetricName="SupportRequests"', 'Sum', 3600)`,
      `SEARCH('{${METRICS_NAMESPACE},service,action} MetricName="FaqPublished"', 'Sum', 3600)`,
    ]);
    // The others with the `service` dimension Powertools puts on every metric.
    for (const l of lines().filter((l) => l[0] === METRICS_NAMESPACE)) {
      expect(l.slice(2, 4)).toEqual(['service', SERVICE_NAME]);
    }
  });

  it("shows the state machine's executions (started, succeeded, failed) and every function's errors", () => {
    const states = lines().filter((l) => l[0] === 'AWS/States');
    expect(states.map((l) => l[1])).toEqual(
      expect.arrayContaining(['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed']),
    );
    for (const l of states) expect(l[3]).toBe(stateMachineId);
    const errors = lines().filter((l) => l[0] === 'AWS/Lambda' && l[1] === 'Errors');
    const fns = [...Object.values(stack.functions), stack.reminder].map((f) => logicalId(f.fn)).sort();
    expect(errors.map((l) => l[3]).sort()).toEqual(fns);
  });

  it('lists every alarm in its status widget', () => {
    const widget = dashboard().widgets.find((w) => w.type === 'alarm');
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map((id) => `${id}.Arn`);
    expect([...widget.properties.alarms].sort()).toEqual(alarmIds.sort());
  });

  it('alarms when the reminder job fails twice in a row or stops running', () => {
    const reminderId = logicalId(stack.reminder.fn);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: reminderId } }],
      Period: 3600,
      Statistic: 'Sum',
      Threshold: 1,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: reminderId } }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

describe('HTTP API', () => {
  it('has one route per handler, as in the contract', () => {
    const keys = (Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Json[])
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(keys).toEqual(ROUTES.map((r) => `${r.method} ${toApiGatewayPath(r.path)}`).sort());
  });

  it('throttles the default stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      }),
      AccessLogSettings: Match.objectLike({
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      }),
    });
  });
});

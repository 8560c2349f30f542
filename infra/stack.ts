// Over 400 lines on purpose: the whole stack, its resources and their grants read in one place top to bottom
// (constructs with defaults of their own live in infra/constructs/).
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { ENTRY_ASSETS, ENTRY_BUILD_STEPS, GEOGRAPHY_FILES, ROUTES, type RouteDef } from '../functions/routes.js';
import { type AppConfig, loadConfig } from '../shared/config/config.js';
import { TABLE_DEFINITION } from '../shared/store/table.js';
import { AppFunction, PROJECT_ROOT } from './constructs/app-function.js';
import { OperationsDashboard } from './constructs/dashboard.js';
import { QualificationStateMachine } from './constructs/qualification-state-machine.js';
import {
  API_THROTTLE,
  type CallbackStep,
  type CallbackTimeout,
  LOG_GROUP_DEFAULTS,
  TABLE_DEFAULTS,
} from './defaults.js';

export const DEFAULT_CONFIG_FILE = 'shared/config/aptic-config.json';

export interface AppticStackProps extends StackProps {
  /** Stage name (`dev`, `prod`…): tags and names. Default `dev`. */
  readonly stage?: string;
  /** The configuration file, relative to the repository root; bundled with every function. */
  readonly configPath?: string;
  /** SES identity the notifications are sent from (ARN). Default: the domain of `mailFrom` in this account/region. */
  readonly sesIdentityArn?: string;
  /** Sender address (env MAIL_FROM). Default `noreply@aptic.fr`. */
  readonly mailFrom?: string;
  /** Public URL of the site, for links in messages (env PUBLIC_BASE_URL). */
  readonly publicBaseUrl?: string;
  /** Test-friendly callback timeouts (seconds) instead of the configuration's days. */
  readonly callbackTimeoutOverride?: { readonly timeoutSeconds: number; readonly heartbeatSeconds: number };
}

/** Workflow Task handlers (functions/workflow). */
export const WORKFLOW_ENTRIES = {
  evaluate: 'functions/workflow/evaluate.ts',
  openTask: 'functions/workflow/open-task.ts',
  recordOutcome: 'functions/workflow/record-outcome.ts',
  qualify: 'functions/workflow/qualify.ts',
  notify: 'functions/workflow/notify.ts',
  recordError: 'functions/workflow/record-error.ts',
  attest: 'functions/workflow/attest.ts',
} as const;

/** The scheduled reminder job (heartbeats + actor reminders), outside the state machine. */
export const REMINDER_ENTRY = 'functions/workflow/remind.ts';
/** The scheduled retention job (docs/modules.md « Erasure and retention »). */
export const RETENTION_ENTRY = 'functions/workflow/retention.ts';

/** `functions/api/create-application.ts` → `createApplication`: the name of the entry's function in `functions`. */
export function functionName(entry: string): string {
  const base = path.basename(entry, '.ts');
  return base.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The HTTP routes grouped by entry file: one Lambda per entry, with the union of its routes' needs. */
export interface ApiFunctionSpec {
  entry: string;
  routes: RouteDef[];
  table?: 'R' | 'RW';
  startsExecutions: boolean;
  decides: boolean;
  stopsExecutions: boolean;
  sendsMail: boolean;
  /** Encrypts or decrypts the actors' bank details: granted the bank key, and only these. */
  bankVault: boolean;
  staff: boolean;
  /** The largest of its routes' `lambda` settings (routes.ts), when one asks for more than the defaults. */
  timeoutSeconds?: number;
  memoryMb?: number;
}

export function apiFunctions(): Map<string, ApiFunctionSpec> {
  const out = new Map<string, ApiFunctionSpec>();
  for (const r of ROUTES) {
    const name = functionName(r.entry);
    const f = out.get(name) ?? {
      entry: r.entry,
      routes: [],
      startsExecutions: false,
      decides: false,
      stopsExecutions: false,
      sendsMail: false,
      bankVault: false,
      staff: true,
    };
    if (f.entry !== r.entry) throw new Error(`two entries map to the function name ${name}`);
    f.routes.push(r);
    if (r.table === 'RW' || (r.table === 'R' && f.table !== 'RW')) f.table = r.table;
    f.startsExecutions ||= Boolean(r.startsExecutions);
    f.decides ||= Boolean(r.decides);
    f.stopsExecutions ||= Boolean(r.stopsExecutions);
    f.sendsMail ||= Boolean(r.sendsMail);
    f.bankVault ||= Boolean(r.bankVault);
    f.staff &&= Boolean(r.staff);
    if (r.lambda?.timeoutSeconds) f.timeoutSeconds = Math.max(f.timeoutSeconds ?? 0, r.lambda.timeoutSeconds);
    if (r.lambda?.memoryMb) f.memoryMb = Math.max(f.memoryMb ?? 0, r.lambda.memoryMb);
    out.set(name, f);
  }
  return out;
}

/**
 * The official geography files as a Lambda layer: staged under cdk.out at synth (only the three files used), so the
 * asset is the same bytes on every synth and uploaded once.
 */
function geographyLayer(scope: Construct): lambda.LayerVersion {
  const staging = path.join(PROJECT_ROOT, 'cdk.out', '.geo-layer');
  mkdirSync(path.join(staging, 'geo'), { recursive: true });
  for (const file of GEOGRAPHY_FILES)
    copyFileSync(path.join(PROJECT_ROOT, file), path.join(staging, 'geo', path.basename(file)));
  return new lambda.LayerVersion(scope, 'GeographyLayer', {
    code: lambda.Code.fromAsset(staging),
    compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
    compatibleArchitectures: [lambda.Architecture.ARM_64],
    description: '@etalab/decoupage-administratif communes, départements, régions (read by shared/domain/geography.ts)',
  });
}

/** The Cognito groups staff belong to; `resolvePrincipal` maps them to the role (admin wins). */
export const STAFF_GROUPS = ['admin', 'reviewer'] as const;

/** Console functions (login included) get the user pool's ids in their environment. */
export const isConsolePath = (p: string) => p.startsWith('/api/console/');

/** Local `:param` → API Gateway `{param}`. */
export const toApiGatewayPath = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');

export type WorkflowFunctionName = keyof typeof WORKFLOW_ENTRIES;

/** Configuration days → per-step callback limits (the heartbeat is one value for every step). */
export function callbackTimeoutsFromConfig(config: AppConfig): Record<CallbackStep, CallbackTimeout> {
  const w = config.workflow;
  const heartbeatDays = w.heartbeatSeconds / 86_400;
  return {
    waitlisted: { timeoutDays: w.waitlistDays, heartbeatDays },
    address_confirmation: { timeoutDays: w.addressConfirmation.hours / 24, heartbeatDays },
    staff_review: { timeoutDays: w.staffReviewDays, heartbeatDays },
    changes_requested: { timeoutDays: w.changesDays, heartbeatDays },
    actor_commitments: { timeoutDays: w.actorCommitmentsDays, heartbeatDays },
    final_approval: { timeoutDays: w.finalApprovalDays, heartbeatDays },
  };
}

/**
 * The whole backend on AWS: one DynamoDB table, the qualification state machine and its Task Lambdas, one Lambda
 * per HTTP route behind an HTTP API. Env-agnostic (no account/region needed to synthesize).
 */
export class AppticStack extends Stack {
  public readonly stage: string;
  public readonly config: AppConfig;
  public readonly table: dynamodb.Table;
  public readonly workflow: QualificationStateMachine;
  public readonly stateMachine: QualificationStateMachine['stateMachine'];
  public readonly api: apigw.HttpApi;
  public readonly apiStage: apigw.HttpStage;
  public readonly functions: Readonly<Record<string, AppFunction>>;
  public readonly reminder: AppFunction;
  public readonly retention: AppFunction;
  /** Staff accounts on AWS (admin-created only); the console routes' JWT authorizer trusts it. */
  public readonly userPool: cognito.UserPool;
  /** The console's app client (no secret): audience of the authorizer, client id of the login's InitiateAuth. */
  public readonly userPoolClient: cognito.UserPoolClient;
  public readonly staffAuthorizer: HttpUserPoolAuthorizer;
  /** Business metrics, executions, Lambda errors and alarms on one page; the reminder job's alarms. */
  public readonly operations: OperationsDashboard;

  constructor(scope: Construct, id: string, props: AppticStackProps = {}) {
    super(scope, id, props);
    this.stage = props.stage ?? 'dev';
    const configPath = props.configPath ?? DEFAULT_CONFIG_FILE;
    this.config = loadConfig(path.resolve(PROJECT_ROOT, configPath));
    const mailFrom = props.mailFrom ?? 'noreply@aptic.fr';

    // ---- table (shape from shared/store/table.ts, shared with the local runtime)
    const d = TABLE_DEFINITION;
    const attr = (a: { name: string; type: string }): dynamodb.Attribute => ({
      name: a.name,
      type: a.type as dynamodb.AttributeType,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      ...TABLE_DEFAULTS,
      partitionKey: attr(d.partitionKey),
      sortKey: attr(d.sortKey),
      timeToLiveAttribute: d.timeToLiveAttribute,
    });
    for (const gsi of d.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: attr(gsi.partitionKey),
        sortKey: attr(gsi.sortKey),
        projectionType: gsi.projectionType as dynamodb.ProjectionType,
      });
    }

    // ---- functions
    const environment = {
      APTIC_CONFIG: `/var/task/${path.basename(configPath)}`,
      MAIL_FROM: mailFrom,
      // Published places are geocoded with the national address API (docs/places-geo.md); 2 s timeout, then the
      // commune's centre from the geography layer.
      GEOCODER_URL: 'https://api-adresse.data.gouv.fr/search/',
      ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
    };
    // The geography data as one layer (mounted at /opt/geo), given to every function that touches the table.
    const geoLayer = geographyLayer(this);
    const fn = (id: string, entry: string, description: string) => {
      const f = new AppFunction(this, id, { entry, description, environment, bundledFile: configPath });
      f.fn.addLayers(geoLayer);
      return f;
    };

    const wf = {
      evaluate: fn('EvaluateFn', WORKFLOW_ENTRIES.evaluate, 'Task EvaluateEligibility').bindTable(this.table, 'RW'),
      openTask: fn('OpenTaskFn', WORKFLOW_ENTRIES.openTask, 'Callback Tasks: store the task token').bindTable(
        this.table,
        'RW',
      ),
      recordOutcome: fn(
        'RecordOutcomeFn',
        WORKFLOW_ENTRIES.recordOutcome,
        'Tasks RecordNotEligible/Rejected/Expired',
      ).bindTable(this.table, 'RW'),
      qualify: fn('QualifyFn', WORKFLOW_ENTRIES.qualify, 'Task Qualify: record, publish places').bindTable(
        this.table,
        'RW',
      ),
      notify: fn('NotifyFn', WORKFLOW_ENTRIES.notify, 'Task Notify: message the actor').bindTable(this.table, 'RW'),
      recordError: fn('RecordErrorFn', WORKFLOW_ENTRIES.recordError, 'Task RecordError').bindTable(this.table, 'RW'),
      attest: fn('AttestFn', WORKFLOW_ENTRIES.attest, 'Task NetworkAttestation: a member network attests').bindTable(
        this.table,
        'RW',
      ),
    };
    const sesIdentityArn =
      props.sesIdentityArn ??
      this.formatArn({ service: 'ses', resource: 'identity', resourceName: mailFrom.split('@')[1] ?? mailFrom });
    // Every Task that can move the application to a stage with a message for the actor sends e-mail: Notify, and
    // enterStage's notification in OpenTask (actor steps), RecordOutcome (not eligible, rejected, expired) and
    // RecordError (failed). Qualify enters `qualified` without a message (Notify sends it).
    for (const f of [wf.notify, wf.openTask, wf.recordOutcome, wf.recordError])
      f.allowSendEmail(sesIdentityArn, mailFrom);

    // ---- state machine
    this.workflow = new QualificationStateMachine(this, 'Qualification', {
      functions: {
        evaluate: wf.evaluate.fn,
        openTask: wf.openTask.fn,
        recordOutcome: wf.recordOutcome.fn,
        qualify: wf.qualify.fn,
        notify: wf.notify.fn,
        recordError: wf.recordError.fn,
        attest: wf.attest.fn,
      },
      timeouts: callbackTimeoutsFromConfig(this.config),
      callbackTimeoutOverride: props.callbackTimeoutOverride,
    });
    this.stateMachine = this.workflow.stateMachine;

    // ---- reminder job: SendTaskHeartbeat for every open human step (HeartbeatSeconds ends steps whose backend went
    // silent) and reminders to actors with a step waiting on them. Hourly, far below the heartbeat interval.
    this.reminder = fn('RemindFn', REMINDER_ENTRY, 'Scheduled: heartbeats and reminders for open human steps')
      .bindTable(this.table, 'RW')
      .allowTaskHeartbeats(this.stateMachine)
      .allowSendEmail(sesIdentityArn, mailFrom);
    new events.Rule(this, 'ReminderSchedule', {
      description: 'Hourly heartbeats and reminders for open qualification steps',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new eventTargets.LambdaFunction(this.reminder.fn, { retryAttempts: 2 })],
    });

    // ---- retention job: idle conversations, delayed SIRET releases, anonymisation of old ended applications, expired
    // sessions (dynalite never applies TTL and DynamoDB only eventually: the job is the guarantee). Daily is enough
    // for delays counted in days; each run handles a bounded batch per kind.
    this.retention = fn(
      'RetentionFn',
      RETENTION_ENTRY,
      'Scheduled: data retention (conversations, SIRETs, erasure)',
    ).bindTable(this.table, 'RW');
    new events.Rule(this, 'RetentionSchedule', {
      description: 'Daily data retention run',
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new eventTargets.LambdaFunction(this.retention.fn, { retryAttempts: 2 })],
    });

    // ---- staff identities (docs/console.md, "On AWS: Cognito"): admins create the accounts, the HTTP API verifies the
    // tokens (JWT authorizer on every staff route), the handlers map `cognito:groups` to the role.
    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (compromised credentials, adaptive authentication) needs the Plus plan: a handful of staff
      // accounts, so a few cents a month. It complements the per-e-mail / per-IP login throttle kept in the handler.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: 'Votre accès à la console APTIC',
        emailBody:
          'Bonjour, un compte a été créé pour vous sur la console APTIC. Identifiant : {username} ; mot de passe provisoire : {####} (à changer à la première connexion).',
      },
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP only) so that admin-created staff can finish their first sign-in; staff are asked to enrol TOTP, and threat protection (Plus plan, enforced) blocks compromised credentials.',
    });
    for (const group of STAFF_GROUPS) {
      this.userPool.addGroup(`${group[0]!.toUpperCase()}${group.slice(1)}Group`, {
        groupName: group,
        description: group === 'admin' ? 'Console administrators' : 'Console reviewers',
      });
    }
    this.userPoolClient = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    this.staffAuthorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this.userPool, {
      userPoolClients: [this.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    const cognitoEnvironment = {
      COGNITO_USER_POOL_ID: this.userPool.userPoolId,
      COGNITO_CLIENT_ID: this.userPoolClient.userPoolClientId,
    };
    // The reminder job's daily digest also goes to the admins who exist only in the user pool (issue 13): it lists the
    // admin group (shared/runtime/cognito-directory.ts), read-only, on this pool only.
    this.reminder.fn.addEnvironment('COGNITO_USER_POOL_ID', this.userPool.userPoolId);
    this.userPool.grant(this.reminder.fn, 'cognito-idp:ListUsersInGroup');

    // ---- HTTP API
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { ...LOG_GROUP_DEFAULTS });
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: `APTIC qualification API (${this.stage})`,
      createDefaultStage: false,
    });
    this.apiStage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...API_THROTTLE },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // HTTP API $context variables (JSON, one line); no body, no headers: nothing personal beyond the IP.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            route: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    // The actors' bank details (docs/actor.md « Coordonnées bancaires »): encrypted with this key, yearly rotation,
    // kept when the stack goes (ciphertexts in a table backup must stay readable).
    const bankKey = new kms.Key(this, 'BankDetailsKey', {
      description: 'Encrypts the bank details of #APTIC applicants (IBAN, BIC, holder).',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const api: Record<string, AppFunction> = {};
    // One log group for the API functions (CloudFormation's 500 resources per stack; streams and JSON lines name
    // the function); the workflow Tasks and scheduled jobs keep their own.
    const apiLogs = new logs.LogGroup(this, 'ApiFunctionLogs', { ...LOG_GROUP_DEFAULTS });
    for (const [name, spec] of apiFunctions()) {
      const copies = ENTRY_ASSETS[spec.entry] ?? [];
      const f = new AppFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Fn`, {
        entry: spec.entry,
        description: spec.routes
          .map((r) => `${r.method} ${r.path}`)
          .join(', ')
          .slice(0, 250),
        environment: spec.routes.some((r) => isConsolePath(r.path))
          ? { ...environment, ...cognitoEnvironment }
          : environment,
        bundledFile: configPath,
        copy: copies,
        buildSteps: ENTRY_BUILD_STEPS[spec.entry] ?? [],
        logGroup: apiLogs,
        ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
        ...(spec.memoryMb ? { memorySize: spec.memoryMb } : {}),
      });
      if (spec.table) {
        f.bindTable(this.table, spec.table);
        f.fn.addLayers(geoLayer);
      }
      if (spec.startsExecutions) f.allowStartExecution(this.stateMachine);
      if (spec.decides) f.allowTaskDecisions(this.stateMachine);
      if (spec.stopsExecutions) f.allowStopExecution(this.stateMachine);
      if (spec.sendsMail) f.allowSendEmail(sesIdentityArn, mailFrom);
      if (spec.bankVault) {
        // Named actions only (grantEncryptDecrypt adds ReEncrypt* and GenerateDataKey*, which nothing here uses).
        bankKey.grant(f.fn, 'kms:Encrypt', 'kms:Decrypt');
        f.fn.addEnvironment('BANK_KMS_KEY_ID', bankKey.keyArn);
      }
      // One integration and one invoke permission per function, shared by its routes (CloudFormation's 500-resource
      // limit: one per route cost an AWS::ApiGatewayV2::Integration and an AWS::Lambda::Permission each). The
      // permission is scoped to this API: only the routes integrated with the function reach it anyway.
      const integration = new HttpLambdaIntegration(`${name}Integration`.replace(/[^A-Za-z0-9]/g, ''), f.fn, {
        scopePermissionToRoute: false,
      });
      for (const r of spec.routes) {
        const routes = this.api.addRoutes({
          path: toApiGatewayPath(r.path),
          methods: [r.method as apigw.HttpMethod],
          integration,
          // Staff routes: API Gateway verifies the Cognito token (signature, expiry, issuer, audience) before the
          // Lambda runs; the handler maps the verified claims to the role (shared/usecases/principal.ts).
          ...(r.staff ? { authorizer: this.staffAuthorizer } : {}),
        });
        if (r.staff) continue;
        for (const route of routes) {
          // Public routes: the contract has anonymous submission, and actor routes carry an actor token checked by
          // the handler (hashed in DynamoDB); API Gateway authorizers cannot verify those. The console login is
          // public by nature (it is where the token comes from), throttled by the handler.
          Validations.of(route).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'Public or actor-token route by contract: the handler verifies the actor token, anonymous routes store nothing sensitive, the console login is throttled per e-mail and per IP.',
          });
        }
      }
      api[name] = f;
    }

    // Chat session tokens are HMAC-signed: the key lives in Secrets Manager, readable by the chat function only
    // (not in the table, where anyone with read access to it could forge sessions).
    const chat = api.chat;
    if (!chat) throw new Error('the route table has no chat function');
    const chatSecret = new secretsmanager.Secret(this, 'ChatSessionSecret', {
      description: 'HMAC key of the chat session tokens (read by the chat function at cold start)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    chatSecret.grantRead(chat.fn);
    chat.fn.addEnvironment('CHAT_SESSION_SECRET_ARN', chatSecret.secretArn);
    Validations.of(chatSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the key signs every open chat out (their tokens stop verifying) and it protects nothing outside this stack; rotate it by hand (new version) if it may have leaked.',
    });

    this.functions = { ...wf, ...api };

    // ---- operations: the dashboard (business metrics written by the handlers as EMF) and the reminder job's alarms
    const fns: Record<string, lambda.IFunction> = { remind: this.reminder.fn };
    for (const [name, f] of Object.entries(this.functions)) fns[name] = f.fn;
    this.operations = new OperationsDashboard(this, 'Operations', {
      stateMachine: this.stateMachine,
      functions: fns,
      reminder: this.reminder.fn,
      alarms: Object.values(this.workflow.alarms),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'StaffUserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }
}

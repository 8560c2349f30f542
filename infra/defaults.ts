import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import type { HumanStep } from '../shared/domain/path.js';

/**
 * Secure defaults kept as data (the AWS Solutions Constructs way): the constructs spread these and only override
 * what a resource really needs. Tests assert the resulting template, so a change here shows up as a failing test.
 */

/** DynamoDB: pay per request (traffic is bursty and small), PITR, kept on stack deletion (it holds the applications). */
export const TABLE_DEFAULTS = {
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.RETAIN,
  encryption: dynamodb.TableEncryption.AWS_MANAGED,
  deletionProtection: true,
} as const;

/**
 * ESM output needs `require` for the few CommonJS dependencies that call it at run time (botbuilder and its
 * dependencies); esbuild leaves those calls alone, so we give the module one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __aptic_createRequire } from 'node:module'; const require = __aptic_createRequire(import.meta.url);";

/**
 * `opening_hours` on Lambda: a France-only build of the library in a layer (mounted at /opt), a CommonJS module that
 * the bundles `require` by this absolute path at the library's first use (infra/opening-hours-layer/index.mjs says
 * why). Why a layer, and what it costs: infra/bundling.ts. Locally (`npm start`, tests) the handlers import the npm
 * package itself.
 */
export const OPENING_HOURS_LAYER_MODULE = '/opt/opening-hours/opening_hours.fr.cjs';

/**
 * What `opening_hours` resolves to in the bundles (relative to the project root, where esbuild runs): a constructor
 * that loads OPENING_HOURS_LAYER_MODULE at its first call, in a folder whose package.json says `sideEffects: false`
 * (a bundle that never calls the library drops it, and with it any mention of the layer).
 */
export const OPENING_HOURS_ALIAS = './infra/opening-hours-layer/index.mjs';

/**
 * Packages that the Lambda bundles would carry (as dependencies of Botkit, for the chat) but that no Lambda ever runs:
 * esbuild aliases each to a stand-in of `infra/bundle-stubs/` that loads but throws `UnreachablePackageError` when any
 * of it runs (infra/bundle-stubs/unreachable.cjs). Without them the chat's bundle was 6.8 MB and took ≈ 3× a small
 * function's time to import (a cold start); docs/infra.md has the figures. Each entry says why it is never run; the
 * test that runs the bundled chat through a questionnaire and an FAQ answer fails if any stand-in is run
 * (test/infra/chat-bundle.test.ts). `npm start` and the tests import the real packages: only the bundles are slimmed.
 */
export const UNREACHABLE_PACKAGES = {
  botbuilder:
    'the Bot Framework channel side (BotFrameworkAdapter, CloudAdapter, Teams, skills, streaming, transcript files, ' +
    'and with them axios, htmlparser2, fs-extra). What Botkit and bot/engine.ts run (TurnContext, BotAdapter, ' +
    'ConversationState, MemoryStorage, MessageFactory, ActivityTypes) is botbuilder-core’s, which botbuilder re-exports: ' +
    'the stand-in is botbuilder-core. Botkit extends BotFrameworkAdapter while it loads but only builds one when it is ' +
    'given no adapter (bot/engine.ts gives its own), and uses TeamsInfo only in its Teams helpers',
  'botframework-connector':
    'the REST client and token validation for Azure Bot Service channels (with @azure/identity, @azure/msal-node, ' +
    'jsonwebtoken, node-fetch): used by the channel adapters, OAuthPrompt, skills and ShowTypingMiddleware. Our turns ' +
    'never leave the process: bot/engine.ts’s adapter collects the replies and the transports send them',
  '@azure/core-auth': 'the HTTP pipeline of the connector’s REST clients (botbuilder-stdlib loads it for them)',
  '@azure/core-client': 'the HTTP pipeline of the connector’s REST clients (botbuilder-stdlib loads it for them)',
  '@azure/core-http-compat': 'the HTTP pipeline of the connector’s REST clients (botbuilder-stdlib loads it for them)',
  '@azure/core-rest-pipeline':
    'the HTTP pipeline of the connector’s REST clients (botbuilder-stdlib loads it for them)',
  'botbuilder-dialogs':
    'narrowed, not left out: its index loads every module of the package (prompts and their CLDR data, choices, ' +
    'skills, DialogManager, the bot component). Botkit runs DialogSet, DialogContext (with the memory scopes it ' +
    'builds each turn), Dialog, WaterfallDialog and ActivityPrompt, bot/engine.ts DialogTurnStatus: the stand-in ' +
    're-exports those modules of the package’s lib/ and stands in for the rest',
  '@microsoft/recognizers-text-suite':
    'the text recognizers of botbuilder-dialogs’ ChoicePrompt, ConfirmPrompt, NumberPrompt, DateTimePrompt and ' +
    'recognizeChoices (2.6 MB minified). Botkit asks its questions with an ActivityPrompt (botkit/lib/conversation.js) ' +
    'and our dialogs read the answers themselves (bot/fields): no prompt of botbuilder-dialogs runs',
  '@microsoft/recognizers-text-number': 'the number recognizer of botbuilder-dialogs’ prompts (see the suite)',
  '@microsoft/recognizers-text-choice': 'the choice recognizer of botbuilder-dialogs’ prompts (see the suite)',
  '@microsoft/recognizers-text-date-time': 'the date recognizer of botbuilder-dialogs’ DateTimePrompt (see the suite)',
  globalize:
    'the number parser of botbuilder-dialogs’ NumberPrompt, which no dialog uses (see the suite). Its `load` is kept ' +
    'as a no-op: numberPrompt.js registers the CLDR locales with it while it loads',
  express: 'Botkit’s own web server, built only without `disable_webserver: true` (bot/engine.ts sets it)',
  'body-parser': 'Botkit’s own web server, built only without `disable_webserver: true` (bot/engine.ts sets it)',
  ws:
    'the chat’s websocket transport: API Gateway HTTP APIs carry no websocket, so the chat Lambda answers the webhook ' +
    'and never gets an upgrade; bot/service.ts builds its WebSocketServer on the first upgrade, which only the local ' +
    'server passes',
} as const satisfies Record<string, string>;

/**
 * One zod per bundle. The chat carried four: ours (zod 4, tree-shaken) and three identical copies of zod 3.25 that npm
 * nests under botframework-schema, botbuilder-core and botbuilder-dialogs (botbuilder pins `zod@^3`), each building
 * its schemas while the bundle loads: 23 % of the chat's bundle. esbuild aliases `zod` (and its subpaths) to this
 * folder for every importer, ours included: zod 4's own modules, re-exported by relative path without the namespaces
 * no function uses (infra/bundle-zod/index.mjs). Botbuilder's CommonJS `require("zod")` then gets zod 4, whose
 * classic API keeps what those packages call (`z.object`, `z.string`, `z.record` with one argument, `z.instanceof`,
 * `z.custom`, `.refine`, `.partial`, `.optional`, `.parse`, `.safeParse`); their schemas are type guards for callers
 * of the Bot Framework, not called by the turns our bundle runs (test/infra/chat-bundle.test.ts runs a bundled
 * questionnaire). zod 4 lacks one method they call, zod 3's deprecated `.nonstrict()`: in botbuilder-core's two
 * channel-authentication classes (Configuration*), which extend botframework-connector's, a stand-in, so they can
 * never be built here, and in botbuilder's Teams handler, a stand-in too. An alias and not the npm package itself:
 * a `require()` of the package would resolve zod's CommonJS build, a second whole copy, and keep every locale
 * (1,033 KB when tried). Only the bundles are affected: `npm start` and the tests run botbuilder on its own zod 3.
 * Figures: docs/infra.md, « Chat cold start ».
 */
export const ZOD_ALIAS = './infra/bundle-zod';

/** The stand-in of an UNREACHABLE_PACKAGES entry, relative to the project root (`@azure/core-auth` → `azure__core-auth.cjs`). */
export const unreachableStub = (pkg: keyof typeof UNREACHABLE_PACKAGES): string =>
  `./infra/bundle-stubs/${pkg.replace(/^@/, '').replace('/', '__')}.cjs`;

/**
 * The esbuild options shared by the NodejsFunction construct and `test/bench/bundles.ts` (through
 * `esbuildOptions()` of infra/bundling.ts, which mirrors them for esbuild's API).
 * `@aws-sdk/*` stays external: the Node 22 Lambda runtime ships the AWS SDK v3 (NodejsFunction's own default for
 * Node ≥ 18), which keeps bundles small. `opening_hours` is aliased to a loader of the layer's module (every
 * AppFunction gets that layer; only the bundles that call the library load it, at first use), `zod` to ZOD_ALIAS
 * (one copy), UNREACHABLE_PACKAGES to their stand-ins (NodejsFunction passes each `--alias` entry as esbuild's
 * `--alias:name=path`). `forceDockerBundling: false` + the local esbuild: synth needs no Docker.
 */
export const BUNDLING_DEFAULTS = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  // CommonJS dependencies read these at run time, and ES modules have none: Botkit's constructor sets
  // `this.PATH = __dirname`, so without this the bundled chat failed its first turn (test/infra/chat-bundle.test.ts).
  define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
  externalModules: ['@aws-sdk/*'],
  esbuildArgs: {
    '--alias': [
      `opening_hours=${OPENING_HOURS_ALIAS}`,
      `zod=${ZOD_ALIAS}`,
      ...Object.keys(UNREACHABLE_PACKAGES).map(
        (pkg) => `${pkg}=${unreachableStub(pkg as keyof typeof UNREACHABLE_PACKAGES)}`,
      ),
    ],
  },
  forceDockerBundling: false,
  metafile: true,
} as const satisfies BundlingOptions;

/** Lambda: Node 22 on Graviton, small memory, short timeout, X-Ray, one month of logs. */
export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 256,
  timeout: Duration.seconds(10),
  tracing: lambda.Tracing.ACTIVE,
  loggingFormat: lambda.LoggingFormat.JSON,
} as const;

/**
 * Log groups are created explicitly (not `logRetention`, which adds a custom-resource Lambda with a managed policy):
 * one month, deleted with the stack (logs are diagnostics; the history of record is in DynamoDB).
 */
export const LOG_GROUP_DEFAULTS = {
  retention: logs.RetentionDays.ONE_MONTH,
  removalPolicy: RemovalPolicy.DESTROY,
} as const;

/** Environment every function gets (source maps make stack traces in CloudWatch point at the TypeScript). */
export const FUNCTION_ENVIRONMENT = {
  NODE_OPTIONS: '--enable-source-maps',
} as const;

/**
 * Step Functions: Standard (callbacks need it), X-Ray, ALL events to CloudWatch Logs (cdk-nag SF1) but never the
 * execution data: inputs and outputs stay out of the logs even though they only carry ids.
 */
export const STATE_MACHINE_DEFAULTS = {
  stateMachineType: sfn.StateMachineType.STANDARD,
  tracingEnabled: true,
  logLevel: sfn.LogLevel.ALL,
  includeExecutionData: false,
} as const;

/** Retry on errors that a second attempt can fix; a decided step or a validation error is never retried. */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientStoreError',
] as const;

export const TASK_RETRY: Readonly<sfn.RetryProps> = {
  errors: [...TRANSIENT_ERRORS],
  interval: Duration.seconds(2),
  maxAttempts: 3,
  backoffRate: 2,
};

/**
 * Human steps: how long a task may stay open (timeout) and how long it may stay silent (heartbeat: the hourly
 * reminder job and staff actions call SendTaskHeartbeat). Days; the heartbeat is always shorter than the timeout.
 * The values come from the configuration's `workflow` section (`callbackTimeoutsFromConfig` in infra/stack.ts), the
 * only source: a Standard execution lives at most one year, and the configuration's schema keeps the waitlist below.
 */
export interface CallbackTimeout {
  timeoutDays: number;
  heartbeatDays: number;
}

/** The human steps, each a callback Task with its own limits (one list: shared/domain/path.ts). */
export type CallbackStep = HumanStep;

/** HTTP API default stage throttling (requests/s, burst): a national programme, not a flash sale. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Step Functions alarms (Solutions Constructs): any failed, throttled or aborted execution in 5 minutes. */
export const STATE_MACHINE_ALARMS = {
  period: Duration.minutes(5),
  threshold: 1,
  evaluationPeriods: 1,
} as const;

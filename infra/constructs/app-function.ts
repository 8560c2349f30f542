import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ArnFormat, AssetHashType, DockerImage, type Duration, Stack, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { buildOpeningHoursLayer, openingHoursLibrary } from '../bundling.js';
import { BUNDLING_DEFAULTS, FUNCTION_DEFAULTS, FUNCTION_ENVIRONMENT, LOG_GROUP_DEFAULTS } from '../defaults.js';

/** Repository root: entries are given relative to it (`functions/api/health.ts`). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface AppFunctionProps {
  /** Handler module, relative to the repository root, exporting `handler`. */
  readonly entry: string;
  readonly description?: string;
  readonly environment?: Record<string, string>;
  readonly memorySize?: number;
  /** Longer than the default 10 s (a route that imports a file: routes.ts `lambda`). */
  readonly timeout?: Duration;
  /**
   * A file copied next to the bundle (`/var/task/<basename>` on Lambda), e.g. the configuration. The copy is done
   * by node so it works wherever synth runs.
   */
  readonly bundledFile?: string;
  /** Files or folders (relative to the repository root) copied beside the bundle: pages, assets, data files. */
  readonly copy?: readonly { readonly from: string; readonly to: string }[];
  /** Functions the bundle exports, run on it after the copies (functions/routes.ts ENTRY_BUILD_STEPS). */
  readonly buildSteps?: readonly { readonly run: string; readonly to: string }[];
  /**
   * A log group shared with other functions (Lambda's advanced logging: each stream is named after its function, and
   * every JSON line carries `function_name`). Without it, the function gets its own. The API functions share one:
   * a log group per function cost ~70 of CloudFormation's 500 resources per stack.
   */
  readonly logGroup?: logs.ILogGroup;
}

/**
 * The France-only `opening_hours` build as one layer per stack (infra/bundling.ts says why, and that it only moves
 * bytes). Built by CDK asset bundling with the local esbuild, so synth runs it and stacks that skip bundling (unit
 * tests, the ASL extraction) do not.
 */
export function openingHoursLayer(scope: Construct): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'OpeningHoursLayer';
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as lambda.LayerVersion;
  const lib = openingHoursLibrary();
  return new lambda.LayerVersion(stack, id, {
    code: lambda.Code.fromAsset(lib.dir, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        image: DockerImage.fromRegistry('dummy'), // never used: local bundling always succeeds or throws
        local: {
          tryBundle: (outputDir: string) => {
            buildOpeningHoursLayer(outputDir);
            return true;
          },
        },
      },
    }),
    compatibleRuntimes: [FUNCTION_DEFAULTS.runtime],
    compatibleArchitectures: [FUNCTION_DEFAULTS.architecture],
    description: `opening_hours ${lib.version}, France-only build, CommonJS (bundles require it from /opt at the first hours check; infra/bundling.ts)`,
  });
}

/**
 * Every Lambda of the project: NodejsFunction with our defaults (Node 22, arm64, 256 MB, 10 s, X-Ray, JSON logs in a
 * one-month log group, esbuild ESM bundle without Docker) and intent methods that grant IAM and set the matching
 * environment variable together, so a permission never exists without the code that needs it (and vice versa).
 */
export class AppFunction extends Construct {
  public readonly fn: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.ILogGroup;
  /** Handler module, relative to the repository root (the local runtime maps Tasks to it). */
  public readonly entry: string;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'Logs', { ...LOG_GROUP_DEFAULTS });

    // Our own role instead of the default one: the default attaches the AWSLambdaBasicExecutionRole managed policy
    // (cdk-nag IAM4, and it allows writing to any log group); this one may only write to its log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    this.logGroup.grantWrite(this.role);

    const copies = [
      ...(props.bundledFile ? [{ from: props.bundledFile, to: path.basename(props.bundledFile) }] : []),
      ...(props.copy ?? []),
    ];
    // Copied by node so it works wherever synth runs (no shell `cp`, no Docker).
    const steps = props.buildSteps ?? [];
    const commandHooks: ICommandHooks | undefined =
      copies.length > 0 || steps.length > 0
        ? {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => [
              ...copies.map(
                (c) =>
                  `node -e "require('node:fs').cpSync(process.argv[1], process.argv[2], { recursive: true })" ${JSON.stringify(
                    path.resolve(PROJECT_ROOT, c.from),
                  )} ${JSON.stringify(path.join(outputDir, c.to))}`,
              ),
              // The bundle's own code does the work (e.g. the chat's FAQ model, keyed by that code), after the copies.
              ...steps.map(
                (st) =>
                  `node --input-type=module -e "const [, file, fn, dir] = process.argv; await (await import(file))[fn](dir)" ${JSON.stringify(
                    pathToFileURL(path.join(outputDir, 'index.mjs')).href,
                  )} ${JSON.stringify(st.run)} ${JSON.stringify(path.join(outputDir, st.to))}`,
              ),
            ],
          }
        : undefined;

    this.fn = new NodejsFunction(this, 'Function', {
      ...FUNCTION_DEFAULTS,
      entry: path.resolve(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...FUNCTION_ENVIRONMENT, ...props.environment },
      bundling: {
        ...BUNDLING_DEFAULTS,
        mainFields: [...BUNDLING_DEFAULTS.mainFields],
        externalModules: [...BUNDLING_DEFAULTS.externalModules],
        define: { ...BUNDLING_DEFAULTS.define },
        esbuildArgs: { '--alias': [...BUNDLING_DEFAULTS.esbuildArgs['--alias']] },
        ...(commandHooks ? { commandHooks } : {}),
      },
      // Every bundle resolves `opening_hours` to this layer (BUNDLING_DEFAULTS alias), whichever of them imports it
      // through shared/domain; a function that does not import it never reads it.
      layers: [openingHoursLayer(this)],
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 is pinned on purpose: the team runs Node 20/22 locally and the bundle targets node22; 24 after a cross-check.',
    });
    // Active tracing adds xray:PutTraceSegments / PutTelemetryRecords on "*" to the role's default policy.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permission; added by active tracing.',
    });
  }

  /** Read ('R') or read-write ('RW') on the table and its indexes only; sets TABLE_NAME. */
  bindTable(table: dynamodb.ITable, mode: 'R' | 'RW'): this {
    if (mode === 'RW') table.grantReadWriteData(this.fn);
    else table.grantReadData(this.fn);
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    // Grants on a table with GSIs include `<table arn>/index/*`: every index of this table, and nothing else.
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(table.node.defaultChild as dynamodb.CfnTable)}.Arn>/index/*]`,
      reason: 'Queries use the GSIs of this table; the wildcard only spans the indexes of this one table.',
    });
    return this;
  }

  /** SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat scoped to this state machine (decisions only). */
  allowTaskDecisions(stateMachine: sfn.IStateMachine): this {
    stateMachine.grantTaskResponse(this.fn);
    this.fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    return this;
  }

  /** SendTaskHeartbeat only (the reminder job keeps open human steps alive; it never decides one). */
  allowTaskHeartbeats(stateMachine: sfn.IStateMachine): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['states:SendTaskHeartbeat'], resources: [stateMachine.stateMachineArn] }),
    );
    this.fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    return this;
  }

  /** StartExecution on this state machine; sets STATE_MACHINE_ARN. */
  allowStartExecution(stateMachine: sfn.IStateMachine): this {
    stateMachine.grantStartExecution(this.fn);
    this.fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    return this;
  }

  /** StopExecution on the executions of this state machine (erasure of a running application). */
  allowStopExecution(stateMachine: sfn.StateMachine): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:StopExecution'],
        resources: [
          Stack.of(this).formatArn({
            service: 'states',
            resource: 'execution',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            resourceName: `${stateMachine.stateMachineName}:*`,
          }),
        ],
      }),
    );
    // Execution ARNs are `…:execution:<state machine name>:<execution name>`: the wildcard spans this machine's only.
    const machineId = Stack.of(this).getLogicalId(stateMachine.node.defaultChild as sfn.CfnStateMachine);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${machineId}.Name>:*]`,
      reason: 'StopExecution names an execution, unknown until run time; the wildcard spans this state machine only.',
    });
    this.fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    return this;
  }

  /** ses:SendEmail (SESv2) from one verified identity; sets MAIL_FROM when given. */
  allowSendEmail(identityArn: string, mailFrom?: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [identityArn],
      }),
    );
    if (mailFrom) this.fn.addEnvironment('MAIL_FROM', mailFrom);
    return this;
  }

  /** The function as a Step Functions / API Gateway target. */
  get function(): lambda.IFunction {
    return this.fn;
  }
}

import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { App, CfnElement, type IResolvable, Stack } from 'aws-cdk-lib/core';
import type { IConstruct } from 'constructs';
import { AppFunction } from './constructs/app-function.js';
import { TASK_FUNCTIONS, type WorkflowFunctions } from './constructs/qualification-state-machine.js';
import { AppticStack, type AppticStackProps } from './stack.js';

/**
 * The state machine definition for the local engine, taken from the CDK stack itself (no second definition):
 * the stack is built in-process with bundling skipped, the CloudFormation definition string is resolved, and every
 * intrinsic (Fn::GetAtt / Ref) is replaced by a stable placeholder. No synth, no AWS account, no credentials.
 * Infra modules import `aws-cdk-lib/core` rather than the package root: the root index costs ~0.6 s more to load,
 * and the local runtime pays it at every start.
 */

export const LOCAL_PARTITION = 'aws';
export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

/** `arn:aws:lambda:local:000000000000:function:<AppFunction construct id>`, e.g. `…:function:EvaluateFn`. */
export const functionPlaceholder = (constructId: string): string =>
  `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${constructId}`;

export interface ExtractAslOptions {
  readonly stage?: string;
  /** Configuration file (relative to the repository root); its workflow days become TimeoutSeconds. */
  readonly configPath?: string;
  /** Same timeout/heartbeat (seconds) on every callback Task, e.g. for tests. */
  readonly callbackTimeoutOverride?: AppticStackProps['callbackTimeoutOverride'];
}

export interface AslTask {
  /** Key in `WorkflowFunctions` (evaluate, openTask, …). */
  readonly function: keyof WorkflowFunctions;
  /** Handler module, relative to the repository root (`functions/workflow/evaluate.ts`). */
  readonly entry: string;
  /** The placeholder ARN that stands for the function in `definition`. */
  readonly placeholder: string;
  /** `.waitForTaskToken`: the handler opens the step; the result comes from SendTaskSuccess/Failure. */
  readonly callback: boolean;
}

export interface ExtractedAsl {
  /** The Amazon States Language document (JSONPath), placeholders in place of the intrinsics. */
  readonly definition: Record<string, unknown>;
  /** placeholder → construct path of the resource it stands for (`Aptic-dev/EvaluateFn`). */
  readonly placeholders: Record<string, string>;
  /** Task state name → its function, handler module and placeholder. */
  readonly tasks: Record<string, AslTask>;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': LOCAL_PARTITION,
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

const cache = new Map<string, ExtractedAsl>();

/** Cached per options: the local runtime calls it at every start (the first call costs ~1 s of CDK). */
export function extractAsl(options: ExtractAslOptions = {}): ExtractedAsl {
  const key = JSON.stringify(options);
  let hit = cache.get(key);
  if (!hit) {
    hit = build(options);
    cache.set(key, hit);
  }
  return structuredClone(hit);
}

function build(options: ExtractAslOptions): ExtractedAsl {
  // Bundling skipped, no validation plugin: only the construct tree is read, nothing is synthesized.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AppticStack(app, 'Aptic', {
    stage: options.stage,
    configPath: options.configPath,
    callbackTimeoutOverride: options.callbackTimeoutOverride,
  });

  const byLogicalId = new Map<string, CfnElement>();
  for (const c of stack.node.findAll()) {
    if (c instanceof CfnElement) byLogicalId.set(stack.resolve(c.logicalId) as string, c);
  }

  const placeholders: Record<string, string> = {};
  const placeholderOf = (logicalId: string): string => {
    const element = byLogicalId.get(logicalId);
    if (!element) throw new Error(`extractAsl: no construct with logical id ${logicalId}`);
    const owner = findAncestor(element, (c) => c instanceof AppFunction);
    const placeholder = owner
      ? functionPlaceholder(owner.node.id)
      : `arn:${LOCAL_PARTITION}:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${element.node.path.replace(/\//g, ':')}`;
    placeholders[placeholder] = (owner ?? element).node.path;
    return placeholder;
  };

  const cfn = stack.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const resolved = stack.resolve(cfn.definitionString as string | IResolvable) as unknown;
  const text = flatten(resolved, placeholderOf);
  const definition = JSON.parse(text) as Record<string, unknown>;

  const entryOf = new Map<string, string>();
  for (const [name, fn] of Object.entries(stack.functions)) {
    entryOf.set(name, fn.entry);
  }
  const tasks: Record<string, AslTask> = {};
  forEachState(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    const fnKey = TASK_FUNCTIONS[name];
    if (!fnKey) throw new Error(`extractAsl: Task ${name} has no function in TASK_FUNCTIONS`);
    const resource = String(state.Resource);
    const params = state.Parameters as Record<string, unknown> | undefined;
    tasks[name] = {
      function: fnKey,
      entry: entryOf.get(fnKey) ?? '',
      placeholder: resource.startsWith('arn:aws:states:::') ? String(params?.FunctionName) : resource,
      callback: resource.endsWith('.waitForTaskToken'),
    };
  });

  return { definition, placeholders, tasks };
}

/** Resolved CloudFormation value → plain string, intrinsics replaced. */
function flatten(value: unknown, placeholderOf: (logicalId: string) => string): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => flatten(p, placeholderOf)).join(sep);
    }
    if (typeof v.Ref === 'string') {
      return PSEUDO_PARAMETERS[v.Ref] ?? placeholderOf(v.Ref);
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [logicalId, attribute] = v['Fn::GetAtt'] as [string, string];
      const placeholder = placeholderOf(logicalId);
      return attribute === 'Arn' ? placeholder : `${placeholder}.${attribute}`;
    }
  }
  throw new Error(`extractAsl: unsupported intrinsic in the definition: ${JSON.stringify(value)}`);
}

function findAncestor(c: IConstruct, test: (c: IConstruct) => boolean): IConstruct | undefined {
  for (let cur: IConstruct | undefined = c; cur; cur = cur.node.scope) {
    if (test(cur)) return cur;
    if (cur instanceof Stack) return undefined;
  }
  return undefined;
}

type StateVisitor = (name: string, state: Record<string, unknown>) => void;

/** Every state, including those inside Parallel branches and Map item processors. */
export function forEachState(definition: Record<string, unknown>, visit: StateVisitor): void {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    if (state.Type === 'Parallel') {
      for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) forEachState(branch, visit);
    }
    if (state.Type === 'Map') {
      const inner = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
      if (inner) forEachState(inner, visit);
    }
  }
}

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AppticStack, type AppticStackProps } from '../../infra/stack.js';

/**
 * The stack as unit tests see it: bundling skipped (no esbuild run), no cdk-nag plugin (it has its own test) and no
 * built-in CloudFormation validation (a WASM engine that costs 10–40 s per synth; the one `cdk synth` in CI keeps it).
 */
export function buildStack(props: AppticStackProps = {}): { app: App; stack: AppticStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new AppticStack(app, 'Aptic-test', props);
  return { app, stack };
}

let memo: { app: App; stack: AppticStack; template: Template } | undefined;

export function defaultStack(): { app: App; stack: AppticStack; template: Template } {
  if (!memo) {
    const { app, stack } = buildStack();
    memo = { app, stack, template: Template.fromStack(stack) };
  }
  return memo;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
export type Json = any;

/** The logical id a construct's CloudFormation resource has in `stack`'s template. */
export function logicalIdIn(
  stack: Pick<AppticStack, 'resolve'>,
  construct: { node: { defaultChild?: unknown } },
): string {
  return stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;
}

/** Every IAM policy statement of the template, with the logical id of the policy and its roles. */
export function policyStatements(template: Template): { policy: string; roles: string[]; statement: Json }[] {
  const out: { policy: string; roles: string[]; statement: Json }[] = [];
  for (const [policy, res] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const roles = ((res as Json).Properties.Roles ?? []).map((r: Json) => r.Ref as string);
    for (const statement of (res as Json).Properties.PolicyDocument.Statement) out.push({ policy, roles, statement });
  }
  for (const [role, res] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of (res as Json).Properties.Policies ?? []) {
      for (const statement of p.PolicyDocument.Statement)
        out.push({ policy: `${role}/${p.PolicyName}`, roles: [role], statement });
    }
  }
  return out;
}

export const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { extractAsl } from '../../infra/asl.js';
import { defaultStack, type Json } from './fixture.js';

/**
 * The state machine definition checked by the field's own validator (asl-validator: the ASL JSON schemas, transition
 * targets, terminal states, JSONPath syntax, ARN format of Task resources), as well as by our own assertions
 * (state-machine.test.ts) and cdk-nag (nag.test.ts): a definition Step Functions would refuse never passes CI.
 */
type AslValidator = (
  definition: Json,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: Json[]; errorsText: (separator?: string) => string };
// asl-validator is CommonJS (`export =`) and ships no type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** Validate a copy (the validator writes QueryLanguage into every state). Paths and ARNs checked. */
function validate(definition: Json) {
  return validateAsl(structuredClone(definition), { checkPaths: true, checkArn: true });
}

const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';

/**
 * The DefinitionString of the synthesized template with its intrinsics resolved the way CloudFormation would:
 * pseudo parameters to a real region and account, `Fn::GetAtt [X, Arn]` / `Ref X` to an ARN of the resource's type.
 */
function deployedDefinition(): Json {
  const { template } = defaultStack();
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Json[];
  const resources = template.toJSON().Resources as Record<string, Json>;
  const arnOf = (logicalId: string): string => {
    const type = resources[logicalId]?.Type;
    if (type === 'AWS::Lambda::Function') return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
    if (type === 'AWS::DynamoDB::Table') return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${logicalId}`;
    throw new Error(`no ARN shape for ${logicalId} (${type}) in the definition`);
  };
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const flatten = (v: Json): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as Json[]).map(flatten).join(v['Fn::Join'][0]);
    if (v.Ref) return pseudo[v.Ref] ?? arnOf(v.Ref);
    if (v['Fn::GetAtt']?.[1] === 'Arn') return arnOf(v['Fn::GetAtt'][0]);
    throw new Error(`unexpected intrinsic ${JSON.stringify(v)}`);
  };
  return JSON.parse(flatten(machine.Properties.DefinitionString));
}

describe('state machine definition under asl-validator', () => {
  it('the definition deployed by the stack (synthesized template, ARNs resolved) is valid', () => {
    const definition = deployedDefinition();
    const result = validate(definition);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    expect(Object.keys(definition.States).length).toBeGreaterThan(5);
  });

  it('the definition the local engine runs (extractAsl, placeholder ARNs) is valid', () => {
    const result = validate(extractAsl().definition);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('refuses broken definitions: a Next pointing nowhere, a bad StartAt, a malformed ARN, a bad path', () => {
    const good = extractAsl().definition as Json;
    const [taskName] = Object.entries(good.States as Record<string, Json>).find(
      ([, s]) => s.Type === 'Task' && typeof s.Next === 'string',
    )!;
    const refusal = (mutate: (d: Json) => void): string => {
      const broken = structuredClone(good);
      mutate(broken);
      const result = validate(broken);
      expect(result.isValid).toBe(false);
      return result.errorsText('\n');
    };

    expect(
      refusal((d) => {
        d.States[taskName].Next = 'NoSuchState';
      }),
    ).toContain("MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: NoSuchState");
    expect(
      refusal((d) => {
        d.StartAt = 'NoSuchState';
      }),
    ).toContain('MISSING_TRANSITION_TARGET');
    expect(
      refusal((d) => {
        d.States[taskName].Resource = 'lambda:EvaluateFn';
      }),
    ).toContain(`/States/${taskName}/Resource is invalid`);
    expect(
      refusal((d) => {
        d.States[taskName].ResultPath = '$.[oops';
      }),
    ).toContain(`/States/${taskName}/ResultPath is invalid`);
  });
});

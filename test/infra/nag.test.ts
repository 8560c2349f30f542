import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AppticStack } from '../../infra/stack.js';
import { buildStack } from './fixture.js';

// A full in-memory synth per test: seconds on a quiet machine, far more on a loaded CI runner.
describe('cdk-nag (AwsSolutions)', { timeout: 180_000 }, () => {
  it('reports no unacknowledged finding', () => {
    const { app } = buildStack();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('passes when registered the way infra/app.ts does (Template.fromStack would throw on a finding)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
    const stack = new AppticStack(app, 'Aptic-nag');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  it('still catches a finding nobody acknowledged (the check is live)', () => {
    const { app, stack } = buildStack();
    // An un-acknowledged wildcard, on purpose.
    stack.functions.health!.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => Template.fromStack(stack)).toThrow();
  });
});

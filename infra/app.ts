import '../shared/runtime/polyfills.js';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppticStack } from './stack.js';

/**
 * CDK app (cdk.json: `npx tsx infra/app.ts`). Env-agnostic: `cdk synth` needs no account, no credentials, no Docker.
 * Context: `-c stage=prod`, `-c config=path/to/aptic-config.json`, `-c sesIdentityArn=…`, `-c mailFrom=…`,
 * `-c publicBaseUrl=https://…`.
 */
const app = new App();
const ctx = (key: string): string | undefined => {
  const v = app.node.tryGetContext(key);
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};
const stage = ctx('stage') ?? 'dev';

const stack = new AppticStack(app, `Aptic-${stage}`, {
  stage,
  configPath: ctx('config'),
  sesIdentityArn: ctx('sesIdentityArn'),
  mailFrom: ctx('mailFrom'),
  publicBaseUrl: ctx('publicBaseUrl'),
  description: `APTIC qualification (${stage})`,
});
Tags.of(stack).add('project', 'aptic-qualification');
Tags.of(stack).add('stage', stage);

// cdk-nag 3: a policy-validation plugin; any unacknowledged finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

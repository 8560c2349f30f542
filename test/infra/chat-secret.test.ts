import { describe, expect, it } from 'vitest';
import { asArray, defaultStack, type Json, policyStatements } from './fixture.js';

const { stack, template } = defaultStack();

describe('chat session secret', () => {
  const secrets = template.findResources('AWS::SecretsManager::Secret');
  const [secretId] = Object.keys(secrets);

  it('is a generated Secrets Manager secret (no value in the template)', () => {
    expect(Object.keys(secrets)).toHaveLength(1);
    const props = (secrets[secretId!] as Json).Properties;
    expect(props.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(props.SecretString).toBeUndefined();
  });

  it('is named to the chat function only, which alone may read it', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const withArn = Object.entries(functions).filter(
      ([, f]) => (f as Json).Properties.Environment?.Variables?.CHAT_SESSION_SECRET_ARN,
    );
    expect(withArn).toHaveLength(1);
    const [chatId, chat] = withArn[0]!;
    expect((chat as Json).Properties.Environment.Variables.CHAT_SESSION_SECRET_ARN).toEqual({ Ref: secretId });
    expect(chatId).toMatch(/^ChatFn/);

    const readers = policyStatements(template).filter((s) =>
      asArray<string>(s.statement.Action).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(readers.length).toBeGreaterThan(0);
    const chatRole = stack.resolve((chat as Json).Properties.Role)['Fn::GetAtt'][0];
    for (const r of readers) {
      expect(r.roles).toEqual([chatRole]);
      expect(asArray(r.statement.Resource)).toEqual([{ Ref: secretId }]);
      expect(asArray<string>(r.statement.Action).sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
    }
  });
});

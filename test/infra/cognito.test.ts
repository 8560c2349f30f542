import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { apiFunctions, functionName, isConsolePath, toApiGatewayPath } from '../../infra/stack.js';
import { buildStack, defaultStack, type Json, logicalIdIn } from './fixture.js';

const { stack, template } = defaultStack();
const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: logicalIdIn(stack, c) });

describe('staff user pool', () => {
  it('admin-created users only, e-mail sign-in, strong passwords, optional TOTP, threat protection, retained', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        UsernameAttributes: ['email'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      }),
    });
  });

  it('has the groups admin and reviewer', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g: Json) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'reviewer']);
  });

  it('one app client without secret: password + SRP flows, 1 h tokens, 8 h refresh', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: ref(stack.userPool),
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

describe('JWT authorizer on the staff routes', () => {
  const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r: Json) => r.Properties);
  const routeFor = (method: string, path: string) => routes.find((r) => r.RouteKey === `${method} ${path}`);

  it('one JWT authorizer: issuer = the pool, audience = the console client, from the Authorization header', () => {
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [a] = Object.values(authorizers) as Json[];
    expect(a.Properties.AuthorizerType).toBe('JWT');
    expect(a.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(a.Properties.JwtConfiguration.Audience).toEqual([ref(stack.userPoolClient)]);
    expect(JSON.stringify(a.Properties.JwtConfiguration.Issuer)).toContain(ref(stack.userPool).Ref);
  });

  const authorizerId = Object.keys(authorizers)[0];
  const staffRoutes = ROUTES.filter((r) => r.staff);
  const openRoutes = ROUTES.filter((r) => !r.staff);

  it('every `staff: true` route requires it', () => {
    expect(staffRoutes.length).toBeGreaterThan(10);
    for (const r of staffRoutes) {
      const route = routeFor(r.method, toApiGatewayPath(r.path));
      expect(route, `${r.method} ${r.path}`).toBeDefined();
      expect(route.AuthorizationType, `${r.method} ${r.path}`).toBe('JWT');
      expect(route.AuthorizerId, `${r.method} ${r.path}`).toEqual({ Ref: authorizerId });
    }
  });

  it('login and the public / actor routes have none', () => {
    expect(openRoutes.map((r) => r.path)).toContain('/api/console/login');
    for (const r of openRoutes) {
      const route = routeFor(r.method, toApiGatewayPath(r.path));
      expect(route, `${r.method} ${r.path}`).toBeDefined();
      expect(route.AuthorizationType ?? 'NONE', `${r.method} ${r.path}`).toBe('NONE');
      expect(route.AuthorizerId, `${r.method} ${r.path}`).toBeUndefined();
    }
  });

  it('console functions (login included) get the pool and client ids; the others do not', () => {
    const resources = template.toJSON().Resources as Record<string, Json>;
    for (const [name, spec] of apiFunctions()) {
      const id = stack.resolve(
        (stack.functions[name]!.fn.node.defaultChild as unknown as { logicalId: string }).logicalId,
      );
      const vars = resources[id].Properties.Environment?.Variables ?? {};
      if (spec.routes.some((r) => isConsolePath(r.path))) {
        expect(vars.COGNITO_USER_POOL_ID, name).toEqual(ref(stack.userPool));
        expect(vars.COGNITO_CLIENT_ID, name).toEqual(ref(stack.userPoolClient));
      } else {
        expect(vars.COGNITO_CLIENT_ID, name).toBeUndefined();
      }
    }
    expect(functionName('functions/api/console-login.ts')).toBe('consoleLogin');
  });

  it('one IAM permission on Cognito: the reminder job lists the admin group of this pool (InitiateAuth needs none)', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
    const onCognito = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Json[])
        .filter((st) => JSON.stringify(st.Action).includes('cognito-idp:'))
        .map((st) => ({ roles: p.Properties.Roles, action: st.Action, resource: st.Resource })),
    );
    expect(onCognito).toEqual([
      {
        roles: [ref(stack.reminder.role)],
        action: 'cognito-idp:ListUsersInGroup',
        resource: { 'Fn::GetAtt': [logicalIdIn(stack, stack.userPool), 'Arn'] },
      },
    ]);
    const reminder = template.toJSON().Resources[logicalIdIn(stack, stack.reminder.fn)] as Json;
    expect(reminder.Properties.Environment.Variables.COGNITO_USER_POOL_ID).toEqual(ref(stack.userPool));
    expect(reminder.Properties.Environment.Variables.COGNITO_CLIENT_ID).toBeUndefined();
  });
});

describe('cdk-nag with the user pool', { timeout: 180_000 }, () => {
  it('stays clean: no unacknowledged finding (COG2 acknowledged, no APIG4 on staff routes)', () => {
    const { app } = buildStack();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createRoute as meRoute } from '../../../functions/api/console-me.js';
import { type HttpRequest, toLambda } from '../../../shared/http/http.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { resolvePrincipal, staffFromClaims } from '../../../shared/usecases/principal.js';

/** No store is touched when the claims decide: any call on it fails the test. */
const deps = new Proxy({} as Deps, {
  get: (_t, prop) => {
    if (prop === 'then') return undefined;
    throw new Error(`deps.${String(prop)} must not be used`);
  },
});

const idClaims = (over: Record<string, unknown> = {}) => ({
  sub: '7f1c0e2a-0000-4000-8000-000000000001',
  token_use: 'id',
  email: 'Ana@Aptic.test',
  'cognito:groups': ['reviewer'],
  ...over,
});

describe('staff from Cognito claims (verified by API Gateway)', () => {
  it('an ID token of a reviewer → reviewer, e-mail lower-cased, no local session', async () => {
    expect(await resolvePrincipal(deps, null, idClaims())).toEqual({
      kind: 'staff',
      email: 'ana@aptic.test',
      role: 'reviewer',
      sessionHash: '',
    });
  });

  it('admin wins over reviewer; the flattened form API Gateway hands over is read too', () => {
    expect(staffFromClaims(idClaims({ 'cognito:groups': ['reviewer', 'admin'] }))?.role).toBe('admin');
    expect(staffFromClaims(idClaims({ 'cognito:groups': '[reviewer admin]' }))?.role).toBe('admin');
    expect(staffFromClaims(idClaims({ 'cognito:groups': '[reviewer]' }))?.role).toBe('reviewer');
  });

  it('an access token (no e-mail claim) uses the username', () => {
    expect(
      staffFromClaims({ token_use: 'access', username: 'bob@aptic.test', 'cognito:groups': '[admin]' }),
    ).toMatchObject({ email: 'bob@aptic.test', role: 'admin' });
  });

  it('a wrong token_use, no group or another group → not staff', async () => {
    expect(staffFromClaims(idClaims({ token_use: 'refresh' }))).toBeNull();
    expect(staffFromClaims(idClaims({ token_use: undefined }))).toBeNull();
    expect(staffFromClaims(idClaims({ 'cognito:groups': undefined }))).toBeNull();
    expect(staffFromClaims(idClaims({ 'cognito:groups': ['visitors'] }))).toBeNull();
    expect(staffFromClaims(idClaims({ 'cognito:groups': '[administrators]' }))).toBeNull();
    expect(staffFromClaims(idClaims({ email: undefined }))).toBeNull();
    // Falls back to the bearer logic: no bearer → nobody.
    expect(await resolvePrincipal(deps, null, idClaims({ 'cognito:groups': [] }))).toBeNull();
  });
});

function event(over: Partial<APIGatewayProxyEventV2> & { authorizer?: unknown } = {}): APIGatewayProxyEventV2 {
  const { authorizer, ...rest } = over;
  return {
    version: '2.0',
    routeKey: 'GET /api/console/me',
    rawPath: '/api/console/me',
    rawQueryString: '',
    headers: { authorization: 'Bearer eyJ.header.sig' },
    requestContext: {
      http: { method: 'GET', path: '/api/console/me', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'x' },
      ...(authorizer ? { authorizer } : {}),
    },
    isBase64Encoded: false,
    ...rest,
  } as unknown as APIGatewayProxyEventV2;
}

describe('the Lambda adapter and authorizer claims', () => {
  const seen: HttpRequest[] = [];
  const echo = toLambda(async (req) => {
    seen.push(req);
    return { statusCode: 204, body: '' };
  });

  it('copies requestContext.authorizer.jwt.claims into the request', async () => {
    await echo(event({ authorizer: { jwt: { claims: idClaims({ 'cognito:groups': '[admin]' }), scopes: null } } }));
    expect(seen.at(-1)?.authorizerClaims).toMatchObject({ token_use: 'id', 'cognito:groups': '[admin]' });
  });

  it('without an authorizer there are no claims, and a header pretending to be claims is ignored', async () => {
    const fake = JSON.stringify(idClaims({ 'cognito:groups': ['admin'] }));
    await echo(event({ headers: { authorizerclaims: fake, 'x-authorizer-claims': fake, authorization: 'Bearer x' } }));
    expect(seen.at(-1)?.authorizerClaims).toBeUndefined();
    expect('authorizerClaims' in (seen.at(-1) ?? {})).toBe(false);
  });

  it('a console route answers from the verified claims (admin), and 401 without them', async () => {
    const me = toLambda(meRoute(deps));
    const ok = await me(event({ authorizer: { jwt: { claims: idClaims({ 'cognito:groups': '[admin]' }) } } }));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body as string)).toEqual({ email: 'ana@aptic.test', role: 'admin' });

    const forged = await me(
      event({ headers: { authorization: 'Bearer not-a-session-token', 'x-claims': JSON.stringify(idClaims()) } }),
    );
    expect(forged.statusCode).toBe(401);
  });
});

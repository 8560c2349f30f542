import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRoute } from '../../../functions/api/console-login.js';
import { toLambda } from '../../../shared/http/http.js';
import { cognitoSignIn } from '../../../shared/runtime/cognito.js';
import type { Store } from '../../../shared/store/store.js';
import type { Deps } from '../../../shared/usecases/ports.js';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognitoMock.reset());
// Workers are shared between test files (vitest.config.ts): the SDK class goes back to its own `send`.
afterAll(() => cognitoMock.restore());

const NOW = new Date('2026-03-02T09:00:00.000Z');
const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"RS256","kid":"k"}', JSON.stringify(claims), 'signature']
    .map((p, i) => (i < 2 ? Buffer.from(p).toString('base64url') : p))
    .join('.');

/** The throttle counters in memory: the route keeps the local throttle in front of Cognito. */
function makeDeps() {
  const counts = new Map<string, number>();
  const stamps = new Map<string, number>();
  const store = {
    counters: {
      incrementUpTo: async (key: string, cap: number, options: { lastAt?: number } = {}) => {
        const n = counts.get(key) ?? 0;
        if (n >= cap) return false;
        counts.set(key, n + 1);
        if (options.lastAt !== undefined) stamps.set(key, options.lastAt);
        return true;
      },
      decrement: async (key: string) => {
        counts.set(key, Math.max(0, (counts.get(key) ?? 0) - 1));
      },
      read: async (key: string) => ({ count: counts.get(key) ?? 0, lastAt: stamps.get(key) ?? null }),
      reset: async (key: string) => {
        counts.delete(key);
        stamps.delete(key);
      },
    },
    staff: {
      get: async () => {
        throw new Error('local accounts must not be read when Cognito is configured');
      },
    },
  } as unknown as Store;
  const client = new CognitoIdentityProviderClient({
    region: 'eu-west-3',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const deps = {
    store,
    clock: () => NOW,
    cognito: cognitoSignIn(client, 'client-123', () => NOW),
  } as unknown as Deps;
  return { deps, counts };
}

const post = (deps: Deps, body: unknown, sourceIp = '198.51.100.4') =>
  toLambda(createRoute(deps))({
    version: '2.0',
    routeKey: 'POST /api/console/login',
    rawPath: '/api/console/login',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path: '/api/console/login', protocol: 'HTTP/1.1', sourceIp, userAgent: 'x' },
    },
  } as unknown as APIGatewayProxyEventV2).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body as string) }));

const creds = { email: 'Ana@Aptic.test', password: 'Correct-horse-42!' };

describe('POST /api/console/login through Cognito (COGNITO_CLIENT_ID set)', () => {
  it('success: USER_PASSWORD_AUTH with the client id; returns the ID token, its expiry and the role', async () => {
    const idToken = jwt({ token_use: 'id', email: 'ana@aptic.test', 'cognito:groups': ['reviewer', 'admin'] });
    cognitoMock.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { IdToken: idToken, AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 },
    });
    const { deps, counts } = makeDeps();
    const res = await post(deps, creds);
    expect(res).toEqual({
      status: 200,
      body: { token: idToken, expiresAt: '2026-03-02T10:00:00.000Z', role: 'admin' },
    });
    const calls = cognitoMock.commandCalls(InitiateAuthCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      ClientId: 'client-123',
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ana@aptic.test', PASSWORD: creds.password },
    });
    // A success gives its throttle slots back.
    expect([...counts.values()].every((n) => n === 0)).toBe(true);
  });

  it('NotAuthorizedException / UserNotFoundException → 401 with the French message', async () => {
    const { deps } = makeDeps();
    cognitoMock
      .on(InitiateAuthCommand)
      .rejectsOnce(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }))
      .rejectsOnce(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    for (let i = 0; i < 2; i++) {
      const res = await post(deps, creds);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: 'Adresse e-mail ou mot de passe incorrect.' });
    }
  });

  it('a challenge (first sign-in, TOTP) → 409 challenge_required with the challenge name', async () => {
    const { deps } = makeDeps();
    cognitoMock
      .on(InitiateAuthCommand)
      .resolvesOnce({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' })
      .resolvesOnce({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's' });
    const first = await post(deps, creds);
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({ error: 'challenge_required', challenge: 'NEW_PASSWORD_REQUIRED' });
    expect(first.body.message).toMatch(/nouveau mot de passe/);
    const mfa = await post(deps, creds);
    expect(mfa.status).toBe(409);
    expect(mfa.body).toMatchObject({ error: 'challenge_required', challenge: 'SOFTWARE_TOKEN_MFA' });
  });

  it('a user in no staff group → 403; a bad body → 400 before Cognito is called', async () => {
    const { deps } = makeDeps();
    cognitoMock.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { IdToken: jwt({ token_use: 'id', email: 'x@aptic.test' }), ExpiresIn: 3600 },
    });
    expect((await post(deps, creds)).status).toBe(403);
    cognitoMock.reset();
    expect((await post(deps, { email: 'x@aptic.test' })).status).toBe(400);
    expect(cognitoMock.commandCalls(InitiateAuthCommand)).toHaveLength(0);
  });

  it('the local throttle stays in front: after 5 failures on one e-mail from one source, 429 without asking Cognito', async () => {
    const { deps } = makeDeps();
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    for (let i = 0; i < 5; i++) expect((await post(deps, creds)).status).toBe(401);
    const blocked = await post(deps, creds);
    expect(blocked.status).toBe(429);
    expect(cognitoMock.commandCalls(InitiateAuthCommand)).toHaveLength(5);
  });
});

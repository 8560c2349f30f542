import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatServiceFromDeps } from '../../../bot/index.js';
import { openApiDocument } from '../../../functions/openapi.js';
import { startAppServer } from '../../../infra/local/app.js';
import type { LocalServer } from '../../../infra/local/server.js';
import { createStaff } from '../../../shared/usecases/staff-auth.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type AppHarness, parseJson, startAppHarness } from '../../helpers/local-app.js';

// GET /api/openapi.json over HTTP, and the contract routes' live answers against the response schemas the document
// gives them: what the description says of an answer is what the server writes.

type Json = Record<string, any>;
const STAFF = { email: 'openapi@aptic.test', password: 'mot-de-passe-solide-42' };

let harness: AppHarness;
let server: LocalServer;
let served: Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  harness = await startAppHarness({ lite: true });
  await createStaff(harness.deps, { ...STAFF, role: 'reviewer' }, 'test');
  // The same assembly as `npm start`: the API routes, then the chat service.
  const chat = await createChatServiceFromDeps(harness.deps, { allowedOrigins: [], publicBaseUrl: 'http://x.test' });
  server = await startAppServer(harness.deps, { host: '127.0.0.1', port: 0, dispatchers: [(r) => chat.handle(r)] });
});
afterAll(async () => {
  await server?.close();
  await harness?.close();
});

async function call(method: string, path: string, init: { body?: unknown; token?: string } = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parseJson(text, text) };
}

/** The answer matches the schema the document gives this route and status (or its `default`). */
function expectDocumented(method: string, path: string, res: { status: number; body: unknown }) {
  const op = served.paths[path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
  expect(op, `${method} ${path} in the document`).toBeDefined();
  const response = op.responses[String(res.status)] ?? op.responses.default;
  expect(response, `${method} ${path} documents ${res.status}`).toBeDefined();
  const schema = response.content?.['application/json']?.schema;
  expect(schema, `${method} ${path} ${res.status}: a JSON schema`).toBeDefined();
  const validate = ajv.compile({ ...schema, components: served.components });
  expect(validate(res.body), `${method} ${path} ${res.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe('GET /api/openapi.json', () => {
  it('serves the document as JSON, to anyone, from any origin', async () => {
    const res = await call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    served = res.body;
    expect(served.openapi).toMatch(/^3\.1\./);
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});

describe('the contract routes answer as the document says', () => {
  let actorToken = '';
  let applicationId = '';
  let staffToken = '';

  it('public: health, eligibility, a new application and its refusals', async () => {
    expectDocumented('GET', '/healthz', await call('GET', '/healthz'));
    const doc = validApplication({ siret: siretFor(41) });
    expectDocumented('POST', '/api/eligibility', await call('POST', '/api/eligibility', { body: doc }));
    const created = await call('POST', '/api/applications', { body: doc });
    expect(created.status).toBe(201);
    expectDocumented('POST', '/api/applications', created);
    actorToken = created.body.actorToken;
    applicationId = created.body.id;
    const refused = await call('POST', '/api/applications', { body: { ...doc, profil: 'inconnu' } });
    expect(refused.status).toBe(400);
    expectDocumented('POST', '/api/applications', refused);
    const again = await call('POST', '/api/applications', { body: doc });
    expect(again.status).toBe(409);
    expectDocumented('POST', '/api/applications', again);
  });

  it('actor: the application with its token', async () => {
    const res = await call('GET', `/api/applications/${applicationId}`, { token: actorToken });
    expect(res.status).toBe(200);
    expectDocumented('GET', '/api/applications/:id', res);
    expectDocumented('GET', '/api/applications/:id', await call('GET', `/api/applications/${applicationId}`));
  });

  it('console: login, tasks, outbox, and the 401 of a route without a session', async () => {
    const login = await call('POST', '/api/console/login', { body: STAFF });
    expect(login.status).toBe(200);
    expectDocumented('POST', '/api/console/login', login);
    staffToken = login.body.token;
    const tasks = await call('GET', '/api/console/tasks', { token: staffToken });
    expect(tasks.status).toBe(200);
    expectDocumented('GET', '/api/console/tasks', tasks);
    const outbox = await call('GET', '/api/console/outbox?limit=5', { token: staffToken });
    expect(outbox.status).toBe(200);
    expectDocumented('GET', '/api/console/outbox', outbox);
    const anonymous = await call('GET', '/api/console/tasks');
    expect(anonymous.status).toBe(401);
    expectDocumented('GET', '/api/console/tasks', anonymous);
  });

  it('chat: FAQ, session, messages', async () => {
    expectDocumented(
      'GET',
      '/api/faq',
      await call('GET', `/api/faq?q=${encodeURIComponent('Combien coûte le Kit ?')}`),
    );
    const session = await call('POST', '/api/chat/session', { body: {} });
    expect(session.status).toBe(200);
    expectDocumented('POST', '/api/chat/session', session);
    const hello = await call('POST', '/api/messages', { body: { type: 'hello' }, token: session.body.token });
    expect(hello.status).toBe(200);
    expectDocumented('POST', '/api/messages', hello);
  });
});

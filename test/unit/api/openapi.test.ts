import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { API_COMPONENTS, API_DOCS, openApiDocument } from '../../../functions/openapi.js';
import { ROUTES } from '../../../functions/routes.js';
import { exampleDocument, siretFor, validApplication } from '../../helpers/fixtures.js';

// The OpenAPI description (GET /api/openapi.json) against the routes table, the OpenAPI 3.1 schema and the zod
// schemas the handlers parse with. A route added to functions/routes.ts needs its line in API_DOCS
// (functions/openapi.ts): the first test names the routes that lack one.

const doc = openApiDocument();
const key = (method: string, path: string) => `${method} ${path}`;
const toOpenApi = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');
type Json = Record<string, any>;

/** What zod itself writes for a schema (the document must hold exactly this, not a copy that could age). */
const zodJson = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Json;
  return rest;
};
const resolve = (schema: Json): Json =>
  typeof schema.$ref === 'string' ? (doc.components.schemas[schema.$ref.split('/').pop() as string] as Json) : schema;

/** One body per request component that the product accepts (fixtures of the tests, the contract's examples). */
const ACCEPTED: Record<keyof typeof API_COMPONENTS, unknown[]> = {
  ApplicationDocument: [exampleDocument(), validApplication({ siret: siretFor(7) }), { profil: 'financeur' }],
  Commitments: [{ charte: true, cgu: true, abonnement: 'oui' }],
  Login: [{ email: 'relecteur@aptic.test', password: 'mot-de-passe-solide-42' }],
  Decision: [{ decision: 'approve' }, { decision: 'request_changes', comment: 'Le SIRET ne correspond pas.' }],
  Assign: [{ assignee: 'me' }, { assignee: 'relectrice@aptic.test' }, { assignee: null }],
  Comment: [{ comment: 'Appelé le 3 : dossier complet.' }],
  ConfigChange: [{ version: 0, set: { phasesOpen: [1, 2] } }],
  WaitlistRelease: [{}, { departement: '87', phase: 2, dryRun: true, limit: 10 }],
  Network: [{ name: 'Réseau des fabriques', agreement: { signedAt: '2026-03-01', scope: 'Nouvelle-Aquitaine' } }],
  Campaign: [{ kind: 'webinar', label: 'Webinaire de mars', territory: '87', startsAt: '2026-03-01' }],
  ChatMessage: [{ type: 'message', text: 'Bonjour' }, { type: 'hello' }],
  ChatSession: [{}, { campaign: 'webinaire-mars' }],
};
/** And one each refuses, for the same reason the document says. */
const REFUSED: Record<keyof typeof API_COMPONENTS, unknown> = {
  ApplicationDocument: { ...exampleDocument(), profil: 'inconnu' },
  Commitments: { charte: true, cgu: true, abonnement: 'non' },
  Login: { email: 'relecteur@aptic.test' },
  Decision: { decision: 'maybe' },
  Assign: { assignee: 42 },
  Comment: { comment: 'x'.repeat(4001) },
  ConfigChange: { version: -1, set: {} },
  WaitlistRelease: { phase: 4 },
  Network: { name: 'Réseau', agreement: null, extra: true },
  Campaign: { kind: 'salon', label: 'Salon' },
  ChatMessage: { type: 'image' },
  ChatSession: { campaign: 42 },
};

describe('OpenAPI description: every route, nothing else', () => {
  it('has a line in API_DOCS for every route of ROUTES, and none for a route that does not exist', () => {
    const routes = ROUTES.map((r) => key(r.method, r.path));
    expect(
      routes.filter((k) => !(k in API_DOCS)),
      'routes without a line in functions/openapi.ts API_DOCS',
    ).toEqual([]);
    expect(
      Object.keys(API_DOCS).filter((k) => !routes.includes(k)),
      'API_DOCS lines for no route',
    ).toEqual([]);
  });

  it('lists exactly the routes of ROUTES, with their methods and `{param}` paths', () => {
    const inDoc = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => key(m.toUpperCase(), path)),
    );
    const expected = ROUTES.map((r) => key(r.method, toOpenApi(r.path)));
    expect(inDoc.sort()).toEqual([...expected].sort());
    expect(inDoc).toHaveLength(ROUTES.length);
  });

  it('declares each path parameter, and gives every operation a unique id, a tag and its responses', () => {
    const ids = new Set<string>();
    for (const r of ROUTES) {
      const op = doc.paths[toOpenApi(r.path)]?.[r.method.toLowerCase()] as Json;
      expect(op['x-undocumented'], key(r.method, r.path)).toBeUndefined();
      const names = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)).toEqual(names);
      expect(ids.has(op.operationId), op.operationId).toBe(false);
      ids.add(op.operationId);
      expect(op.tags).toHaveLength(1);
      expect(
        Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
        key(r.method, r.path),
      ).toBe(true);
    }
  });

  it('says which credentials the staff routes take (the same list as the Cognito authorizer guards)', () => {
    for (const r of ROUTES.filter((r) => r.staff)) {
      const op = doc.paths[toOpenApi(r.path)]?.[r.method.toLowerCase()] as Json;
      expect(op.security, key(r.method, r.path)).toEqual([{ staffSession: [] }]);
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['actorToken', 'chatSession', 'staffSession']);
  });
});

describe('OpenAPI description: a valid OpenAPI 3.1 document', () => {
  it('validates against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is refused by the same validator when broken (the check has teeth)', async () => {
    const noTitle = structuredClone(doc) as Json;
    delete noTitle.info.title;
    expect((await new Validator().validate(noTitle)).valid).toBe(false);
    // OpenAPI 2's body parameter is not OpenAPI 3.
    const swagger2 = structuredClone(doc) as Json;
    swagger2.paths['/api/console/tasks'].get.parameters[0].in = 'body';
    expect((await new Validator().validate(swagger2)).valid).toBe(false);
  });

  it('has schemas that are valid JSON Schema 2020-12 (every one compiles with ajv)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ components: doc.components }, 'doc');
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`doc#/components/schemas/${name}`), name).not.toThrow();
    }
  });
});

describe('OpenAPI description: no drift from the zod schemas', () => {
  it('holds, for each route that takes a JSON body, what zod writes for the schema its handler parses with', () => {
    const withBody = Object.entries(API_DOCS).filter(([, d]) => d.body);
    expect(withBody.length).toBeGreaterThanOrEqual(14);
    for (const [k, d] of withBody) {
      const [method, path] = k.split(' ') as [string, string];
      const op = doc.paths[toOpenApi(path)]?.[method.toLowerCase()] as Json;
      const inDoc = resolve(op.requestBody.content['application/json'].schema);
      expect(inDoc, k).toEqual(zodJson(d.body as z.ZodType));
    }
  });

  it('holds the query parameters of the query schemas, required where zod requires them', () => {
    for (const [k, d] of Object.entries(API_DOCS).filter(([, d]) => d.query)) {
      const [method, path] = k.split(' ') as [string, string];
      const op = doc.paths[toOpenApi(path)]?.[method.toLowerCase()] as Json;
      const expected = zodJson(d.query as z.ZodType);
      const query = (op.parameters as Json[]).filter((p) => p.in === 'query');
      expect(Object.fromEntries(query.map((p) => [p.name, p.schema])), k).toEqual(expected.properties);
      expect(
        query.filter((p) => p.required).map((p) => p.name),
        k,
      ).toEqual(expected.required ?? []);
    }
  });

  it('accepts the bodies the product accepts and refuses what it refuses (ajv on the document, zod on the schema)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ components: doc.components }, 'doc');
    for (const [name, schema] of Object.entries(API_COMPONENTS) as [keyof typeof API_COMPONENTS, z.ZodType][]) {
      const validate = ajv.getSchema(`doc#/components/schemas/${name}`);
      if (!validate) throw new Error(`no schema ${name}`);
      for (const body of ACCEPTED[name]) {
        expect(schema.safeParse(body).success, `${name}: zod accepts`).toBe(true);
        expect(validate(body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      expect(schema.safeParse(REFUSED[name]).success, `${name}: zod refuses`).toBe(false);
      expect(validate(REFUSED[name]), `${name}: the document refuses`).toBe(false);
    }
  });

  it('describes the error body toHttpResponse writes', () => {
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error', 'message'],
      properties: { error: { type: 'string' }, message: { type: 'string' }, fields: { type: 'array' } },
    });
  });
});

import * as z from 'zod';

/**
 * The OpenAPI 3.1 description of the HTTP API, built from the routes table and the zod schemas the handlers parse
 * with (never written by hand). This module knows the document's shape; functions/openapi.ts says what each route
 * takes and answers. OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod 4 writes itself (`z.toJSONSchema`).
 */

export type ApiTag = 'public' | 'actor' | 'chat' | 'console' | 'admin' | 'pages';
export type SecurityName = 'actorToken' | 'staffSession' | 'chatSession';

export interface ResponseDoc {
  description: string;
  /** A JSON body's schema (as the server writes it: `io: 'output'`). */
  schema?: z.ZodType;
  /** A non-JSON body (text/html, text/csv…): its media type, described in words. */
  contentType?: string;
}

export interface OperationDoc {
  summary: string;
  description?: string;
  tag: ApiTag;
  /** The credentials accepted, any one of them; none: open to anyone. */
  auth?: readonly SecurityName[];
  /** The JSON body, the very schema the handler or its use case parses with. */
  body?: z.ZodType;
  /** The body may be left out (the use case then takes `{}`). */
  bodyOptional?: boolean;
  /** A body that is not JSON (the network members' CSV). */
  rawBody?: { contentType: string; description: string };
  /** The query string's schema (an object of strings, coerced by the handler). */
  query?: z.ZodType;
  /** Path parameters' schemas by name; a parameter without one is a plain string. */
  params?: Readonly<Record<string, z.ZodType>>;
  responses: Readonly<Record<number, string | ResponseDoc>>;
}

export interface RouteKey {
  method: string;
  path: string;
}

export interface OpenApiInput {
  info: { title: string; version: string; description: string };
  routes: readonly RouteKey[];
  /** By `routeKey()`: `"POST /api/applications/:id/commitments"`. */
  docs: Readonly<Record<string, OperationDoc>>;
  /** Schemas shown once under components/schemas and referenced by identity wherever a route uses them. */
  components: Readonly<Record<string, z.ZodType>>;
}

export type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
};

export const routeKey = (r: RouteKey) => `${r.method} ${r.path}`;
/** Local `:param` → OpenAPI (and API Gateway) `{param}`. */
export const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');

/**
 * The error body every refusal carries (toHttpResponse in http.ts): a stable code for programs, a French message for
 * people, the field errors of a 400, and sometimes a detail of the error (`retryAfterSeconds` of a 429…).
 */
export const ErrorBodySchema = z
  .object({
    error: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose();

/**
 * The one conversion from zod, used by the document and by the tests that compare with it: JSON Schema 2020-12,
 * requests as the client writes them (`input`: before coercions and transforms), answers as the server writes them.
 * A construct JSON Schema cannot say (a refinement, a transform's output) becomes "anything" rather than an error.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  // `#/$defs/…` would resolve against the whole document, not this schema: refuse it until a schema needs it.
  if ('$defs' in rest)
    throw new Error('jsonSchemaOf: schemas with $defs (recursive or registered ids) are not supported');
  return rest;
}

export const SECURITY_SCHEMES = {
  actorToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      "Le jeton de l'acteur : celui remis une seule fois par POST /api/applications (`actorToken`, `act_…`, une demande), ou la session d'acteur remise par POST /api/actor/sign-in/verify (`token`, `acs_…`, toutes les demandes de l'adresse).",
  },
  staffSession: {
    type: 'http',
    scheme: 'bearer',
    description:
      "La session d'un membre de l'équipe, remise par POST /api/console/login (`token`). Sur AWS, c'est le jeton " +
      "d'identité Cognito (JWT), vérifié par l'autorisateur de l'API avant le code.",
  },
  chatSession: {
    type: 'http',
    scheme: 'bearer',
    description: 'La session de conversation signée par le serveur, remise par POST /api/chat/session (`token`).',
  },
} as const;

const TAGS: { name: ApiTag; description: string }[] = [
  { name: 'public', description: 'Ouvert à tous : éligibilité, dépôt de demande, lieux publiés.' },
  { name: 'actor', description: "L'acteur, avec son jeton : suivi, correction, engagements." },
  { name: 'chat', description: 'Le chat : page, session, messages, FAQ, liens de campagne.' },
  { name: 'console', description: "La console de l'équipe (session staff)." },
  { name: 'admin', description: 'Réservé aux administrateurs (session staff, rôle admin).' },
  { name: 'pages', description: 'Pages et fichiers statiques (HTML, JS, CSS).' },
];

const ERROR_REF = { $ref: '#/components/schemas/Error' };

export function buildOpenApi(input: OpenApiInput): OpenApiDocument {
  const names = new Map<z.ZodType, string>();
  const schemas: Record<string, JsonSchema> = { Error: jsonSchemaOf(ErrorBodySchema, 'output') };
  for (const [name, schema] of Object.entries(input.components)) {
    names.set(schema, name);
    schemas[name] = jsonSchemaOf(schema, 'input');
  }
  const schemaFor = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const name = names.get(schema);
    return name && io === 'input' ? { $ref: `#/components/schemas/${name}` } : jsonSchemaOf(schema, io);
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const route of input.routes) {
    const doc = input.docs[routeKey(route)];
    const path = toOpenApiPath(route.path);
    const operation = doc ? operationOf(route, doc, schemaFor) : undocumented(route);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }

  return {
    openapi: '3.1.1',
    info: input.info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/', description: "L'origine qui sert ce document." }],
    tags: TAGS,
    paths,
    components: { schemas, securitySchemes: { ...SECURITY_SCHEMES } },
  };
}

function operationOf(
  route: RouteKey,
  doc: OperationDoc,
  schemaFor: (s: z.ZodType, io: 'input' | 'output') => JsonSchema,
): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  for (const [, name] of route.path.matchAll(/:([A-Za-z]+)/g)) {
    const schema = doc.params?.[name as string];
    parameters.push({
      name,
      in: 'path',
      required: true,
      schema: schema ? jsonSchemaOf(schema, 'input') : { type: 'string' },
    });
  }
  if (doc.query) {
    const q = jsonSchemaOf(doc.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }

  const op: Record<string, unknown> = {
    operationId: operationId(route),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    security: (doc.auth ?? []).map((name) => ({ [name]: [] })),
  };
  if (parameters.length > 0) op.parameters = parameters;
  if (doc.body) {
    op.requestBody = {
      required: !doc.bodyOptional,
      content: { 'application/json': { schema: schemaFor(doc.body, 'input') } },
    };
  } else if (doc.rawBody) {
    op.requestBody = {
      required: true,
      description: doc.rawBody.description,
      content: { [doc.rawBody.contentType]: { schema: { type: 'string' } } },
    };
  }

  const responses: Record<string, unknown> = {};
  for (const [status, value] of Object.entries(doc.responses)) {
    const r: ResponseDoc = typeof value === 'string' ? { description: value } : value;
    const isError = Number(status) >= 400;
    const content = r.schema
      ? { 'application/json': { schema: schemaFor(r.schema, 'output') } }
      : r.contentType
        ? { [r.contentType]: { schema: { type: 'string' } } }
        : isError
          ? { 'application/json': { schema: ERROR_REF } }
          : undefined;
    responses[status] = { description: r.description, ...(content ? { content } : {}) };
  }
  if (route.path.startsWith('/api/')) {
    responses.default = {
      description: 'Refus ou erreur : un code stable (`error`), un message en français, les champs en cause.',
      content: { 'application/json': { schema: ERROR_REF } },
    };
  }
  op.responses = responses;
  return op;
}

/** A route the table has no description for: still listed (the tests fail on it), so the document stays whole. */
function undocumented(route: RouteKey): Record<string, unknown> {
  return {
    operationId: operationId(route),
    summary: 'Non décrite',
    'x-undocumented': true,
    responses: { default: { description: 'Non décrite.' } },
  };
}

/** `POST /api/applications/:id/commitments` → `postApiApplicationsIdCommitments` (unique as routes are). */
function operationId(route: RouteKey): string {
  const words = route.path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1));
  return route.method.toLowerCase() + (words.join('') || 'Root');
}

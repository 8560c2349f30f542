import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../../shared/runtime/logger.js';
import { UseCaseError } from '../../shared/usecases/errors.js';

/**
 * The transport-neutral shape every route handler sees. The Lambda adapter (`toLambda`) builds it from an HTTP API
 * event; the local server builds it from Node's IncomingMessage. The same route function serves both hosts.
 */
export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string | undefined;
  sourceIp: string;
  /**
   * Claims of a JWT that API Gateway's authorizer has already verified (AWS only, staff routes). Set by `toLambda`
   * from `requestContext.authorizer.jwt.claims` and nowhere else: never from a header, never by the local server.
   */
  authorizerClaims?: Record<string, unknown>;
}

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export type Route = (req: HttpRequest) => Promise<HttpResponse>;

/** Request bodies above this size are refused before parsing (HTTP API itself caps at 10 MB). */
export const MAX_BODY_BYTES = 64 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, payload: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(payload),
  };
}

export interface FieldError {
  path: string;
  message: string;
}

/** A refusal with a reason: the only error shape clients see (French message, field errors for programs). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function errorResponse(err: HttpError): HttpResponse {
  return json(err.statusCode, { error: err.code, message: err.message, ...err.details });
}

/** Parse a JSON body with a zod schema: 413 when too big, 400 for bad JSON or for the schema's field errors. */
export function parseJsonBody<T>(req: HttpRequest, schema: z.ZodType<T>): T {
  const raw = req.body ?? '';
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      'payload_too_large',
      `La requête est trop volumineuse (maximum ${MAX_BODY_BYTES / 1024} Ko).`,
    );
  }
  const contentType = req.headers['content-type'] ?? '';
  if (raw.length > 0 && contentType && !contentType.includes('json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Le corps de la requête doit être du JSON (application/json).');
  }
  let data: unknown;
  try {
    data = raw.length === 0 ? undefined : JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'invalid_json', "Le corps de la requête n'est pas un JSON valide.");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new HttpError(400, 'validation_error', 'Certaines informations sont invalides.', {
      fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

export function bearerToken(req: HttpRequest): string | null {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{10,200})$/.exec(header.trim());
  return match?.[1] ?? null;
}

/**
 * Wrap a route so that a thrown HttpError becomes its response and anything else becomes a generic 500:
 * the detail goes to the log, never to the client.
 */
export function guarded(route: Route): Route {
  return async (req) => {
    try {
      return await route(req);
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err);
      const mapped = mapDomainError(err);
      if (mapped) return errorResponse(mapped);
      logger.error({ err, path: req.path, method: req.method }, 'unhandled error in route');
      return json(500, {
        error: 'internal_error',
        message: 'Une erreur interne est survenue. Merci de réessayer plus tard.',
      });
    }
  };
}

/**
 * Domain and store errors are mapped to HTTP in exactly this one place. Store errors carry English developer
 * messages: clients get the French message of this table instead, plus the few details that are theirs to know.
 */
const DOMAIN_ERROR_STATUS: Record<string, [number, string, string | null]> = {
  ValidationError: [400, 'validation_error', 'Certaines informations sont invalides.'],
  InvalidTaskInputError: [400, 'validation_error', 'Requête invalide.'],
  NotAProducerError: [422, 'not_a_producer', null],
  NotFoundError: [404, 'not_found', 'Ressource introuvable.'],
  UnauthorizedError: [401, 'unauthorized', null],
  ForbiddenError: [403, 'forbidden', null],
  ConflictError: [409, 'conflict', 'La demande a été modifiée entre-temps : rechargez-la puis réessayez.'],
  SiretAlreadyClaimedError: [
    409,
    'siret_already_used',
    'Ce SIRET est déjà utilisé par une demande de qualification. Un SIRET ne peut servir qu’une fois : contactez le support si vous pensez qu’il s’agit d’une erreur.',
  ],
  TaskAlreadyDecidedError: [409, 'task_already_decided', 'Cette étape a déjà été décidée.'],
  StepNotOpenError: [409, 'step_not_open', null],
  IllegalTransitionError: [409, 'illegal_transition', "Ce changement d'étape n'est pas possible."],
  TooManyRequestsError: [429, 'too_many_requests', null],
  TransientStoreError: [503, 'unavailable', 'Service momentanément indisponible, merci de réessayer.'],
  PayloadTooLargeError: [413, 'payload_too_large', null],
};

/** Details a client may see, per error name: never ids of other applications, tokens or stack traces. */
const PUBLIC_FIELDS: Record<string, string[]> = {
  TaskAlreadyDecidedError: ['by', 'at', 'decision', 'status'],
};

function mapDomainError(err: unknown): HttpError | null {
  if (!(err instanceof Error)) return null;
  const entry = DOMAIN_ERROR_STATUS[err.name];
  if (!entry) return null;
  const [status, code, fixedMessage] = entry;
  const details: Record<string, unknown> = {};
  const publicDetails = (err as { publicDetails?: () => Record<string, unknown> }).publicDetails;
  if (typeof publicDetails === 'function') Object.assign(details, publicDetails.call(err));
  for (const field of PUBLIC_FIELDS[err.name] ?? []) {
    const value = (err as unknown as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) details[field] = value;
  }
  const issues = (err as { issues?: FieldError[] }).issues;
  if (Array.isArray(issues)) details.fields = issues;
  // Use-case errors are written for people (French, precise: which row, which version); store errors carry English
  // developer messages, replaced by the table's French text.
  let message = err instanceof UseCaseError ? err.message : (fixedMessage ?? err.message);
  if (err.name === 'TaskAlreadyDecidedError' && typeof details.by === 'string' && typeof details.at === 'string') {
    message = `Cette étape a déjà été décidée par ${details.by} le ${details.at}.`;
  }
  return new HttpError(status, code, message, details);
}

/** The claims API Gateway's JWT authorizer verified, if the route has one (payload format 2.0). */
function authorizerClaims(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer;
  const claims = authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' && !Array.isArray(claims) ? { ...(claims as object) } : undefined;
}

/** Lambda adapter for the HTTP API (payload format 2.0). */
export function toLambda(route: Route) {
  const safe = guarded(route);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    const body =
      event.body === undefined
        ? undefined
        : event.isBase64Encoded
          ? Buffer.from(event.body, 'base64').toString('utf8')
          : event.body;
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.pathParameters ?? {})) if (v !== undefined) params[k] = v;
    const claims = authorizerClaims(event);
    const res = await safe({
      method: event.requestContext.http.method,
      path: event.rawPath,
      params,
      query,
      headers,
      body,
      sourceIp: event.requestContext.http.sourceIp,
      ...(claims ? { authorizerClaims: claims } : {}),
    });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  };
}

/** A route built from its dependencies; the Lambda builds it once per container from the environment. */
export type RouteFactory = (deps: import('../../shared/runtime/deps.js').Deps) => Route;

export function lambdaFor(factory: RouteFactory, getDeps: () => import('../../shared/runtime/deps.js').Deps) {
  let route: Route | null = null;
  return toLambda((req) => {
    route ??= factory(getDeps());
    return route(req);
  });
}

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, type PublicError } from '../domain/errors.js';
import { lambdaInvocation } from '../runtime/invocation.js';
import { logger } from '../runtime/logger.js';
import { StoreError } from '../store/errors.js';
import { UseCaseError } from '../usecases/errors.js';
import type { Deps } from '../usecases/ports.js';

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
  /** The body's bytes as received, when the host has them (file uploads whose encoding must be detected). */
  bodyBytes?: Uint8Array;
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

/**
 * A refusal with a reason, thrown by the HTTP layer itself (body too large, bad JSON, method): the error shape
 * clients see, also built by `toHttpResponse` for the domain, store and use-case errors.
 */
export class HttpError extends Error implements PublicError {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get httpStatus(): number {
    return this.statusCode;
  }
  get publicCode(): string {
    return this.code;
  }
  publicMessage(): string {
    return this.message;
  }
  publicDetails(): Record<string, unknown> {
    return this.details;
  }
}

/**
 * A path segment with its percent-escapes decoded, or null when they are malformed (`%`, `%ZZ`, or bytes that are not
 * UTF-8 such as `%C3%28`): `decodeURIComponent` throws a URIError on those, which must never become a 500.
 */
export function decodePathSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The client's mistake, not ours: a route parameter whose percent-escapes are malformed. */
export function malformedPathError(): HttpError {
  return new HttpError(
    400,
    'malformed_path',
    'Adresse invalide : un caractère encodé avec « % » y est incorrect. Vérifiez le lien.',
  );
}

export function errorResponse(err: HttpError): HttpResponse {
  return json(err.statusCode, { error: err.code, message: err.message, ...err.details });
}

const INTERNAL_ERROR = {
  error: 'internal_error',
  message: 'Une erreur interne est survenue. Merci de réessayer plus tard.',
} as const;

/**
 * Every error becomes its HTTP answer here and nowhere else (routes, the chat's transport, the login route): the
 * error base classes say their status, code, French message and public details; `instanceof`, never the name, picks
 * them. Anything else, and anything declaring 500, is a fault: the detail goes to the log (with `context`), the client
 * gets a generic French message.
 */
export function toHttpResponse(err: unknown, context: Record<string, unknown> = {}): HttpResponse {
  const known: PublicError | null =
    err instanceof HttpError || err instanceof UseCaseError || err instanceof DomainError || err instanceof StoreError
      ? err
      : null;
  if (!known || known.httpStatus === 500) {
    logger.error({ err, ...context }, 'unhandled error in route');
    return json(500, INTERNAL_ERROR);
  }
  return json(
    known.httpStatus,
    { error: known.publicCode, message: known.publicMessage(), ...known.publicDetails() },
    retryAfterHeader(known.retryAfterSeconds ?? (known.httpStatus === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined)),
  );
}

/** A 429 whose error does not say how long to wait still says something (RFC 9110 §10.2.3: delay in seconds). */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** `Retry-After` for a wait in seconds (a whole number, at least 1); none without a wait. */
export function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  if (seconds === undefined || !Number.isFinite(seconds)) return {};
  return { 'retry-after': String(Math.max(1, Math.ceil(seconds))) };
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

/** Wrap a route so that whatever it throws becomes its HTTP answer (`toHttpResponse`). */
export function guarded(route: Route): Route {
  return async (req) => {
    try {
      return await route(req);
    } catch (err) {
      return toHttpResponse(err, { path: req.path, method: req.method });
    }
  };
}

/** The claims API Gateway's JWT authorizer verified, if the route has one (payload format 2.0). */
function authorizerClaims(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer;
  const claims = authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' && !Array.isArray(claims) ? { ...(claims as object) } : undefined;
}

/**
 * Lambda adapter for the HTTP API (payload format 2.0). Each invocation's log lines carry the Lambda context and API
 * Gateway's request id as correlation id (the same id as in the API's access log); its metrics are written at its end.
 */
export function toLambda(route: Route) {
  const safe = guarded(route);
  return (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> =>
    lambdaInvocation(context, event.requestContext?.requestId, () => handleEvent(safe, event));
}

async function handleEvent(safe: Route, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  // Payload 2.0 moves the request's cookies out of the headers; routes read them as the local server gives them.
  if (event.cookies?.length && headers.cookie === undefined) headers.cookie = event.cookies.join('; ');
  const bytes = event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, 'base64') : undefined;
  const body = event.body === undefined ? undefined : bytes ? bytes.toString('utf8') : event.body;
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
    ...(bytes ? { bodyBytes: bytes } : {}),
    sourceIp: event.requestContext.http.sourceIp,
    ...(claims ? { authorizerClaims: claims } : {}),
  });
  // …and takes a response's cookies in `cookies`, each becoming one Set-Cookie header.
  const { 'set-cookie': setCookie, ...rest } = res.headers ?? {};
  return {
    statusCode: res.statusCode,
    headers: rest,
    body: res.body,
    ...(setCookie ? { cookies: [setCookie] } : {}),
  };
}

/** A route built from its dependencies; the Lambda builds it once per container from the environment. */
export type RouteFactory = (deps: Deps) => Route;

export function lambdaFor(factory: RouteFactory, getDeps: () => Deps) {
  let route: Route | null = null;
  return toLambda((req) => {
    route ??= factory(getDeps());
    return route(req);
  });
}

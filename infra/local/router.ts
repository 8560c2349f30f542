import {
  decodePathSegment,
  errorResponse,
  guarded,
  HttpError,
  type HttpRequest,
  type HttpResponse,
  malformedPathError,
  type Route,
  type RouteFactory,
} from '../../shared/http/http.js';
import type { Deps } from '../../shared/usecases/ports.js';

/** One HTTP route: the same factory the Lambda of that route uses. */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string; // `/api/applications/:id`
  factory: RouteFactory;
}

interface Compiled {
  method: string;
  regex: RegExp;
  names: string[];
  route: Route;
}

function compile(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

/**
 * Method + path matching for the local server, mirroring the HTTP API's routes. A known path with another method
 * answers 405 with `Allow`, as API Gateway would refuse it.
 */
export function createRouter(deps: Deps, specs: RouteSpec[]) {
  const compiled: Compiled[] = specs.map((s) => ({
    method: s.method,
    ...compile(s.path),
    route: guarded(s.factory(deps)),
  }));
  return async function dispatch(req: HttpRequest): Promise<HttpResponse | null> {
    const allowed: string[] = [];
    for (const c of compiled) {
      const m = c.regex.exec(req.path);
      if (!m) continue;
      if (c.method !== req.method && !(c.method === 'GET' && req.method === 'HEAD')) {
        allowed.push(c.method);
        continue;
      }
      const params: Record<string, string> = {};
      let malformed = false;
      c.names.forEach((name, i) => {
        const value = decodePathSegment(m[i + 1] ?? '');
        if (value === null) malformed = true;
        else params[name] = value;
      });
      // A malformed escape is the client's mistake: a French 400 before the route runs (never a 500 nor a log line).
      if (malformed) return errorResponse(malformedPathError());
      return c.route({ ...req, params });
    }
    if (allowed.length > 0) {
      const res = errorResponse(new HttpError(405, 'method_not_allowed', 'Méthode non autorisée pour cette adresse.'));
      return { ...res, headers: { ...res.headers, allow: [...new Set(allowed)].join(', ') } };
    }
    return null;
  };
}

import { type Route, type RouteFactory, toLambda } from '../../shared/http/http.js';
import { openApiDocument } from '../openapi.js';

/**
 * GET /api/openapi.json: the OpenAPI 3.1 description of every route (functions/openapi.ts), built from the routes
 * table and the handlers' zod schemas at the first request, then served from memory. Public and cacheable: it changes
 * with a deployment, not with data; any origin may read it (API explorers, partners' generators).
 */
let body: string | null = null;

const route: Route = async () => {
  body ??= JSON.stringify(openApiDocument());
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
};

export const createRoute: RouteFactory = () => route;
// No store, no clients: the Lambda needs no dependencies (and its bundle carries no AWS SDK).
export const handler = toLambda(route);

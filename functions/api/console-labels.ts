import { CONSOLE_LABELS } from '../../shared/domain/labels.js';
import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';

/**
 * GET /api/labels: the French labels of every code the console shows (shared/domain/labels.ts), so the pages
 * keep no copy. Public (no session, no table): the catalogue holds no data, and the sign-in page loads it too.
 */
export const createRoute: RouteFactory = () => async () =>
  json(200, CONSOLE_LABELS, { 'cache-control': 'public, max-age=300' });
export const handler = lambdaFor(createRoute, getDeps);

import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';

/** GET /healthz: the process answers. Deliberately no store call, so a load balancer probe costs nothing. */
export const createRoute: RouteFactory = () => async () => json(200, { status: 'ok' });
export const handler = lambdaFor(createRoute, getDeps);

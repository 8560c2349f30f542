import { lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import * as staticPages from '../web/static.js';

/**
 * GET /carte: the public map page (Leaflet from this origin, OpenStreetMap tiles loaded by the visitor's browser,
 * a list view that works without tiles). The page reads /api/lieux; its scripts are under /carte/… and /assets/….
 */
export const createRoute: RouteFactory = (deps) => staticPages.createRoute(deps);
export const handler = lambdaFor(createRoute, getDeps);

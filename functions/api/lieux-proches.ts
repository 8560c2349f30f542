import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { nearestPlaces } from '../../shared/usecases/nearest-places.js';
import { PUBLIC_CACHE } from './lieux.js';
import { LieuxProchesQuerySchema } from './queries.js';

/**
 * GET /api/lieux/proches?q=: the map's list (docs/places-geo.md). Without `q`, every published place with its hours in
 * plain French and an itinerary link; with a commune or a postal code, the nearest first with `distance_km`. Several
 * communes of that name → `choix` (the person picks one); unknown → 404 with a French message.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const q = LieuxProchesQuerySchema.safeParse(req.query);
  if (!q.success) throw new HttpError(400, 'validation_error', 'Recherche invalide : une commune ou un code postal.');
  const r = await nearestPlaces(deps, q.data.q);
  const headers = { 'cache-control': PUBLIC_CACHE, 'access-control-allow-origin': '*' };
  switch (r.kind) {
    case 'all':
      return json(200, { origine: null, lieux: r.lieux }, headers);
    case 'near':
      return json(200, { origine: r.origine, lieux: r.lieux, sansPosition: r.sansPosition }, headers);
    case 'ambiguous':
      return json(200, { origine: null, choix: r.choix, lieux: [] }, headers);
    default:
      throw new HttpError(
        404,
        'commune_unknown',
        `Commune ou code postal introuvable : « ${q.data.q ?? ''} ». Essayez par exemple « 87000 » ou « Limoges ».`,
      );
  }
};
export const handler = lambdaFor(createRoute, getDeps);

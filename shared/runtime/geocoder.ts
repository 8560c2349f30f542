import * as z from 'zod';
import type { GeocodeHit, GeocodeQuery, Geocoder, Logger } from '../usecases/ports.js';

/**
 * The national address API (api-adresse.data.gouv.fr, « /search/ »), used on AWS to place a published place on the
 * map. One GET per place, at publication only (the use case reuses earlier coordinates of an unchanged address), with
 * a timeout: the answer is null on a timeout, an HTTP error or an unreadable body, and the use case then takes the
 * commune's centre. The address of a place is public organisation data; it is still kept out of the log lines.
 */
const FeatureSchema = z.object({
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
  properties: z.object({
    score: z.number(),
    /** housenumber, street, locality or municipality. */
    type: z.string(),
    citycode: z.string().optional(),
  }),
});
const AnswerSchema = z.object({ features: z.array(z.unknown()) });

export function httpGeocoder(baseUrl: string, logger: Logger, fetchImpl: typeof fetch = fetch): Geocoder {
  return {
    async geocode(query: GeocodeQuery, { timeoutMs }: { timeoutMs: number }): Promise<GeocodeHit | null> {
      const url = new URL(baseUrl);
      url.searchParams.set('q', `${query.adresse} ${query.codePostal} ${query.commune}`.slice(0, 200));
      url.searchParams.set('limit', '1');
      if (query.codeInsee) url.searchParams.set('citycode', query.codeInsee);
      else url.searchParams.set('postcode', query.codePostal);
      const started = Date.now();
      try {
        const res = await fetchImpl(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json' },
        });
        if (!res.ok) {
          logger.warn({ status: res.status }, 'geocoder answered an error');
          return null;
        }
        const body = AnswerSchema.safeParse(await res.json());
        const first = body.success ? FeatureSchema.safeParse(body.data.features[0]) : null;
        if (!first?.success) return null;
        const [longitude, latitude] = first.data.geometry.coordinates;
        if (query.codeInsee && first.data.properties.citycode && first.data.properties.citycode !== query.codeInsee)
          return null;
        const t = first.data.properties.type;
        return {
          latitude,
          longitude,
          score: first.data.properties.score,
          precision: t === 'housenumber' || t === 'street' ? 'address' : 'commune',
        };
      } catch (err) {
        // AbortSignal.timeout rejects with a TimeoutError; a refused connection with a TypeError.
        logger.warn(
          { err: (err as Error).name, ms: Date.now() - started },
          (err as Error).name === 'TimeoutError' ? 'geocoder timed out' : 'geocoder unreachable',
        );
        return null;
      }
    },
  };
}

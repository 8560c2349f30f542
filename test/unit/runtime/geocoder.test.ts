import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGeocoder } from '../../../shared/runtime/geocoder.js';
import { createLogger } from '../../../shared/runtime/logger.js';

/**
 * The HTTP geocoder against a local server that imitates api-adresse.data.gouv.fr's `/search/` (GeoJSON
 * FeatureCollection, lon/lat order, `score`, `type`, `citycode`): no network in tests.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;
let server: Server;
let base = '';
let handler: Handler = () => {};
const seen: URL[] = [];

const feature = (type: string, score: number, citycode = '87085', lon = 1.2601, lat = 45.8331) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties: { label: '1 Place Léon Betoulle 87000 Limoges', score, type, citycode, postcode: '87000' },
});
const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(url);
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/search/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const logger = createLogger({ level: 'silent' });
const query = { adresse: '1 place Léon Betoulle', codePostal: '87000', commune: 'Limoges', codeInsee: '87085' };

describe('httpGeocoder (api-adresse /search/)', () => {
  it('asks for one result in the commune and reads lat/lon from the GeoJSON point', async () => {
    handler = (_req, res) => send(res, 200, { type: 'FeatureCollection', features: [feature('housenumber', 0.93)] });
    const hit = await httpGeocoder(base, logger).geocode(query, { timeoutMs: 2000 });
    expect(hit).toEqual({ latitude: 45.8331, longitude: 1.2601, score: 0.93, precision: 'address' });
    const url = seen.at(-1)!;
    expect(url.pathname).toBe('/search/');
    expect(url.searchParams.get('q')).toBe('1 place Léon Betoulle 87000 Limoges');
    expect(url.searchParams.get('limit')).toBe('1');
    expect(url.searchParams.get('citycode')).toBe('87085');
  });

  it('says `commune` when only the town was found, and filters by postal code without an INSEE code', async () => {
    handler = (_req, res) => send(res, 200, { features: [feature('municipality', 0.6)] });
    const { codeInsee: _c, ...noInsee } = query;
    const hit = await httpGeocoder(base, logger).geocode(noInsee, { timeoutMs: 2000 });
    expect(hit?.precision).toBe('commune');
    expect(seen.at(-1)!.searchParams.get('postcode')).toBe('87000');
  });

  it('answers null (never throws) on an HTTP error, an empty or unreadable answer, another commune', async () => {
    const g = httpGeocoder(base, logger);
    handler = (_req, res) => send(res, 503, { message: 'busy' });
    expect(await g.geocode(query, { timeoutMs: 2000 })).toBeNull();
    handler = (_req, res) => send(res, 200, { features: [] });
    expect(await g.geocode(query, { timeoutMs: 2000 })).toBeNull();
    handler = (_req, res) => send(res, 200, '<html>not json');
    expect(await g.geocode(query, { timeoutMs: 2000 })).toBeNull();
    handler = (_req, res) => send(res, 200, { features: [{ geometry: { type: 'Point', coordinates: ['a', 1] } }] });
    expect(await g.geocode(query, { timeoutMs: 2000 })).toBeNull();
    handler = (_req, res) => send(res, 200, { features: [feature('housenumber', 0.9, '23096')] });
    expect(await g.geocode(query, { timeoutMs: 2000 })).toBeNull();
  });

  it('gives up after the timeout', async () => {
    handler = (_req, res) => {
      setTimeout(() => send(res, 200, { features: [feature('housenumber', 0.9)] }), 1500).unref();
    };
    const started = Date.now();
    expect(await httpGeocoder(base, logger).geocode(query, { timeoutMs: 150 })).toBeNull();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1400);
  });

  it('answers null when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(
      await httpGeocoder(`http://127.0.0.1:${port}/search/`, logger).geocode(query, { timeoutMs: 500 }),
    ).toBeNull();
  });
});

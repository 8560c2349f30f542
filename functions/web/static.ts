import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpRequest, HttpResponse, RouteFactory } from '../../shared/http/http.js';

/**
 * The console pages, the public map and the vendored Leaflet, served by one route from the files beside this module.
 * Only files found at start-up under the served folders are reachable (no path is ever joined from the request),
 * with a strict CSP: scripts and styles from this origin only, map tiles from OpenStreetMap loaded by the browser.
 * Pages hold no data: they fetch the JSON API with the staff token kept in sessionStorage and render with
 * textContent, so there is no cookie (hence no CSRF) and no HTML built from actor-supplied text.
 */
export const WEB_ROOT = fileURLToPath(new URL('.', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: https://tile.openstreetmap.org https://*.tile.openstreetmap.org",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** URL prefix → folder under WEB_ROOT. */
const MOUNTS: [string, string][] = [
  ['/console', 'console'],
  ['/carte', 'carte'],
  ['/espace', 'espace'],
  ['/assets', 'assets'],
];

/** Text files only: the local server writes string bodies, so the map draws vector markers and needs no PNG. */
interface StaticFile {
  type: string;
  body: string;
  immutable: boolean;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function loadFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const [prefix, folder] of MOUNTS) {
    for (const full of listFiles(join(root, folder))) {
      const ext = extname(full);
      const type = TYPES[ext];
      if (!type) continue; // .ts sources, notes… are never served
      const rel = relative(join(root, folder), full).split(sep).join('/');
      const file: StaticFile = { type, body: readFileSync(full, 'utf8'), immutable: folder === 'assets' };
      files.set(`${prefix}/${rel}`, file);
      if (rel === 'index.html') {
        files.set(prefix, file);
        files.set(`${prefix}/`, file);
      }
    }
  }
  return files;
}

const loaded = new Map<string, Map<string, StaticFile>>();

export function createStaticHandler(root = WEB_ROOT) {
  // Read once per process (several routes share the handler), never per request.
  const files = loaded.get(root) ?? loadFiles(root);
  loaded.set(root, files);
  return async (req: HttpRequest): Promise<HttpResponse | null> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const file = files.get(req.path);
    if (!file) return null;
    return {
      statusCode: 200,
      headers: {
        'content-type': file.type,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'x-frame-options': 'DENY',
        'cache-control': file.immutable ? 'public, max-age=86400' : 'no-cache',
      },
      body: file.body,
    };
  };
}

/** As a route (Lambda / router): unknown files are a plain 404. */
export const createRoute: RouteFactory = () => {
  const serve = createStaticHandler();
  return async (req) =>
    (await serve(req)) ?? {
      statusCode: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
      body: 'Page introuvable.',
    };
};

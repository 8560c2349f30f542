import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createStaticHandler, WEB_ROOT } from '../../../functions/web/static.js';
import { LEAFLET_DIST, VENDOR_DIR, VENDORED_FILES } from '../../../functions/web/vendor-leaflet.js';

const req = (path: string, method = 'GET') => ({
  method,
  path,
  params: {},
  query: {},
  headers: {},
  body: undefined,
  sourceIp: '127.0.0.1',
});

describe('static pages', () => {
  const serve = createStaticHandler();

  it('serves pages with the CSP (self only, OSM tiles as images)', async () => {
    for (const path of ['/console', '/console/application.html', '/console/admin.html', '/carte', '/carte/carte.js']) {
      const res = await serve(req(path));
      expect(res?.statusCode, path).toBe(200);
      expect(res?.headers?.['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(
      /^default-src 'self'; img-src 'self' data: .*https:\/\/\*\.tile\.openstreetmap\.org/,
    );
  });

  it('serves only files it listed at start-up: no traversal, no sources', async () => {
    for (const path of [
      '/console/../static.ts',
      '/console/%2e%2e/static.ts',
      '/static.ts',
      '/carte/../../package.json',
      '/assets/vendor/leaflet/../../../static.ts',
    ]) {
      expect(await serve(req(path)), path).toBeNull();
    }
    expect(await serve(req('/console', 'POST'))).toBeNull();
  });

  it('pages never use innerHTML, document.write or inline scripts', () => {
    for (const file of [
      'console/common.js',
      'console/inbox.js',
      'console/application.js',
      'console/admin.js',
      'console/campaigns.js',
      'console/coverage.js',
      'carte/carte.js',
      'carte/minimap.js',
    ]) {
      const text = readFileSync(join(WEB_ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    }
    for (const file of ['console/index.html', 'console/application.html', 'carte/index.html']) {
      const text = readFileSync(join(WEB_ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(text, file).not.toMatch(/\son[a-z]+=/);
    }
  });

  it('the vendored Leaflet is the installed one (run functions/web/vendor-leaflet.ts after an upgrade)', () => {
    for (const f of VENDORED_FILES) {
      expect(readFileSync(join(VENDOR_DIR, f)).equals(readFileSync(join(LEAFLET_DIST, f))), f).toBe(true);
    }
  });
});

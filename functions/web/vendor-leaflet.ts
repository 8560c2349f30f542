import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Copies Leaflet's browser files from node_modules into functions/web/assets/vendor/leaflet/, where the static route
 * serves them from this origin (the CSP allows no CDN). The copy is committed so the Lambda bundle and the local
 * server need nothing at run time; test/unit/console/vendor.test.ts fails when it drifts from the installed Leaflet.
 * Run: `node --import tsx functions/web/vendor-leaflet.ts`.
 */
export const VENDORED_FILES = ['leaflet.js', 'leaflet.css'] as const;

export const LEAFLET_DIST = dirname(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.js'));
export const VENDOR_DIR = fileURLToPath(new URL('./assets/vendor/leaflet/', import.meta.url));

export function leafletVersion(): string {
  const pkg = JSON.parse(readFileSync(join(LEAFLET_DIST, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function vendorLeaflet(): string[] {
  mkdirSync(VENDOR_DIR, { recursive: true });
  for (const f of VENDORED_FILES) copyFileSync(join(LEAFLET_DIST, f), join(VENDOR_DIR, f));
  return VENDORED_FILES.map((f) => join(VENDOR_DIR, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = vendorLeaflet();
  console.log(`Leaflet ${leafletVersion()} copié :\n  ${files.join('\n  ')}`);
}

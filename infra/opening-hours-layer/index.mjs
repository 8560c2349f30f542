// The `opening_hours` the Lambda bundles see (esbuild alias in infra/defaults.ts): the France-only build in the
// opening-hours layer, external to the bundles. This folder's package.json says `sideEffects: false`, so a bundle that
// never calls the library drops this import, as it dropped the npm package (see infra/bundling.ts).
export { default } from '/opt/opening-hours/opening_hours.fr.mjs';

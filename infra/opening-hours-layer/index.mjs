// The `opening_hours` the Lambda bundles see (esbuild alias in infra/defaults.ts): the France-only build in the
// opening-hours layer (/opt/opening-hours/opening_hours.fr.cjs, outside the bundles), loaded at its first use rather
// than at init. The library is 363 KB that Node would otherwise compile and run at every cold start of the functions
// that can check hours (the chat, the eligibility routes), most of whose requests never do (the chat asks the hours
// once per questionnaire). Its one caller, shared/domain/opening-hours.ts, is synchronous, so the layer is a CommonJS
// module read with `require` (an ES module can only be loaded asynchronously), and the default export is a
// constructor that loads it and builds the library's object: `new OpeningHours(value, nominatim, mode)` is all that
// module calls. This folder's package.json says `sideEffects: false`, so a bundle that never calls the library drops
// this file altogether (see infra/bundling.ts).
import { createRequire } from 'node:module';

const LAYER_MODULE = '/opt/opening-hours/opening_hours.fr.cjs';

let library;

export default function OpeningHours(...args) {
  library ??= createRequire(import.meta.url)(LAYER_MODULE).default;
  return new library(...args);
}

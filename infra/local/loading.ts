import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

/**
 * What `npm start` loads by a path known only at run time: the route modules (functions/routes.ts names them by file),
 * the CDK stack's extraction (on an ASL cache miss), the dynalite child's entry. Here, from the TypeScript sources
 * (tsx, vitest). The bundle of `npm start` (infra/local/server-bundle.ts) replaces this module with one that imports
 * the same routes statically and points at its own bundled entries and folder, so nothing of this file runs there.
 */

/** The module of a routes.ts entry (`functions/api/health.ts`). */
export function importRouteModule(entry: string): Promise<unknown> {
  return import(pathToFileURL(resolve(PROJECT_ROOT, entry)).href);
}

/** infra/asl.ts (aws-cdk-lib and the stack): loaded only when the state machine is not in the cache. */
export function importAslExtraction(): Promise<typeof import('../asl.js')> {
  return import('../asl.js');
}

/** `node <these> ` runs dynalite's child process (infra/local/dynamo-process.ts). */
export function dynamoChildArgs(): string[] {
  return ['--import', 'tsx', fileURLToPath(new URL('./dynamo-process.ts', import.meta.url))];
}

/**
 * The folder of the running bundle of `npm start`, null from the sources. Things made by the bundle's own code and kept
 * beside it are valid exactly as long as it is (the FAQ's analysed phrasings: bot/faq/analysis-store.ts).
 */
export function bundleDir(): string | null {
  return null;
}

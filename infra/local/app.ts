import { LOCAL_MOUNTED_ENTRIES, ROUTES } from '../../functions/routes.js';
import type { RouteFactory } from '../../shared/http/http.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { importRouteModule } from './loading.js';
import { createRouter, type RouteSpec } from './router.js';
import { type Dispatcher, type LocalServer, startLocalServer, type UpgradeHandler } from './server.js';

/**
 * The routes of functions/routes.ts, each served by the `createRoute` of the module its Lambda bundles on AWS.
 * Modules are loaded once, at start-up.
 */
export async function loadRouteSpecs(): Promise<RouteSpec[]> {
  const modules = new Map<string, RouteFactory>();
  const specs: RouteSpec[] = [];
  for (const def of ROUTES) {
    if (LOCAL_MOUNTED_ENTRIES.has(def.entry)) continue;
    let factory = modules.get(def.entry);
    if (!factory) {
      const mod = (await importRouteModule(def.entry)) as { createRoute?: RouteFactory };
      if (typeof mod.createRoute !== 'function') throw new Error(`${def.entry} does not export createRoute`);
      factory = mod.createRoute;
      modules.set(def.entry, factory);
    }
    specs.push({ method: def.method, path: def.path, factory });
  }
  return specs;
}

export interface AppServerOptions {
  host: string;
  port: number;
  /** Extra mounts (the chat service), tried after the API routes. */
  dispatchers?: Dispatcher[];
  upgrades?: UpgradeHandler[];
}

export async function startAppServer(deps: Deps, options: AppServerOptions): Promise<LocalServer> {
  const api = createRouter(deps, await loadRouteSpecs());
  return startLocalServer({
    host: options.host,
    port: options.port,
    dispatchers: [api, ...(options.dispatchers ?? [])],
    upgrades: options.upgrades,
    logger: deps.logger,
    bodyLimitFor: routeBodyLimits(),
  });
}

/** The routes that take a larger body than the default (routes.ts `maxBodyBytes`), matched like the router does. */
function routeBodyLimits(): (method: string, path: string) => number | undefined {
  const limits = ROUTES.filter((r) => r.maxBodyBytes).map((r) => ({
    method: r.method,
    regex: new RegExp(`^${r.path.replace(/:[^/]+/g, '[^/]+')}$`),
    max: r.maxBodyBytes!,
  }));
  return (method, path) => limits.find((l) => l.method === method && l.regex.test(path))?.max;
}

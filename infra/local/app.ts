import * as commitments from '../../functions/api/commitments.js';
import * as createApplication from '../../functions/api/create-application.js';
import * as decideTask from '../../functions/api/decide-task.js';
import * as eligibility from '../../functions/api/eligibility.js';
import * as getApplication from '../../functions/api/get-application.js';
import * as health from '../../functions/api/health.js';
import * as listTasks from '../../functions/api/list-tasks.js';
import * as resubmitApplication from '../../functions/api/resubmit-application.js';
import type { Deps } from '../../shared/runtime/deps.js';
import { CONSOLE_ROUTES, PAGE_ROUTES } from './console-routes.js';
import { createRouter, type RouteSpec } from './router.js';
import { type Dispatcher, type LocalServer, startLocalServer, type UpgradeHandler } from './server.js';

/**
 * The HTTP API's routes, as the CDK stack declares them: each path serves the `createRoute` of the module its
 * Lambda bundles. Keep in step with infra/stack.ts (a test compares the two lists).
 */
export const API_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/healthz', factory: health.createRoute },
  { method: 'POST', path: '/api/eligibility', factory: eligibility.createRoute },
  { method: 'POST', path: '/api/applications', factory: createApplication.createRoute },
  { method: 'GET', path: '/api/applications/:id', factory: getApplication.createRoute },
  { method: 'PUT', path: '/api/applications/:id', factory: resubmitApplication.createRoute },
  { method: 'POST', path: '/api/applications/:id/commitments', factory: commitments.createRoute },
  { method: 'GET', path: '/api/console/tasks', factory: listTasks.createRoute },
  { method: 'POST', path: '/api/console/tasks/:taskId/decision', factory: decideTask.createRoute },
  // Console (throttled POST /api/console/login, pages API), public open data and map, static pages.
  ...CONSOLE_ROUTES,
  ...PAGE_ROUTES,
];

export interface AppServerOptions {
  host: string;
  port: number;
  /** Extra mounts: the chat service, the console pages… tried after the API routes. */
  dispatchers?: Dispatcher[];
  upgrades?: UpgradeHandler[];
}

export function startAppServer(deps: Deps, options: AppServerOptions): Promise<LocalServer> {
  const api = createRouter(deps, API_ROUTES);
  return startLocalServer({
    host: options.host,
    port: options.port,
    dispatchers: [api, ...(options.dispatchers ?? [])],
    upgrades: options.upgrades,
    logger: deps.logger,
  });
}

import * as carte from '../../functions/api/carte.js';
import * as consoleApplication from '../../functions/api/console-application.js';
import * as consoleAssign from '../../functions/api/console-assign.js';
import * as consoleCampaignCreate from '../../functions/api/console-campaign-create.js';
import * as consoleCampaigns from '../../functions/api/console-campaigns.js';
import * as consoleChanges from '../../functions/api/console-changes.js';
import * as consoleComment from '../../functions/api/console-comment.js';
import * as consoleConfig from '../../functions/api/console-config.js';
import * as consoleConfigUpdate from '../../functions/api/console-config-update.js';
import * as consoleCoverage from '../../functions/api/console-coverage.js';
import * as consoleLogin from '../../functions/api/console-login.js';
import * as consoleLogout from '../../functions/api/console-logout.js';
import * as consoleMe from '../../functions/api/console-me.js';
import * as consoleNetwork from '../../functions/api/console-network.js';
import * as consoleNetworkImport from '../../functions/api/console-network-import.js';
import * as consoleNetworkSave from '../../functions/api/console-network-save.js';
import * as consoleNetworks from '../../functions/api/console-networks.js';
import * as consoleStaff from '../../functions/api/console-staff.js';
import * as consoleWaitlistRelease from '../../functions/api/console-waitlist-release.js';
import * as lieux from '../../functions/api/lieux.js';
import * as lieuxCsv from '../../functions/api/lieux-csv.js';
import * as staticPages from '../../functions/web/static.js';
import { createStaticHandler } from '../../functions/web/static.js';
import type { RouteSpec } from './router.js';
import type { Dispatcher } from './server.js';

/**
 * The console's and the public map's HTTP routes. Mount them in API_ROUTES (infra/local/app.ts) and declare the same
 * list in the CDK stack. `POST /api/console/login` here is the throttled login: it replaces login.ts's route.
 */
export const CONSOLE_ROUTES: RouteSpec[] = [
  { method: 'POST', path: '/api/console/login', factory: consoleLogin.createRoute },
  { method: 'POST', path: '/api/console/logout', factory: consoleLogout.createRoute },
  { method: 'GET', path: '/api/console/me', factory: consoleMe.createRoute },
  { method: 'GET', path: '/api/console/staff', factory: consoleStaff.createRoute },
  { method: 'POST', path: '/api/console/tasks/:taskId/assign', factory: consoleAssign.createRoute },
  { method: 'GET', path: '/api/console/applications/:id', factory: consoleApplication.createRoute },
  { method: 'POST', path: '/api/console/applications/:id/comments', factory: consoleComment.createRoute },
  { method: 'GET', path: '/api/console/config', factory: consoleConfig.createRoute },
  { method: 'PUT', path: '/api/console/config', factory: consoleConfigUpdate.createRoute },
  { method: 'GET', path: '/api/console/changes', factory: consoleChanges.createRoute },
  { method: 'POST', path: '/api/console/waitlist/release', factory: consoleWaitlistRelease.createRoute },
  { method: 'GET', path: '/api/console/networks', factory: consoleNetworks.createRoute },
  { method: 'POST', path: '/api/console/networks', factory: consoleNetworkSave.createRoute },
  { method: 'GET', path: '/api/console/networks/:id', factory: consoleNetwork.createRoute },
  { method: 'POST', path: '/api/console/networks/:id/members', factory: consoleNetworkImport.createRoute },
  { method: 'GET', path: '/api/console/campaigns', factory: consoleCampaigns.createRoute },
  { method: 'POST', path: '/api/console/campaigns', factory: consoleCampaignCreate.createRoute },
  { method: 'GET', path: '/api/console/coverage', factory: consoleCoverage.createRoute },
  { method: 'GET', path: '/api/lieux', factory: lieux.createRoute },
  { method: 'GET', path: '/api/lieux.csv', factory: lieuxCsv.createRoute },
  { method: 'GET', path: '/carte', factory: carte.createRoute },
];

/**
 * The page routes as the HTTP API would declare them (`/console/{proxy+}` …): one static Lambda serves them all.
 * Locally, `consolePages` below does the same job as a Dispatcher.
 */
export const PAGE_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/console', factory: staticPages.createRoute },
  { method: 'GET', path: '/console/:file', factory: staticPages.createRoute },
  { method: 'GET', path: '/carte/:file', factory: staticPages.createRoute },
  { method: 'GET', path: '/assets/vendor/leaflet/:file', factory: staticPages.createRoute },
];

/** Static pages and assets (console, map, vendored Leaflet) for the local server's `dispatchers`. */
export function consolePages(): Dispatcher {
  return createStaticHandler();
}

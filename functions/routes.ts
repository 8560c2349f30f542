/**
 * Every HTTP route of the product, in one list: the CDK stack builds one Lambda per entry file (several routes may
 * share one) and the local server mounts the same entry modules' `createRoute`. A route added here exists on both
 * hosts, with the permissions named here and nowhere else.
 *
 * Paths use the local syntax (`:id`); the stack turns them into API Gateway's (`{id}`).
 */
export type Method = 'GET' | 'POST' | 'PUT';

export interface RouteDef {
  method: Method;
  path: string;
  /** Handler module, relative to the repository root, exporting `createRoute` (local) and `handler` (Lambda). */
  entry: string;
  /** DynamoDB access of the entry's Lambda. */
  table?: 'R' | 'RW';
  /** Starts executions of the qualification state machine. */
  startsExecutions?: boolean;
  /** Sends SendTaskSuccess / SendTaskFailure: only the functions that carry a decision. */
  decides?: boolean;
  /** Sends StopExecution (erasure stops a running qualification). */
  stopsExecutions?: boolean;
  /** Sends e-mail to actors (SES on AWS). */
  sendsMail?: boolean;
  /** Encrypts or decrypts bank details: the only functions granted the bank details' KMS key (infra/stack.ts). */
  bankVault?: boolean;
  /** Staff-only: on AWS the Cognito JWT authorizer guards the route, and the handler checks the staff role (docs/console.md). */
  staff?: boolean;
  /** A larger request body than the default 64 KiB (a file upload); the local server enforces it per route. */
  maxBodyBytes?: number;
  /**
   * On AWS, the Lambda's timeout (s) and memory (MB) when the defaults (10 s, 256 MB) are too small for the work a
   * route does in one request (a file import); the function of several routes takes the largest.
   */
  lambda?: { timeoutSeconds?: number; memoryMb?: number };
}

/** The functions that build FAQ matchers: one vCPU (Lambda's CPU grows with memory: 1,769 MB is one) and 29 s. */
const CPU_BOUND_FAQ = { timeoutSeconds: 29, memoryMb: 1769 } as const;

/** Files an entry reads at run time, copied beside its bundle (esbuild bundles code, not data or pages). */
export const ENTRY_ASSETS: Record<string, { from: string; to: string }[]> = {
  'functions/web/static.ts': [
    { from: 'functions/web/console', to: 'console' },
    { from: 'functions/web/carte', to: 'carte' },
    { from: 'functions/web/espace', to: 'espace' },
    { from: 'functions/web/assets', to: 'assets' },
  ],
  'functions/api/chat.ts': [
    { from: 'bot/web', to: 'web' },
    { from: 'bot/faq/knowledge-base.json', to: 'knowledge-base.json' },
  ],
  // The file is the default knowledge base and the base of staff edits.
  'functions/api/console-kb.ts': [{ from: 'bot/faq/knowledge-base.json', to: 'knowledge-base.json' }],
};

/**
 * Steps run on an entry's bundle once it is built and its ENTRY_ASSETS copied: `run` is a function the bundle exports,
 * called with the folder `to` beside it. The chat trains its FAQ classifier there (functions/api/chat.ts
 * `writeFaqModel`): the model is then read at the first turn instead of trained (≈ 1.5 s of a cold start).
 */
export const ENTRY_BUILD_STEPS: Record<string, { run: string; to: string }[]> = {
  'functions/api/chat.ts': [{ run: 'writeFaqModel', to: 'faq-model' }],
};

/** The official geography files, shipped to Lambda as one layer mounted at `/opt/geo/` (see shared/domain/geography.ts). */
export const GEOGRAPHY_FILES = [
  ...['communes.json', 'departements.json', 'regions.json', 'epci.json'].map(
    (f) => `node_modules/@etalab/decoupage-administratif/data/${f}`,
  ),
  // Commune centres (shared/domain/commune-centres.ts): 0.66 MB, read from the layer rather than in each bundle.
  'shared/data/commune-centres.csv',
];

const api = (p: string) => `functions/api/${p}.ts`;

export const ROUTES: readonly RouteDef[] = [
  { method: 'GET', path: '/healthz', entry: api('health') },
  { method: 'GET', path: '/api/openapi.json', entry: api('openapi') },
  { method: 'POST', path: '/api/eligibility', entry: api('eligibility'), table: 'R' },
  {
    method: 'POST',
    path: '/api/applications',
    entry: api('create-application'),
    table: 'RW',
    startsExecutions: true,
    sendsMail: true,
  },
  // Decrypts the bank details' BIC and holder for the masked view.
  { method: 'GET', path: '/api/applications/:id', entry: api('get-application'), table: 'R', bankVault: true },
  { method: 'PUT', path: '/api/applications/:id', entry: api('resubmit-application'), table: 'RW', decides: true },
  { method: 'POST', path: '/api/applications/:id/commitments', entry: api('commitments'), table: 'RW', decides: true },
  // Bank details (docs/actor.md « Coordonnées bancaires »): encrypted with the KMS key, validated by an admin.
  {
    method: 'PUT',
    path: '/api/applications/:id/bank-details',
    entry: api('bank-details'),
    table: 'RW',
    bankVault: true,
  },
  {
    method: 'GET',
    path: '/api/console/applications/:id/bank-details',
    entry: api('console-bank-details'),
    table: 'RW',
    bankVault: true,
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/applications/:id/bank-details/validation',
    entry: api('console-bank-details'),
    table: 'RW',
    bankVault: true,
    staff: true,
  },
  // Lifecycle hygiene (docs/modules.md « Erasure and retention »): the actor's data, by the actor or staff.
  {
    method: 'POST',
    path: '/api/applications/:id/erasure',
    entry: api('erasure'),
    table: 'RW',
    stopsExecutions: true,
  },
  // Decrypts the bank details' BIC and holder for the export's masked view (the IBAN stays masked).
  {
    method: 'GET',
    path: '/api/applications/:id/export',
    entry: api('export-application'),
    table: 'R',
    bankVault: true,
  },
  // After qualification (docs/actor.md): the actor edits its places (the map follows) or ends its qualification.
  { method: 'PUT', path: '/api/applications/:id/places', entry: api('places-update'), table: 'RW' },
  {
    method: 'POST',
    path: '/api/applications/:id/end-qualification',
    entry: api('end-qualification'),
    table: 'RW',
    sendsMail: true,
  },

  // The actor's way back (docs/actor.md): e-mailed sign-in link, actor session. Verify confirms the address
  // (completes the address_confirmation step).
  { method: 'POST', path: '/api/actor/sign-in', entry: api('actor-sign-in'), table: 'RW', sendsMail: true },
  { method: 'POST', path: '/api/actor/sign-in/verify', entry: api('actor-sign-in-verify'), table: 'RW', decides: true },
  { method: 'POST', path: '/api/actor/sign-out', entry: api('actor-sign-out'), table: 'RW' },
  { method: 'GET', path: '/espace', entry: 'functions/web/static.ts' },
  { method: 'GET', path: '/espace/:file', entry: 'functions/web/static.ts' },

  // Staff console (contract: login, tasks, decision).
  { method: 'POST', path: '/api/console/login', entry: api('console-login'), table: 'RW' },
  { method: 'POST', path: '/api/console/logout', entry: api('console-logout'), table: 'RW', staff: true },
  { method: 'GET', path: '/api/console/me', entry: api('console-me'), table: 'R', staff: true },
  // The French labels of the console's codes (shared/domain/labels.ts): public, no table.
  { method: 'GET', path: '/api/labels', entry: api('console-labels') },
  { method: 'GET', path: '/api/console/staff', entry: api('console-staff'), table: 'R', staff: true },
  { method: 'POST', path: '/api/console/staff', entry: api('console-staff-create'), table: 'RW', staff: true },
  { method: 'PUT', path: '/api/console/staff/:email', entry: api('console-staff-update'), table: 'RW', staff: true },
  {
    method: 'POST',
    path: '/api/console/staff/:email/password',
    entry: api('console-staff-password'),
    table: 'RW',
    staff: true,
  },
  { method: 'GET', path: '/api/console/tasks', entry: api('list-tasks'), table: 'R', staff: true },
  { method: 'GET', path: '/api/console/search', entry: api('console-search'), table: 'R', staff: true },
  // Closed applications (issue 13): the list and its CSV export, one gsi2 Query per page.
  { method: 'GET', path: '/api/console/closed', entry: api('console-closed'), table: 'R', staff: true },
  { method: 'GET', path: '/api/console/closed.csv', entry: api('console-closed'), table: 'R', staff: true },
  {
    method: 'POST',
    path: '/api/console/tasks/:taskId/decision',
    entry: api('decide-task'),
    table: 'RW',
    decides: true,
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/tasks/decisions',
    entry: api('console-decisions'),
    table: 'RW',
    decides: true,
    staff: true,
  },
  { method: 'POST', path: '/api/console/tasks/:taskId/assign', entry: api('console-assign'), table: 'RW', staff: true },
  { method: 'GET', path: '/api/console/applications/:id', entry: api('console-application'), table: 'R', staff: true },
  {
    method: 'POST',
    path: '/api/console/applications/:id/comments',
    entry: api('console-comment'),
    table: 'RW',
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/applications/:id/suspend',
    entry: api('console-lifecycle'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/applications/:id/reinstate',
    entry: api('console-lifecycle'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/applications/:id/withdraw',
    entry: api('console-lifecycle'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/applications/:id/release-siret',
    entry: api('console-lifecycle'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  { method: 'GET', path: '/api/console/erasures', entry: api('console-erasures'), table: 'R', staff: true },
  { method: 'GET', path: '/api/console/subscriptions', entry: api('console-subscriptions'), table: 'R', staff: true },
  { method: 'GET', path: '/api/console/config', entry: api('console-config'), table: 'R', staff: true },
  { method: 'PUT', path: '/api/console/config', entry: api('console-config-update'), table: 'RW', staff: true },
  { method: 'GET', path: '/api/console/changes', entry: api('console-changes'), table: 'R', staff: true },
  {
    method: 'POST',
    path: '/api/console/waitlist/release',
    entry: api('console-waitlist-release'),
    table: 'RW',
    decides: true,
    staff: true,
  },
  { method: 'GET', path: '/api/console/networks', entry: api('console-networks'), table: 'R', staff: true },
  { method: 'POST', path: '/api/console/networks', entry: api('console-network-save'), table: 'RW', staff: true },
  { method: 'GET', path: '/api/console/networks/:id', entry: api('console-network'), table: 'R', staff: true },
  {
    method: 'POST',
    path: '/api/console/networks/:id/members',
    entry: api('console-network-import'),
    table: 'RW',
    staff: true,
  },
  {
    method: 'GET',
    path: '/api/console/networks/:id/overview',
    entry: api('console-network'),
    table: 'R',
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/networks/:id/invitations',
    entry: api('console-network'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/networks/:id/notices/:siret/acknowledge',
    entry: api('console-network'),
    table: 'RW',
    staff: true,
  },
  { method: 'GET', path: '/api/console/campaigns', entry: api('console-campaigns'), table: 'R', staff: true },
  { method: 'POST', path: '/api/console/campaigns', entry: api('console-campaign-create'), table: 'RW', staff: true },
  {
    method: 'PUT',
    path: '/api/console/campaigns/:code',
    entry: api('console-campaign-update'),
    table: 'RW',
    staff: true,
  },
  { method: 'GET', path: '/api/console/outbox', entry: api('console-outbox'), table: 'R', staff: true },
  { method: 'GET', path: '/api/console/coverage', entry: api('console-coverage'), table: 'R', staff: true },
  // The territorial mesh (docs/territory.md).
  {
    method: 'POST',
    path: '/api/console/pass-injections',
    entry: api('console-pass-injection-save'),
    table: 'RW',
    staff: true,
  },
  {
    method: 'POST',
    path: '/api/console/pass-injections/import',
    entry: api('console-pass-injection-import'),
    table: 'RW',
    staff: true,
  },
  {
    method: 'GET',
    path: '/api/console/pass-injections',
    entry: api('console-pass-injections'),
    table: 'R',
    staff: true,
  },
  { method: 'GET', path: '/api/console/territories', entry: api('console-territories'), table: 'R', staff: true },
  // Prospects and stimulation (docs/territory.md « Prospects », « Stimuler un territoire »).
  {
    method: 'POST',
    path: '/api/console/prospects/import',
    entry: api('console-prospects'),
    table: 'RW',
    staff: true,
    maxBodyBytes: 4 * 1024 * 1024,
    // A 20,000-row file: parsing and checking each row is CPU-bound (a Lambda's CPU grows with its memory), then
    // ≈ 800 batch writes. 29 s is the most an HTTP API waits for its integration (30 s, minus a margin).
    lambda: { timeoutSeconds: 29, memoryMb: 1024 },
  },
  // The same Lambda (console-prospects.ts) serves the three prospect routes: it needs RW and sends mail.
  { method: 'GET', path: '/api/console/prospects', entry: api('console-prospects'), table: 'RW', staff: true },
  {
    method: 'POST',
    path: '/api/console/territories/:code/stimulate',
    entry: api('console-prospects'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  // « Parler à quelqu’un » (docs/console.md « Support requests ») and the FAQ knowledge base (docs/faq.md).
  { method: 'GET', path: '/api/console/support', entry: api('console-support'), table: 'R', staff: true },
  {
    method: 'POST',
    path: '/api/console/support/:id/answer',
    entry: api('console-support'),
    table: 'RW',
    sendsMail: true,
    staff: true,
  },
  // The unsubscribe link of invitations: a page (GET) and its form (POST); public, the token is the credential.
  { method: 'GET', path: '/api/unsubscribe', entry: api('unsubscribe'), table: 'RW' },
  { method: 'POST', path: '/api/unsubscribe', entry: api('unsubscribe'), table: 'RW' },
  { method: 'GET', path: '/api/console/kb', entry: api('console-kb'), table: 'R', staff: true },
  {
    method: 'POST',
    path: '/api/console/kb/preview',
    entry: api('console-kb'),
    table: 'R',
    staff: true,
    // A preview of edited examples trains a classifier over 10,000 phrasings (≈ 3 s of one core): at the default
    // 256 MB a Lambda gets about a seventh of a core, which would pass the 10 s timeout. One vCPU (1,769 MB), 29 s.
    lambda: CPU_BOUND_FAQ,
  },
  { method: 'POST', path: '/api/console/kb/versions', entry: api('console-kb'), table: 'RW', staff: true },
  { method: 'POST', path: '/api/console/kb/rollback', entry: api('console-kb'), table: 'RW', staff: true },

  // Public map and open data.
  { method: 'GET', path: '/api/lieux', entry: api('lieux'), table: 'R' },
  { method: 'GET', path: '/api/lieux.csv', entry: api('lieux-csv'), table: 'R' },
  { method: 'GET', path: '/api/lieux/data-inclusion', entry: api('lieux-data-inclusion'), table: 'R' },
  { method: 'GET', path: '/api/lieux/proches', entry: api('lieux-proches'), table: 'R' },
  { method: 'GET', path: '/carte', entry: api('carte') },

  // Static pages and assets: one Lambda serves them all (same origin as the API: no CORS).
  { method: 'GET', path: '/console', entry: 'functions/web/static.ts' },
  { method: 'GET', path: '/console/:file', entry: 'functions/web/static.ts' },
  { method: 'GET', path: '/carte/:file', entry: 'functions/web/static.ts' },
  { method: 'GET', path: '/assets/vendor/leaflet/:file', entry: 'functions/web/static.ts' },

  // The chat in webhook mode (the websocket exists on the local server only: HTTP APIs carry none).
  { method: 'GET', path: '/', entry: api('chat'), table: 'RW' },
  { method: 'GET', path: '/chat.js', entry: api('chat') },
  { method: 'GET', path: '/chat.css', entry: api('chat') },
  { method: 'GET', path: '/embed.js', entry: api('chat') },
  { method: 'GET', path: '/go/:code', entry: api('chat') },
  { method: 'GET', path: '/api/faq', entry: api('chat') },
  { method: 'POST', path: '/api/chat/session', entry: api('chat') },
  {
    method: 'POST',
    path: '/api/messages',
    entry: api('chat'),
    startsExecutions: true,
    decides: true,
    sendsMail: true,
    // The whole chat function (every chat route shares it): a cold instance's first FAQ question builds a matcher over
    // 10,000 phrasings (≈ 0.5 s of one core with the build-time model, analyses and index read), and the first
    // instance that reads a published version with new example questions trains its classifier (≈ 3 s), with both
    // matchers in memory for a moment (≈ 250 MB in all). At the default 256 MB (a seventh of a core) the training
    // would pass the 10 s timeout, and memory would run out.
    lambda: CPU_BOUND_FAQ,
  },
];

/** The chat service is mounted whole on the local server (websocket included), not route by route. */
export const LOCAL_MOUNTED_ENTRIES = new Set([api('chat')]);

import '../../shared/runtime/polyfills.js';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoChild } from './dynamo-child.js';
import { parseLocalEnv } from './env.js';

/**
 * `npm start`: everything on one machine, no cloud account. dynalite (on disk under DATA_DIR, or `--memory`), the
 * state machine synthesized from the CDK stack, the API, the chat and the console on one HTTP server.
 *
 * Start-up order (docs/startup.md has the figures): dynalite's child process is spawned first, before this process
 * loads its own modules (the two boot on the two cores at once); the server listens only once the table, the state
 * machine, the chat and the staff account are ready, so a 200 on /healthz means ready. Executions left unfinished
 * by the previous run are then resumed in the background.
 */
const t0 = performance.now();
// Only light modules are imported statically: the dynalite child must not wait for the heavy ones.
const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false } }, allowPositionals: false });
const env = parseLocalEnv();
const dataDir = resolve(env.DATA_DIR);
mkdirSync(dataDir, { recursive: true });
const dynamo = startDynamoChild({ dataDir: values.memory ? null : dataDir });
dynamo.catch(() => undefined); // awaited (and reported) by startRuntime

const [
  { createChatServiceFromDeps },
  { logger },
  { ensureFirstStaff },
  { startAppServer },
  runtimeModule,
  { keepFaqAnalyses, keepFaqClassifiers },
  { bundleDir },
] = await Promise.all([
  import('../../bot/index.js'),
  import('../../shared/runtime/logger.js'),
  import('../../shared/usecases/staff-bootstrap.js'),
  import('./app.js'),
  import('./runtime.js'),
  import('./faq-model-cache.js'),
  import('./loading.js'),
]);
const { startRuntime, writeEndpointsFile } = runtimeModule;

async function main(): Promise<void> {
  const imported = performance.now();

  const publicUrl = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
  const runtime = await startRuntime({
    dataDir: values.memory ? null : dataDir,
    configPath: env.APTIC_CONFIG,
    dynamo,
    // Links in messages (sign-in links to /espace) point at this server.
    depsOverrides: { publicBaseUrl: publicUrl },
  });
  const runtimeReady = performance.now();
  // The FAQ classifier is trained on the first start only (then whenever what it learns from changes).
  keepFaqClassifiers();
  // Run from its bundle, the analysed FAQ phrasings too, beside the bundle that made them (from the sources: never).
  const bundled = bundleDir();
  if (bundled) keepFaqAnalyses(join(bundled, 'faq-analysis'));
  // The first staff account's password hash (scrypt, 100–300 ms on a new data directory) runs in libuv's thread pool,
  // on the other core, while this thread builds the chat.
  const staffing = ensureFirstStaff(runtime.deps, { email: env.STAFF_EMAIL, password: env.STAFF_PASSWORD });
  staffing.catch(() => undefined); // awaited below
  // The chat is mounted whole (webhook and websocket), with the same service the chat Lambda builds on AWS.
  const chat = await createChatServiceFromDeps(runtime.deps, {
    allowedOrigins: [publicUrl, ...env.CHAT_ALLOWED_ORIGINS],
    publicBaseUrl: publicUrl,
    // One long-lived process: keep conversations in memory and write them to DynamoDB after each reply
    // (Lambda keeps the default: read and write the store on every turn).
    engine: { resident: true },
    // Its FAQ matcher too, before listening: the first question of the day does not wait for it.
    warmFaq: true,
  });
  const chatReady = performance.now();
  const staff = await staffing;
  const staffReady = performance.now();
  const server = await startAppServer(runtime.deps, {
    host: env.HOST,
    port: env.PORT,
    dispatchers: [(req) => chat.handle(req)],
    upgrades: [(req, socket, head) => chat.handleUpgrade(req, socket, head)],
  });
  const listening = performance.now();
  const endpointsFile = writeEndpointsFile(dataDir, runtime.endpoints);
  const ms = (a: number, b: number) => Math.round(b - a);
  logger.info(
    {
      startupMs: {
        boot: ms(0, t0),
        modules: ms(t0, imported),
        runtime: ms(imported, runtimeReady),
        chat: ms(runtimeReady, chatReady),
        staff: ms(chatReady, staffReady),
        server: ms(staffReady, listening),
        total: ms(0, listening),
      },
    },
    'ready',
  );

  const lines = [
    `aptic-qualification en marche (${values.memory ? 'données en mémoire' : `données dans ${dataDir}`})`,
    `  chat            ${server.url}/`,
    `  console         ${server.url}/console`,
    `  carte           ${server.url}/carte`,
    `  espace          ${server.url}/espace  (demandeurs : lien de connexion par e-mail, voir la console « Messages »)`,
    `  API             ${server.url}/api/…   santé : ${server.url}/healthz`,
    `  DynamoDB        ${runtime.endpoints.dynamodb}  (table ${runtime.endpoints.tableName})`,
    `  Step Functions  ${runtime.endpoints.stepfunctions}  (${runtime.endpoints.stateMachineArn})`,
    `  endpoints.json  ${endpointsFile}`,
  ];
  if (staff.created) {
    lines.push(
      `  compte équipe   ${staff.email}${staff.generatedPassword ? `  mot de passe : ${staff.generatedPassword}` : ''}`,
    );
  }
  console.log(lines.join('\n'));

  // After listening: thousands of executions to restart must not hold the server back (docs/startup.md says what a
  // request meets meanwhile).
  const resuming = runtime.resumeUnfinished().then(
    (resumed) => {
      if (resumed > 0) {
        const s = ((performance.now() - listening) / 1000).toFixed(1);
        console.log(`  ${resumed} qualification(s) reprise(s) à leur étape enregistrée (${s} s)`);
      }
    },
    (err) => logger.error({ err }, 'resuming unfinished executions failed'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Hard deadline: the process exits within 2 s whatever hangs.
    setTimeout(() => process.exit(1), 2000).unref();
    await server.close(1200);
    await chat.close();
    await runtime.close();
    await resuming;
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main().catch((err) => {
  logger.fatal({ err }, 'start failed');
  console.error(`Démarrage impossible : ${(err as Error).message}`);
  process.exit(1);
});

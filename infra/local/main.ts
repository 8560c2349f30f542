import '../../shared/runtime/polyfills.js';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createChatServiceFromDeps } from '../../bot/index.js';
import { logger } from '../../shared/runtime/logger.js';
import { ensureFirstStaff } from '../../shared/usecases/staff-bootstrap.js';
import { startAppServer } from './app.js';
import { parseLocalEnv } from './env.js';
import { startRuntime, writeEndpointsFile } from './runtime.js';

/**
 * `npm start`: everything on one machine, no cloud account. dynalite (on disk under DATA_DIR, or `--memory`), the
 * state machine synthesized from the CDK stack, the API, the chat and the console on one HTTP server.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false } }, allowPositionals: false });
  const env = parseLocalEnv();
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const publicUrl = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
  const runtime = await startRuntime({
    dataDir: values.memory ? null : dataDir,
    configPath: env.APTIC_CONFIG,
    dynamoInChildProcess: true,
    // Links in messages (sign-in links to /espace) point at this server.
    depsOverrides: { publicBaseUrl: publicUrl },
  });
  // The chat is mounted whole (webhook and websocket), with the same service the chat Lambda builds on AWS.
  const chat = await createChatServiceFromDeps(runtime.deps, {
    allowedOrigins: [publicUrl, ...env.CHAT_ALLOWED_ORIGINS],
    publicBaseUrl: publicUrl,
    // One long-lived process: keep conversations in memory and write them to DynamoDB after each reply
    // (Lambda keeps the default: read and write the store on every turn).
    engine: { resident: true },
  });
  const server = await startAppServer(runtime.deps, {
    host: env.HOST,
    port: env.PORT,
    dispatchers: [(req) => chat.handle(req)],
    upgrades: [(req, socket, head) => chat.handleUpgrade(req, socket, head)],
  });
  const endpointsFile = writeEndpointsFile(dataDir, runtime.endpoints);
  const staff = await ensureFirstStaff(runtime.deps, { email: env.STAFF_EMAIL, password: env.STAFF_PASSWORD });
  const resumed = await runtime.resumeUnfinished();

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
  if (resumed > 0) lines.push(`  ${resumed} qualification(s) reprise(s) à leur étape enregistrée`);
  console.log(lines.join('\n'));

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
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  logger.fatal({ err }, 'start failed');
  console.error(`Démarrage impossible : ${(err as Error).message}`);
  process.exit(1);
});

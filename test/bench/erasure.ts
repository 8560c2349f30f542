// Erasure of an application with 50 places and a long chat transcript, on in-memory dynalite through the real SDK
// (client and server share this process). Each sample: a running application (an open task, 50 published places,
// 30 history events with comments, 20 messages, a ~100 KB conversation) erased by the one routine the actor's
// request, an admin and the retention job use. The Step Functions client is a stub (StopExecution is one call).
// Run: npm run bench -- erasure
import '../../shared/runtime/polyfills.js';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ensureTable, startDynamo } from '../../infra/local/dynamo.js';
import { DEFAULT_CONFIG } from '../../shared/config/config.js';
import { parseApplication, resolvePlaces } from '../../shared/domain/application.js';
import { makeDocumentClient } from '../../shared/runtime/clients.js';
import { newRandomToken, newUuid, systemClock } from '../../shared/runtime/ids.js';
import { logger } from '../../shared/runtime/logger.js';
import { outboxOnlyMailer } from '../../shared/runtime/mailer.js';
import { noMetrics } from '../../shared/runtime/metrics.js';
import { type ApplicationItem, Store } from '../../shared/store/store.js';
import { eraseApplication } from '../../shared/usecases/erasure.js';
import { toPublishedPlaces } from '../../shared/usecases/places.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { exampleDocument, siretFor } from '../helpers/fixtures.js';

const SAMPLES = 20;
const PLACES = 50;
const TURNS = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function documentWithPlaces(n: number, i: number) {
  const doc: Record<string, any> = exampleDocument();
  doc.structure.siret = siretFor(500_000 + i);
  const base = doc.lieux[0];
  doc.lieux = Array.from({ length: n }, (_, k) => ({
    ...base,
    nom: `Lieu ${k + 1}`,
    adresse: `${k + 1} rue des Lilas`,
  }));
  doc.activite.lieux_d_intervention = ['lieu_propre'];
  const parsed = parseApplication(doc);
  if (!parsed.ok) throw new Error(`bad bench document: ${JSON.stringify(parsed.issues).slice(0, 300)}`);
  return parsed.value;
}

async function seed(deps: Deps, i: number): Promise<ApplicationItem> {
  const now = deps.clock().toISOString();
  const id = deps.newId();
  const document = documentWithPlaces(PLACES, i);
  const conversationId = `bench-conv-${i}`;
  const app: ApplicationItem = {
    id,
    version: 1,
    stage: 'staff_review',
    status: 'eligible_now',
    phase: 1,
    route: 'libre',
    flags: [],
    reasons: [],
    document: document as never,
    siret: (document as { structure: { siret: string } }).structure.siret,
    departements: ['87'],
    actorTokenHash: 'x'.repeat(64),
    round: 1,
    source: 'chat',
    idempotencyKey: conversationId,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.applications.create(app);
  await deps.store.tasks.open({
    applicationId: id,
    step: 'staff_review',
    round: 1,
    token: `bench-token-${id}`,
    openedAt: now,
    route: 'libre',
    phase: 1,
    departements: ['87'],
    flags: [],
  });
  await deps.store.places.replace(id, toPublishedPlaces(app, resolvePlaces(document), deps.clock()));
  for (let k = 0; k < 30; k++) {
    await deps.store.history.append({
      applicationId: id,
      key: `bench#${k}`,
      at: now,
      actor: { kind: 'staff', id: 'bench@aptic.test' },
      type: 'comment',
      comment: `Appeler Claire Martin au 05 55 00 00 00 (note ${k}).`,
    });
  }
  for (let k = 0; k < 20; k++) {
    await deps.store.outbox.putIfAbsent({
      applicationId: id,
      key: `bench#${k}`,
      at: now,
      subject: 'Votre demande #APTIC',
      text: 'Bonjour Claire Martin, '.repeat(10),
      to: 'claire.martin@clic-solidaire.fr',
      channel: 'outbox',
      delivered: false,
    });
  }
  const transcript = Array.from({ length: TURNS }, (_, k) =>
    k % 2 ? `Bot : question ${k} sur votre structure ?` : `Claire Martin : réponse ${k}, 12 rue des Lilas, Limoges`,
  );
  await deps.store.dialogs.put(conversationId, { transcript }, 3600, 0);
  return app;
}

export async function benchErasure(): Promise<string[]> {
  const dynamo = await startDynamo({ dataDir: null });
  const doc = makeDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
  try {
    await ensureTable(doc, 'bench');
    const store = new Store(doc, 'bench');
    let calls = 0;
    const deps: Deps = {
      store,
      sfn: {
        send: async () => {
          calls++;
          return {};
        },
      } as unknown as SFNClient,
      stateMachineArn: 'arn:aws:states:eu-west-3:000000000000:stateMachine:bench',
      config: async () => DEFAULT_CONFIG,
      clock: systemClock,
      newId: newUuid,
      newToken: newRandomToken,
      mailer: outboxOnlyMailer,
      metrics: noMetrics,
      logger: logger.child({}, { level: 'silent' }),
    };
    const apps: ApplicationItem[] = [];
    for (let i = 0; i < SAMPLES + 2; i++) apps.push(await seed(deps, i));
    const transcriptKb = JSON.stringify((await store.dialogs.getRaw('bench-conv-0'))?.state ?? {}).length / 1024;
    const itemsBefore = (await store.applications.partition(apps[0]!.id)).length;
    for (const a of apps.slice(0, 2)) await eraseApplication(deps, a, 'actor'); // warm-up
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (const a of apps.slice(2)) {
      const t0 = performance.now();
      await eraseApplication(deps, a, 'actor');
      times.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    const itemsAfter = (await store.applications.partition(apps[2]!.id)).length;
    return [
      `one application: ${PLACES} places, ${itemsBefore} items in its partition, a ${transcriptKb.toFixed(0)} KB transcript (${TURNS} turns), 30 comments, 20 messages`,
      `erasure p50 ${percentile(times, 50).toFixed(1)} ms   p99 ${percentile(times, 99).toFixed(1)} ms   cpu ${((cpu.user + cpu.system) / 1000 / times.length).toFixed(1)} ms/erasure   n=${times.length}`,
      `items left in the partition after erasure: ${itemsAfter} (the anonymous application item and its events); Step Functions calls: ${calls}`,
    ];
  } finally {
    await dynamo.close();
  }
}

import '../../shared/runtime/polyfills.js';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../shared/config/config.js';
import { parseApplication } from '../../shared/domain/application.js';
import type { ApplicationItem } from '../../shared/store/store.js';
import { indexApplicationAddresses } from '../../shared/usecases/actor-sign-in.js';
import { signInCodeIn } from '../helpers/local-app.js';
import { applicationDocument, makeSiret, startConsoleApp } from '../integration/console/harness.js';

/**
 * The actor's way back (docs/actor.md): from `POST /api/actor/sign-in` to a verified actor token, over HTTP on the
 * same server as `npm start` (lite: in-memory dynalite, no workflow; applications seeded through the store with one
 * address each). The sign-in answer waits `actorSignIn.minResponseMs` (default 300 ms) whether or not the address is
 * known: that floor is part of the figure, and the known/unknown medians show how well it hides the difference.
 */
const APPLICATIONS = 200;
const CONCURRENCY = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))}, p99 ${ms(percentile(s, 99))}`;
};

export async function benchSignIn(): Promise<string[]> {
  const config = parseConfig({ actorSignIn: { perAddressPerHour: 1000, perIpPerHour: 100_000 } });
  const app = await startConsoleApp({ lite: true, config } as never);
  // Lite mode has no runtime to take `config`: give the deps the configuration directly.
  app.deps.config = async () => config;
  try {
    const { deps } = app;
    const parsed = parseApplication(applicationDocument());
    if (!parsed.ok) throw new Error('bad document');
    const base = parsed.value as Record<string, any>;
    const now = new Date().toISOString();
    for (let n = 0; n < APPLICATIONS; n++) {
      const document = structuredClone(base);
      document.structure.siret = makeSiret(n);
      document.structure.representant_legal = { nom: 'Claire Martin', courriel: `bench-${n}@aptic.test` };
      const item = {
        id: deps.newId(),
        version: 1,
        stage: 'staff_review',
        status: 'eligible_now',
        phase: 1,
        route: 'libre',
        flags: [],
        reasons: [],
        document,
        siret: document.structure.siret,
        departements: ['87'],
        actorTokenHash: 'x',
        round: 1,
        addressConfirmedAt: now,
        createdAt: now,
        updatedAt: now,
      } as unknown as ApplicationItem;
      await deps.store.applications.create(item);
      await indexApplicationAddresses(deps, item);
    }
    const post = async (path: string, body: unknown) => {
      const res = await app.call('POST', path, { body });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const byAddress = new Map<string, string>();
    for (const a of await deps.store.applications.listActive()) {
      byAddress.set((a.document as any).structure.representant_legal.courriel, a.id);
    }

    const total: number[] = [];
    const known: number[] = [];
    const unknown: number[] = [];
    const verify: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < APPLICATIONS) {
          const n = next++;
          const courriel = `bench-${n}@aptic.test`;
          const id = byAddress.get(courriel)!;
          const t0 = performance.now();
          await post('/api/actor/sign-in', { courriel });
          const t1 = performance.now();
          const message = (await deps.store.outbox.list(id)).find((m) => m.key.startsWith('signin#'));
          const code = signInCodeIn(message?.text ?? '');
          if (!code) throw new Error(`no link for ${courriel}`);
          const t2 = performance.now();
          const verified = await post('/api/actor/sign-in/verify', { code });
          const t3 = performance.now();
          if (!String(verified.token).startsWith('acs_')) throw new Error('no token');
          known.push(t1 - t0);
          verify.push(t3 - t2);
          total.push(t3 - t0);
          const u0 = performance.now();
          await post('/api/actor/sign-in', { courriel: `nobody-${n}@aptic.test` });
          unknown.push(performance.now() - u0);
        }
      }),
    );
    return [
      `${APPLICATIONS} sign-ins, ${CONCURRENCY} in flight, in-memory dynalite, HTTP (minResponseMs ${config.actorSignIn.minResponseMs} ms)`,
      `sign-in → verified token: ${stats(total)}`,
      `POST /api/actor/sign-in, known address: ${stats(known)}; unknown address: ${stats(unknown)}`,
      `POST /api/actor/sign-in/verify: ${stats(verify)}`,
    ];
  } finally {
    await app.close();
  }
}

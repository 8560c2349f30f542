import '../../shared/runtime/polyfills.js';
import { cpus, loadavg } from 'node:os';

/**
 * `npm run bench`: every benchmark, one after the other (never in parallel: they measure the same two cores), each
 * printing its figures. Timed tests are not used anywhere; figures live here. `npm run bench -- faq store` runs some.
 */
const BENCHES: Record<string, () => Promise<{ run: () => Promise<string[]> }>> = {
  eligibility: async () => ({ run: (await import('./eligibility.js')).benchEligibility }),
  store: async () => ({ run: (await import('./store.js')).benchStore }),
  workflow: async () => ({ run: (await import('./workflow.js')).benchWorkflow }),
  asl: async () => ({ run: (await import('./asl.js')).benchAsl }),
  bundles: async () => ({ run: (await import('./bundles.js')).benchBundles }),
  faq: async () => ({ run: (await import('./faq.js')).benchFaq }),
  'faq-cv': async () => ({ run: (await import('./faq-cv.js')).benchFaqCv }),
  'faq-ask': async () => ({ run: (await import('./faq-cv.js')).benchFaqAsk }),
  bot: async () => ({ run: (await import('./bot.js')).benchBot }),
  console: async () => ({ run: (await import('./console.js')).benchConsole }),
  bulk: async () => ({ run: (await import('./bulk.js')).benchBulk }),
  search: async () => ({ run: (await import('./search.js')).benchSearch }),
  startup: async () => ({ run: (await import('./startup.js')).benchStartup }),
  erasure: async () => ({ run: (await import('./erasure.js')).benchErasure }),
  signin: async () => ({ run: (await import('./signin.js')).benchSignIn }),
  territories: async () => ({ run: (await import('./territories.js')).benchTerritories }),
  prospects: async () => ({ run: (await import('./prospects.js')).benchProspects }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
console.log(
  `# aptic-qualification benchmarks — Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at start`,
);
let failed = false;
for (const name of names) {
  const load = BENCHES[name];
  if (!load) {
    console.log(`## ${name}: unknown benchmark (known: ${Object.keys(BENCHES).join(', ')})`);
    failed = true;
    continue;
  }
  const t0 = performance.now();
  console.log(`## ${name}`);
  try {
    const { run } = await load();
    for (const line of await run()) console.log(`  ${line}`);
  } catch (err) {
    failed = true;
    console.log(`  failed: ${(err as Error).message}`);
  }
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);

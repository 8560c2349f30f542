// Eligibility decisions per second on one core, over a mix of documents, after warm-up.
// Run: node --import tsx test/bench/eligibility.ts   (goal: ≥ 50,000 decisions/s)
import { pathToFileURL } from 'node:url';
import { DEFAULT_CONFIG, parseConfig } from '../../shared/config/config.js';
import { type ApplicationDocument, parseApplication } from '../../shared/domain/application.js';
import { type EligibilityContext, evaluateEligibility } from '../../shared/domain/eligibility.js';
import { exampleDocument } from '../helpers/fixtures.js';

export const GOAL_DECISIONS_PER_SECOND = 50_000;

function base(): any {
  return exampleDocument();
}

function mix(): unknown[] {
  const docs: any[] = [];
  const add = (edit: (d: any) => void) => {
    const d = base();
    edit(d);
    docs.push(d);
  };
  add(() => {});
  add((d) => (d.contexte.reseau = 'la mednum'));
  add((d) => (d.contexte.contact_territorial = 'oui'));
  add((d) => {
    d.lieux = [
      { ...d.lieux[0], code_postal: '20000', commune: 'Ajaccio' },
      { ...d.lieux[0], code_postal: '20200', commune: 'Bastia' },
      { ...d.lieux[0], code_postal: '75011', commune: 'Paris' },
    ];
  });
  add((d) => {
    d.lieux[0].code_postal = '97400';
    d.lieux[0].commune = 'Saint-Denis';
    delete d.activite.heures_accueil_hebdo;
  });
  add((d) => (d.structure.siret = null));
  add((d) => (d.engagements.abonnement = 'a_confirmer'));
  add((d) => (d.activite.lieux_d_intervention = ['lieux_tiers', 'domicile']));
  add((d) => (d.activite.lieux_d_intervention = ['distance']));
  add((d) => {
    d.lieux[0].accueil_inconditionnel = false;
    d.activite.reste_a_charge_nul_accepte = false;
    d.activite.heures_accueil_hebdo = 8;
    d.structure.forme_juridique = 'collectivite';
  });
  docs.push({ profil: 'financeur' }, { profil: 'particulier' });
  return docs;
}

export async function benchEligibility(options: { durationMs?: number } = {}): Promise<string[]> {
  const durationMs = options.durationMs ?? 1_000;
  const docs: ApplicationDocument[] = mix().map((d) => {
    const r = parseApplication(d);
    if (!r.ok) throw new Error(`bench fixture invalid: ${JSON.stringify(r.issues)}`);
    return r.value;
  });
  const configs = [DEFAULT_CONFIG, parseConfig({ territoriesWithActiveDeployment: ['87', '2A'], phasesOpen: [1, 2] })];
  const ctxs: (EligibilityContext | undefined)[] = [
    undefined,
    { capReached: (dep) => dep === '974', campaign: { kind: 'webinar' } },
  ];

  let sink = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const d = evaluateEligibility(docs[i % docs.length]!, configs[i & 1]!, ctxs[(i >> 1) & 1]);
      sink += d.flags.length + d.reasons.length;
    }
  };

  // Warm-up: JIT, geography index, opening_hours memo.
  const warmEnd = performance.now() + Math.min(300, durationMs / 2);
  while (performance.now() < warmEnd) run(1_000);

  let n = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < durationMs) {
    run(1_000);
    n += 1_000;
    t1 = performance.now();
  }
  const perSecond = Math.round((n / (t1 - t0)) * 1_000);

  // Parsing + deciding (the API path), for information.
  const raw = mix();
  let m = 0;
  const p0 = performance.now();
  let p1 = p0;
  while (p1 - p0 < durationMs / 2) {
    for (const d of raw) {
      const r = parseApplication(d);
      if (r.ok) sink += evaluateEligibility(r.value, DEFAULT_CONFIG).flags.length;
      m++;
    }
    p1 = performance.now();
  }
  const parsePerSecond = Math.round((m / (p1 - p0)) * 1_000);

  const ok = perSecond >= GOAL_DECISIONS_PER_SECOND;
  return [
    `eligibility: ${perSecond.toLocaleString('en-US')} decisions/s on one core over ${docs.length} documents ` +
      `(${n.toLocaleString('en-US')} decisions) — goal ≥ ${GOAL_DECISIONS_PER_SECOND.toLocaleString('en-US')}/s: ${ok ? 'OK' : 'BELOW GOAL'}`,
    `eligibility: ${parsePerSecond.toLocaleString('en-US')} parse+decide/s (parseApplication + evaluateEligibility)`,
    ...(sink < 0 ? ['unreachable'] : []),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = await benchEligibility();
  for (const l of lines) console.log(l);
}

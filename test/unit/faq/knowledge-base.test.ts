import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FAQ_TOPIC_IDS,
  FAQ_VARIABLES,
  type FaqVariables,
  faqVariables,
  type KnowledgeBase,
  KnowledgeBaseError,
  loadKnowledgeBase,
  parseKnowledgeBase,
  renderTemplate,
} from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { loadConfig } from '../../../shared/config/config.js';
import { withoutTrainingSets } from '../../../shared/usecases/console/knowledge-base.js';
import { handbookPath } from '../../helpers/handbook.js';

const kb = loadKnowledgeBase();
/** The variables as the configuration file fills them (what an actor reads when no staff override is set). */
const fileVars = faqVariables(loadConfig());
const templateOf = (id: string) => kb.topics.find((t) => t.id === id)!.answer;
// Answers use the typographic apostrophe (’); the facts below are written with the plain one.
const answerOf = (id: string) => renderTemplate(templateOf(id), fileVars).replaceAll('’', "'");

/** Every text the bot may send from the knowledge base, as written in the file (before rendering). */
const answerTexts = (base: KnowledgeBase): [string, string][] => [
  ['fallback', base.fallback],
  ['humanOnly', base.humanOnly.answer],
  ...base.topics.map((t): [string, string] => [t.id, t.answer]),
];

/**
 * Configured values written as text where a variable exists: the support address, and for each variable whose value
 * is an amount, that amount followed by « € » (any spacing, « 77 », « 77,00 », « 77.00 »). Such a text would not
 * follow a change of the configuration (a staff override of the Kit price).
 */
function literalFigures(base: KnowledgeBase, vars: FaqVariables): string[] {
  const found: string[] = [];
  for (const [where, text] of answerTexts(base)) {
    if (text.includes(vars.supportEmail))
      found.push(`${where}: ${vars.supportEmail} written as text, use {{supportEmail}}`);
  }
  for (const name of FAQ_VARIABLES) {
    const value = vars[name];
    if (!/^\d[\d\s\u202f]*(,\d+)?$/.test(value)) continue;
    const digits = value.replace(/[\s\u202f]/g, '').replace(/,0+$/, '');
    const [int, dec] = digits.split(',');
    const amount = new RegExp(
      `(?<![\\d.,])${int}${dec ? `[.,]${dec}0*` : '(?:[.,]0+)?'}(?![\\d.,]*\\d)\\s*(?:€|euros?\\b)`,
      'i',
    );
    for (const [where, text] of answerTexts(base)) {
      if (amount.test(text)) found.push(`${where}: ${value} € written as text, use {{${name}}}`);
    }
  }
  return found;
}

/** Facts each answer must hold (faq-topics.md), written as they appear in the French answers. */
const KEY_FACTS: Record<string, string[]> = {
  'what-is-pass': [
    '10 €',
    'carnets',
    '50 €',
    'commanditaire',
    'aiguilleurs',
    'bénéficiaires',
    'contre-paiement',
    '26/03/2019',
  ],
  'become-qualified': [
    'devenir.aptic.fr',
    'SIRET',
    "questionnaire d'éligibilité",
    'catalogue',
    'Charte',
    'IBAN/BIC',
    'validation bancaire',
    'recommencer',
    fileVars.supportEmail,
  ],
  'qualification-routes': ['libre', 'territoriale', 'réseau', 'un mardi sur deux à 15h', 'Hubs', 'La MedNum', 'PIMMS'],
  'who-can-qualify': [
    'SIRET est obligatoire',
    'médiathèques',
    'régie',
    'pas des personnes',
    'phase 1',
    'phase 2',
    'phase 3',
  ],
  'home-independent': [
    'phase 2',
    'conventionnement',
    'phase 3',
    'lieu ouvert au public',
    'SIRET',
    'ne sont pas publiques',
  ],
  'eligibility-criteria': [
    'notée',
    "n'est pas public",
    'services civiques',
    'démarche qualité',
    'reste à charge nul',
    'limitée en volume',
  ],
  'documents-needed': [
    'SIRET',
    'diffusible',
    'représentant légal',
    'IBAN',
    'BIC',
    'catalogue',
    'livraison',
    'facturation',
  ],
  'siret-issues': [
    'obligatoire',
    'INSEE',
    'une seule fois',
    'non diffusible',
    '14 chiffres',
    'Luhn',
    '356000000',
    'multiple de 5',
  ],
  'qualification-delay': [
    'Aucun délai officiel',
    'reprendre',
    "au fil de l'eau",
    'limitée en volume',
    'finalisée',
    'webinaire',
  ],
  'cost-kit': ['gratuit', '77 € HT par an', 'console.aptic.fr', 'finalisation', 'à confirmer'],
  'charter-commitments': [
    'Charte des engagements réciproques',
    'préalable à tout contrat',
    'commanditaires',
    'éloignés du numérique',
    'déqualification',
  ],
  reimbursement: [
    'scannez',
    'chaque mois',
    'mois précédent',
    'virement',
    'IBAN',
    'Gérer les contre-paiements',
    'régie',
    'R.1617-7',
    'attestation',
    "Aucun jour de versement précis n'est garanti",
    'une personne',
  ],
  'fees-commission': ['4 % HT', 'frais contributifs amont', '77 €/an HT', 'Aucune source publique'],
  'pass-value-validity': ['10 €', '100 €', '50 €', "tolérance d'un mois", '31/01', 'territoire', 'avoir'],
  'scan-pass': [
    'console.aptic.fr',
    'mêmes identifiants',
    'validité',
    'identifiant unique',
    'douchette',
    'commanditaire',
    'Seuls les acteurs qualifiés',
  ],
  'service-catalogue': [
    'console',
    'Découvrir les enjeux du numérique',
    'Maîtriser le numérique',
    "Augmenter son pouvoir d'agir",
    '9 catégories',
    'à confirmer',
  ],
  'free-services': ['Non', 'gratuits pour le bénéficiaire', '10 €', 'reste à charge nul', 'prix réglementés'],
  'ratio-consolidateur': ['15 000 à 25 000 €', 'pas un engagement', '3 000', 'limitée en volume', 'maillage'],
  'territorial-coverage': ['ne garantit pas', '60 %', '20 %', 'limitée en volume', 'Hubs'],
  'map-listing': [
    'géolocalisés',
    'étape 2',
    'cartographie des acteurs qualifiés',
    '18 000',
    'DORA',
    'cartographie.sonum@anct.gouv.fr',
    'APTIC/Pass',
  ],
  'hubs-support': [
    'Hubs France Connectée',
    'Banque des Territoires',
    '11 hubs',
    '15',
    'Hinaura',
    'un mardi sur deux à 15h',
    'à confirmer',
  ],
  'beneficiary-get-pass': [
    'pas vendus aux particuliers',
    'CCAS',
    'critères fixés par chaque commanditaire',
    'acteurs qualifiés',
    'validité',
  ],
  'order-passes': [
    'devis',
    'BAT sous 3 jours',
    '6 jours',
    '7 jours',
    '14 jours',
    '4 % HT',
    'numéro de mandat',
    'avoir',
  ],
  'public-structure-regie': ['Oui', 'régie de recettes', 'R.1617-7', '2019-1461', 'attestation'],
  'multi-sites': ['SIRET', 'membres', 'points de présence', 'console.aptic.fr', 'phase 1', "n'est pas documenté"],
};

describe('FAQ knowledge base', () => {
  it('validates and holds the topics (the 25 of faq-topics.md and find-my-application), each once, each with a label', () => {
    expect(kb.topics.map((t) => t.id).sort()).toEqual([...FAQ_TOPIC_IDS].sort());
    for (const t of kb.topics) {
      expect(t.examples.length).toBeGreaterThanOrEqual(8);
      expect(t.examples.length).toBeLessThanOrEqual(40);
      expect(t.label.length).toBeLessThanOrEqual(40);
    }
    expect(new Set(kb.topics.map((t) => t.label)).size).toBe(kb.topics.length);
    expect(kb.threshold).toBeGreaterThan(0);
    expect(kb.fallback).toContain('Je ne sais pas répondre');
    expect(kb.fallback).toContain('{{supportEmail}}');
  });

  it.each(Object.entries(KEY_FACTS))('the answer of %s contains its key facts', (id, facts) => {
    const answer = answerOf(id);
    for (const fact of facts) expect(answer, `${id}: « ${fact} »`).toContain(fact);
  });

  it('fills its variables from the configuration: no literal Kit price, no unknown variable', () => {
    expect(literalFigures(kb, fileVars)).toEqual([]);
    // The guard itself: a price typed back into an answer is found (the one of the file, and a staff override's).
    const typed = structuredClone(kb);
    typed.topics.find((t) => t.id === 'fees-commission')!.answer += ' Soit 77 € HT par an.';
    expect(literalFigures(typed, fileVars)).toEqual([expect.stringContaining('fees-commission: 77 €')]);
    const cents = structuredClone(kb);
    cents.topics.find((t) => t.id === 'cost-kit')!.answer += ' (89,50€ HT)';
    expect(
      literalFigures(cents, faqVariables({ ...loadConfig(), kit: { priceHtEur: 89.5, period: 'an' } })),
    ).toHaveLength(1);
    const address = structuredClone(kb);
    address.humanOnly.answer += ' Écrivez à support@aptic.fr.';
    expect(literalFigures(address, fileVars)).toEqual([expect.stringContaining('humanOnly: support@aptic.fr')]);
    // An amount is matched whole: a Kit price of 10 € would clash with the pass value, one of 7 € clashes with nothing.
    expect(literalFigures(kb, faqVariables({ ...loadConfig(), kit: { priceHtEur: 10, period: 'an' } }))).not.toEqual(
      [],
    );
    expect(literalFigures(kb, faqVariables({ ...loadConfig(), kit: { priceHtEur: 7, period: 'an' } }))).toEqual([]);

    // Unknown or malformed variables are refused when the file is loaded, with the known ones listed.
    const unknown = structuredClone(kb);
    unknown.topics[0]!.answer += ' Prix : {{kitPrix}} €.';
    expect(() => parseKnowledgeBase(unknown)).toThrow(KnowledgeBaseError);
    expect(() => parseKnowledgeBase(unknown)).toThrow(/topics\.0\.answer: variable inconnue \{\{kitPrix\}\}.*kitPrice/);
    const malformed = structuredClone(kb);
    malformed.fallback += ' {{ support email }}';
    expect(() => parseKnowledgeBase(malformed)).toThrow(/fallback: accolades/);
    // Every variable used renders: nothing is left between braces.
    for (const [where, text] of answerTexts(kb)) expect(renderTemplate(text, fileVars), where).not.toContain('{{');
  });

  it('formats the configured price the French way', () => {
    const withPrice = (priceHtEur: number) => faqVariables({ ...loadConfig(), kit: { priceHtEur, period: 'an' } });
    expect(withPrice(77)).toEqual({ supportEmail: 'support@aptic.fr', kitPrice: '77', kitPeriod: 'an' });
    expect(withPrice(77.5).kitPrice).toBe('77,50');
    expect(withPrice(1200).kitPrice).toBe('1\u202f200');
    expect(answerOf('cost-kit')).toContain('77 € HT par an');
    expect(renderTemplate(templateOf('cost-kit'), withPrice(89.9))).toContain('89,90 € HT par an');
  });

  // Issue 14: answers are read by an actor today, not research notes: no dated reports, no old product name, no
  // history of the company stated as a fact about payments; sensitive subjects say a person will answer.
  it('reads as current: no research-note wording, sensitive subjects handed to a person', () => {
    for (const [where, text] of answerTexts(kb)) {
      expect(text, where).not.toMatch(
        /mentionnée? en 20|SERVICE KIT|texte fondateur|liquidation|momentanément|\b202[0-4]\b/i,
      );
      expect(text, where).not.toContain("'");
    }
    expect(kb.humanOnly.answer).toContain('une personne de l’équipe vous répondra');
    expect(kb.topics.find((t) => t.id === 'reimbursement')!.handover).toBe(true);
    const matcher = createFaqMatcher(kb);
    for (const q of [
      'je veux faire une réclamation',
      'on a toujours pas été payé depuis 3 mois',
      'APTIC est en liquidation ?',
    ]) {
      const r = matcher.match(q);
      expect(r.topic, q).toBeNull();
      expect(r.handover, q).toBe(true);
    }
  });

  it('never promises a payment date', () => {
    const money = `${answerOf('reimbursement')} ${answerOf('fees-commission')}`;
    expect(money).not.toMatch(/\ble \d{1,2}(er)? (du|de chaque) mois\b/i);
    expect(money).not.toMatch(/\bsous \d+ jours\b/i);
  });

  const domainDocs = (['faq-topics.md', 'domain.md'] as const).map(handbookPath);
  it('uses only figures that the domain documents give', () => {
    const numbers = (s: string) =>
      new Set(
        (s.replace(/(\d)[  ](\d{3})\b/g, '$1$2').match(/\d+(?:[.,]\d+)?/g) ?? []).map((n) => n.replace(',', '.')),
      );
    const known = new Set(domainDocs.flatMap((p) => [...numbers(readFileSync(p, 'utf8'))]));
    // 1..3 are list numbering and "3 niveaux"; step numbers up to 8 are the 8 steps of faq-topics.md.
    for (const n of ['1', '2', '3', '4', '5', '6', '7', '8']) known.add(n);
    for (const t of kb.topics) for (const n of numbers(t.answer)) expect(known, `${t.id}: ${n}`).toContain(n);
  });

  // A published version is one DynamoDB item holding the knowledge base gzipped in base64, without the merged
  // evaluation sets (shared/usecases/console/knowledge-base.ts: they ship with the code and are most of the file);
  // DynamoDB refuses items over 400 KB. This fails early, with room left for staff edits, before a publish would.
  it('fits one DynamoDB item once published (gzipped, base64 ≤ 300 KB of the 400 KB limit)', () => {
    const stored = gzipSync(Buffer.from(JSON.stringify(withoutTrainingSets(kb)), 'utf8')).toString('base64');
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(300 * 1024);
  });

  it('rejects an invalid file with French messages', () => {
    const broken = { ...structuredClone(kb), threshold: 2 };
    broken.topics[0]!.examples = ['un seul exemple'];
    expect(() => parseKnowledgeBase(broken)).toThrow(KnowledgeBaseError);
    expect(() => parseKnowledgeBase(broken)).toThrow(/threshold/);
    const dup = structuredClone(kb);
    dup.topics[1]!.id = dup.topics[0]!.id;
    expect(() => parseKnowledgeBase(dup)).toThrow(/en double/);
    expect(() => loadKnowledgeBase('/nonexistent/kb.json')).toThrow(KnowledgeBaseError);
  });

  it('renders placeholders and leaves unknown ones visible', () => {
    expect(renderTemplate('écrivez à {{supportEmail}} ({{x}})', { supportEmail: 'a@b.fr' })).toBe(
      'écrivez à a@b.fr ({{x}})',
    );
  });

  it("matches each topic's canonical question to its topic, with its answer", () => {
    const matcher = createFaqMatcher(kb, { supportEmail: 'aide@example.org' });
    for (const t of kb.topics) {
      const r = matcher.match(t.question, { kitPrice: '77', kitPeriod: 'an' });
      expect(r.topic, t.question).toBe(t.id);
      expect(r.answer).not.toContain('{{');
    }
    expect(matcher.match(kb.topics[1]!.question).answer).toContain('aide@example.org');
    // Variables passed at answer time win over the build-time ones; the match itself does not move.
    const q = kb.topics.find((t) => t.id === 'cost-kit')!.question;
    const now = matcher.match(q, { ...fileVars, kitPrice: '90' });
    expect(now.answer).toContain('90 € HT par an');
    expect({ ...now, answer: null }).toEqual({ ...matcher.match(q), answer: null });
    expect(matcher.match(kb.topics[1]!.question, { supportEmail: 'x@y.fr' }).answer).toContain('x@y.fr');
  });
});

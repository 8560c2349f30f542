import { luhnValid } from '../../shared/domain/siret.js';

/** The example document of ../shared/application.md, as written there (one definition for every test and bench). */
export function exampleDocument() {
  return {
    profil: 'producteur',
    structure: {
      nom: 'Clic Solidaire',
      siret: '732 829 320 00074' as string | null,
      forme_juridique: 'association',
      demandeur_est_representant_legal: true,
      demandeur_mandate: true,
      representant_legal: { nom: 'Claire Martin', courriel: 'claire.martin@clic-solidaire.fr' },
      compte_bancaire: true,
      siret_deja_utilise: 'non',
    },
    lieux: [
      {
        nom: 'Clic Solidaire — Beaubreuil',
        adresse: '12 rue des Lilas',
        code_postal: '87280',
        commune: 'Limoges',
        horaires: 'Mo-Fr 09:00-12:00,14:00-18:00',
        telephone: '+33555000000',
        accueil_inconditionnel: true,
      },
    ],
    activite: {
      mediation: true,
      services: ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'],
      modalites_accompagnement: ['Accompagnement individuel', 'Dans un atelier collectif'],
      lieux_d_intervention: ['lieu_propre'],
      frais_a_charge: ['Gratuit'],
      reste_a_charge_nul_accepte: true,
      heures_accueil_hebdo: 30,
    },
    equipe: {
      salaries: 2,
      benevoles: 3,
      services_civiques: 0,
      benevoles_encadres: true,
      dispositif_programmes_nationaux: ['Conseillers numériques'],
    },
    engagements: { charte: true, cgu: true, abonnement: 'oui', publication: true },
    contexte: { reseau: null, contact_territorial: 'non', campagne: null, utm: {} },
  };
}

export type ExampleDocument = ReturnType<typeof exampleDocument>;

/** The example document with another SIRET (or none) and top-level sections replaced. */
export function validApplication(overrides: { siret?: string | null; [k: string]: unknown } = {}): Record<string, any> {
  const { siret, ...rest } = overrides;
  const doc: Record<string, any> = { ...exampleDocument(), ...rest };
  if (siret !== undefined) doc.structure = { ...doc.structure, siret };
  return doc;
}

/**
 * A valid SIRET from its first 13 digits: the last digit is the one that makes the number pass the production
 * check (shared/domain/siret.ts), so test SIRETs can never drift from what the product accepts.
 */
export function completeSiret(first13: string): string {
  if (!/^\d{13}$/.test(first13)) throw new Error(`completeSiret: 13 digits expected, got ${first13}`);
  for (let d = 0; d <= 9; d++) {
    const candidate = `${first13}${d}`;
    if (luhnValid(candidate)) return candidate;
  }
  throw new Error('unreachable: one digit in ten completes a Luhn number');
}

/** Valid SIRETs (Luhn) generated from a SIREN-like counter, for tests that need many distinct actors. */
export function siretFor(n: number): string {
  return completeSiret(`${String(100000000 + n).slice(0, 9)}0001`);
}

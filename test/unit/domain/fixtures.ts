// The example document of application.md, and a builder for variants.
export function exampleDocument() {
  return {
    profil: 'producteur',
    structure: {
      nom: 'Clic Solidaire',
      siret: '732 829 320 00074',
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

/** A deep copy of the example, changed by `edit`. */
export function variant(edit: (d: ExampleDocument & Record<string, unknown>) => void): unknown {
  const d = exampleDocument() as ExampleDocument & Record<string, unknown>;
  edit(d);
  return d;
}

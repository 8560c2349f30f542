// The questions of ../shared/eligibility.md (B1…F2), one entry each: the French prompt, the kind of answer
// (kinds.ts), where it goes (a path like the document's), the hard gate it may trigger and what comes next. Limits are
// the document's (LIMITS in shared/domain/application.ts). Dialog modules (bot/dialogs/) arrange these questions; the
// summary re-asks them one by one for corrections.
import { findNetwork } from '../../shared/config/config.js';
import { LIMITS } from '../../shared/domain/application.js';
import { cleanLine, matchKey } from '../../shared/domain/text.js';
import { communeField } from './commune.js';
import { bad, type Field, getAt, ok, setAt } from './field.js';
import { choice, email, hours, multi, number, siret, text, yesNo } from './kinds.js';
import {
  ABONNEMENT_OPTIONS,
  FORME_OPTIONS,
  FRAIS_OPTIONS,
  MODALITE_OPTIONS,
  noneMeansEmpty,
  OUI_NON_NSP_OPTIONS,
  PRISE_EN_CHARGE_OPTIONS,
  PUBLICS_OPTIONS,
  SERVICE_OPTIONS,
  TRAINING_OPTIONS,
  TRAINING_SLOT,
  WHERE_OPTIONS,
} from './options.js';
import { documentsPhrase, promptConfig } from './prompts.js';

/**
 * How many places the chat collects (the default of config.maxPlaces): beyond, the team takes over (eligibility.md
 * C5). A chat rule, not the document's: the document accepts up to MAX_PLACES_DOCUMENT.
 */
const PLACES_IN_CHAT = { min: 1, max: 50, integer: true } as const;

/** A network name of one letter is a slip more often than a name: the chat asks for two (the document takes one). */
const NETWORK_NAME = { min: 2, max: LIMITS.contexte.reseau.max } as const;

export const FIELDS = {
  // ─── B: the structure ──────────────────────────────────────────────────────────────────────────────────────
  nom: text({
    key: 'nom',
    label: 'Nom de la structure',
    prompt: 'Quel est le nom de votre structure ?',
    at: ['structure', 'nom'],
    limits: LIMITS.structure.nom,
    what: 'Le nom',
  }),
  forme: choice({
    key: 'forme',
    label: 'Forme juridique',
    prompt: 'Quelle est sa forme juridique ?',
    options: FORME_OPTIONS,
    at: ['structure', 'forme_juridique'],
  }),
  siret: siret({
    key: 'siret',
    label: 'SIRET',
    prompt: 'Quel est le numéro SIRET (14 chiffres) de l’établissement qui accueille le public ?',
    at: ['structure', 'siret'],
    // No limit on tries (issue 14): a slip re-asks with where to find the number; « pas de siret » is said back
    // with what it means before the questionnaire stops.
    gate: (v) => (v === null ? 'siret_missing' : null),
  }),
  siretDejaUtilise: choice({
    key: 'siretDejaUtilise',
    label: 'Démarche déjà commencée avec ce SIRET',
    prompt: 'Quelqu’un de votre structure a-t-il déjà commencé une démarche #APTIC avec ce SIRET ?',
    options: OUI_NON_NSP_OPTIONS,
    at: ['structure', 'siret_deja_utilise'],
    note: (v) =>
      v === 'oui'
        ? 'Un SIRET ne peut servir qu’à une seule demande : si une démarche existe déjà, contactez le support avec votre SIRET. Vous pouvez tout de même continuer.'
        : null,
  }),
  siretDiffusible: choice({
    key: 'siretDiffusible',
    label: 'SIRET diffusible',
    prompt: 'Votre structure apparaît-elle dans l’annuaire des entreprises (SIRET « diffusible ») ?',
    options: OUI_NON_NSP_OPTIONS,
    at: ['structure', 'siret_diffusible'],
  }),
  representant: yesNo({
    key: 'representant',
    label: 'Vous êtes le ou la représentant·e légal·e',
    prompt: 'Êtes-vous le ou la représentant·e légal·e de la structure ?',
    at: ['structure', 'demandeur_est_representant_legal'],
    also: (s, v) => {
      if (v) delete s.draft.structure.demandeur_mandate;
    },
    next: (v) => (v ? 'contact' : 'mandat'),
  }),
  mandate: yesNo({
    key: 'mandate',
    label: 'Mandaté·e par la structure',
    prompt: 'Êtes-vous mandaté·e / reconnu·e par votre structure pour faire cette démarche ?',
    at: ['structure', 'demandeur_mandate'],
    gate: (v) => (v ? null : 'not_mandated'),
    next: () => 'contact',
  }),
  // The draft keeps the representative flat (representant_nom, representant_courriel); the document nests them in
  // structure.representant_legal (bot/state.ts, toApplicationDocument).
  repNom: text({
    key: 'repNom',
    label: 'Représentant·e légal·e',
    prompt: 'Quel est le nom (prénom et nom) du ou de la représentant·e légal·e ?',
    at: ['structure', 'representant_nom'],
    limits: LIMITS.structure.representant_legal.nom,
    what: 'Le nom',
  }),
  repEmail: email({
    key: 'repEmail',
    label: 'E-mail du ou de la représentant·e',
    prompt:
      'Et son adresse e-mail ? Préférez une adresse durable de la structure (contact@…) plutôt qu’une adresse personnelle.',
    at: ['structure', 'representant_courriel'],
  }),
  banque: yesNo({
    key: 'banque',
    label: 'Compte bancaire au nom de la structure',
    prompt:
      'La structure dispose-t-elle d’un compte bancaire à son nom (IBAN) pour recevoir les remboursements ? (Ne donnez pas l’IBAN ici : il sera demandé plus tard dans votre espace demandeur, une page sécurisée dont le lien de connexion vous est envoyé par e-mail — ou écrivez-moi plus tard « j’ai déjà fait une demande » pour le recevoir.)',
    at: ['structure', 'compte_bancaire'],
    gate: (v) => (v ? null : 'no_bank_account'),
  }),

  // ─── C: the activity and its places ────────────────────────────────────────────────────────────────────────
  mediation: yesNo({
    key: 'mediation',
    label: 'Accompagnements au numérique',
    prompt:
      'Proposez-vous des accompagnements aux usages du numérique pour le public (ateliers, aide aux démarches en ligne, prise en main d’outils…) ?',
    at: ['activite', 'mediation'],
    gate: (v) => (v ? null : 'no_mediation_activity'),
  }),
  services: multi({
    key: 'services',
    label: 'Types d’accompagnement',
    prompt: 'Quels types d’accompagnement proposez-vous ?',
    options: SERVICE_OPTIONS,
    at: ['activite', 'services'],
  }),
  modalites: multi({
    key: 'modalites',
    label: 'Formes d’accompagnement',
    prompt: 'Sous quelle forme ?',
    options: MODALITE_OPTIONS,
    at: ['activite', 'modalites_accompagnement'],
  }),
  where: multi({
    key: 'where',
    label: 'Où vous accompagnez',
    prompt: 'Où accompagnez-vous les personnes ?',
    options: WHERE_OPTIONS,
    at: ['activite', 'lieux_d_intervention'],
    next: (v) => (v.includes('lieu_propre') || v.includes('itinerant') ? 'count' : null),
  }),
  nombreLieux: number({
    key: 'nombreLieux',
    label: 'Nombre de lieux',
    prompt: 'Combien de lieux (points de présence) accueillent le public ?',
    at: ['activite', 'nombre_lieux'],
    range: PLACES_IN_CHAT,
    messages: {
      notNumber: 'Indiquez un nombre entier de lieux (par exemple « 1 »).',
      tooHigh: `Au-delà de ${PLACES_IN_CHAT.max} lieux, l’équipe vous accompagnera directement : indiquez ici vos principaux lieux (${PLACES_IN_CHAT.max} au maximum).`,
      tooLow: `Indiquez au moins ${PLACES_IN_CHAT.min} lieu.`,
    },
    note: (v) =>
      v > 1
        ? 'Plusieurs lieux : une seule qualification par SIRET ; les points de présence se gèrent ensuite dans la console.'
        : null,
  }),
  // One place (C5a–C5d): the answers go to state.lieu, which the places dialog appends to draft.lieux.
  lieuAdresse: text({
    key: 'lieuAdresse',
    prompt: (vars) => `Adresse du lieu${String(vars.lieuLabel ?? '')} (numéro et voie) ?`,
    at: ['lieu', 'adresse'],
    limits: LIMITS.lieux.adresse,
    what: 'L’adresse',
    messages: {
      tooShort: 'Indiquez le numéro et la voie (par exemple « 12 rue des Lilas »).',
      tooLong: `L’adresse : ${LIMITS.lieux.adresse.max} caractères au maximum, s’il vous plaît.`,
    },
  }),
  lieuCommune: communeField('lieuCommune', 'Code postal et commune ? (par exemple « 87000 Limoges »)'),
  lieuHoraires: hours({
    key: 'lieuHoraires',
    prompt:
      'Jours et horaires d’accueil du public ? (par exemple « Mo-Fr 09:00-12:00,14:00-18:00 » ou en toutes lettres)',
    at: ['lieu', 'horaires'],
    max: LIMITS.lieux.horaires.max,
  }),
  lieuAccueil: yesNo({
    key: 'lieuAccueil',
    prompt: 'Ce lieu accueille-t-il sans condition toute personne (pas seulement vos adhérents ou usagers habituels) ?',
    at: ['lieu', 'accueil_inconditionnel'],
  }),
  heures: number({
    key: 'heures',
    label: 'Heures d’accueil par semaine',
    prompt: 'Combien d’heures par semaine, au total, le public peut-il être accueilli ?',
    at: ['activite', 'heures_accueil_hebdo'],
    range: LIMITS.activite.heures_accueil_hebdo,
    unit: 'h',
  }),
  frais: multi({
    key: 'frais',
    label: 'Vos accompagnements sont',
    prompt: 'Vos accompagnements sont-ils :',
    options: FRAIS_OPTIONS,
    at: ['activite', 'frais_a_charge'],
    next: (v) => (v.includes('Payant') ? 'payant' : null),
  }),
  tarif: number({
    key: 'tarif',
    label: 'Tarif d’une séance type',
    prompt: 'Quel est le tarif d’une séance type (en €) ?',
    at: ['activite', 'tarif_seance_eur'],
    range: LIMITS.activite.tarif_seance_eur,
    unit: '€',
  }),
  resteACharge: yesNo({
    key: 'resteACharge',
    label: 'Un pass de 10 € couvre une séance',
    prompt:
      'Accepteriez-vous qu’un pass de 10 € couvre entièrement une séance (aucun reste à charge pour la personne) ?',
    at: ['activite', 'reste_a_charge_nul_accepte'],
  }),

  // ─── D: the team ───────────────────────────────────────────────────────────────────────────────────────────
  salaries: number({
    key: 'salaries',
    label: 'Médiateurs salariés',
    prompt: 'Combien de médiateurs·trices salarié·e·s (ou agents) accompagnent le public ?',
    at: ['equipe', 'salaries'],
    range: LIMITS.equipe.salaries,
  }),
  benevoles: number({
    key: 'benevoles',
    label: 'Bénévoles',
    prompt: 'Combien de bénévoles ?',
    at: ['equipe', 'benevoles'],
    range: LIMITS.equipe.benevoles,
  }),
  servicesCiviques: number({
    key: 'servicesCiviques',
    label: 'Volontaires en service civique',
    prompt: 'Combien de volontaires en service civique ?',
    at: ['equipe', 'services_civiques'],
    range: LIMITS.equipe.services_civiques,
    next: (v, s) => (v + (s.draft.equipe.benevoles ?? 0) > 0 ? 'encadrement' : 'formation'),
  }),
  encadres: yesNo({
    key: 'encadres',
    label: 'Bénévoles encadrés par un·e salarié·e',
    prompt: 'Les bénévoles et services civiques sont-ils encadrés par un·e référent·e salarié·e ?',
    at: ['equipe', 'benevoles_encadres'],
    next: () => 'formation',
  }),
  formations: multi({
    key: 'formations',
    label: 'Formations et dispositifs',
    prompt: 'Vos intervenants ont-ils une formation ou un dispositif reconnu ?',
    options: TRAINING_OPTIONS,
    at: TRAINING_SLOT,
  }),

  // ─── E: publics ────────────────────────────────────────────────────────────────────────────────────────────
  publics: multi({
    key: 'publics',
    label: 'Publics accueillis en priorité',
    prompt: 'Accueillez-vous en priorité ou spécifiquement certains publics ?',
    options: PUBLICS_OPTIONS,
    at: noneMeansEmpty(['activite', 'publics_specifiquement_adresses'], 'tout_public', 'tout public'),
  }),
  priseEnCharge: multi({
    key: 'priseEnCharge',
    label: 'Besoins particuliers',
    prompt: 'Pouvez-vous accompagner des personnes ayant des besoins particuliers ?',
    options: PRISE_EN_CHARGE_OPTIONS,
    at: noneMeansEmpty(['activite', 'prise_en_charge_specifique'], 'aucune', 'aucune'),
  }),

  // ─── E: commitments ────────────────────────────────────────────────────────────────────────────────────────
  // The Charte and the CGU are asked once, together and linked (issue 14 item 5); the signature comes after review.
  charte: yesNo({
    key: 'charte',
    label: 'Charte et conditions générales acceptées',
    prompt: (vars) =>
      `Acceptez-vous ${documentsPhrase(vars)} ? Lisez-les avant de répondre ; vous les signerez une seule fois, après l’examen de votre demande.`,
    at: ['engagements', 'charte'],
    also: (s, v) => {
      s.draft.engagements.cgu = v;
    },
    gate: (v) => (v ? null : 'charter_refused'),
  }),
  // Kept for the summary of an application answered before the two were asked together (never asked now).
  cgu: yesNo({
    key: 'cgu',
    label: 'Conditions générales acceptées',
    prompt: 'Acceptez-vous les conditions générales ?',
    at: ['engagements', 'cgu'],
    gate: (v) => (v ? null : 'cgu_refused'),
  }),
  abonnement: choice({
    key: 'abonnement',
    label: 'Abonnement #APTIC (Kit)',
    prompt: (vars) => {
      const cfg = promptConfig(vars);
      return `Une fois qualifié·e, l’abonnement #APTIC (Kit) coûte ${cfg.kitPrice} € HT/${cfg.kitPeriod}, facturé à la finalisation. Est-ce acceptable pour votre structure ?`;
    },
    options: ABONNEMENT_OPTIONS,
    at: ['engagements', 'abonnement'],
    retry: 'Répondez « oui », « non » ou « je dois demander ».',
    gate: (v) => (v === 'non' ? 'subscription_refused' : null),
    note: (v) =>
      v === 'a_confirmer'
        ? 'Noté : l’équipe #APTIC examinera tout de même votre demande. Vous confirmerez l’abonnement après l’examen, depuis votre espace demandeur (/espace) ou ici en écrivant « Signer mes engagements ».'
        : null,
  }),
  publication: yesNo({
    key: 'publication',
    label: 'Publication sur la carte',
    prompt:
      'Acceptez-vous que le nom, l’adresse, les horaires et les services de vos lieux soient publiés sur la carte des acteurs qualifiés ?',
    at: ['engagements', 'publication'],
  }),

  // ─── F: the route (network, territory) ─────────────────────────────────────────────────────────────────────
  // Only « no » is stored (no network); « yes » is stored by the next question, the network's name.
  reseauMembre: choice({
    key: 'reseauMembre',
    label: 'Membre d’un réseau partenaire',
    prompt: 'Votre structure est-elle membre d’un réseau ayant signé un accord de coopération avec #APTIC ?',
    options: OUI_NON_NSP_OPTIONS,
    at: {
      path: ['contexte', 'reseau'],
      read: (s) => (s.draft.contexte.reseau ? 'oui' : undefined),
      write: (s, v) => {
        if (v !== 'oui') setAt(s, ['contexte', 'reseau'], null);
      },
    },
    next: (v, s) => (v === 'oui' ? 'reseau' : s.campaign && s.campaign.kind !== 'network' ? null : 'territoire'),
  }),
  reseau: {
    key: 'reseau',
    label: 'Réseau',
    path: ['contexte', 'reseau'],
    question: {
      text: (vars) => {
        const names = promptConfig(vars).networks;
        return `Lequel ? ${names.length ? `(réseaux partenaires : ${names.join(', ')})` : ''}`.trim();
      },
      quickReplies: (vars) => [
        ...promptConfig(vars).networks.map((n) => ({ title: n, payload: n })),
        { title: 'Un autre réseau', payload: 'autre' },
      ],
    },
    freeText: true,
    parse: (t, ctx) => {
      const v = cleanLine(t);
      if (v.length < NETWORK_NAME.min || v.length > NETWORK_NAME.max)
        return bad(`Indiquez le nom du réseau (${NETWORK_NAME.max} caractères au maximum).`);
      if (matchKey(v) === 'autre' || matchKey(v) === 'un autre reseau') return bad('Quel est le nom de ce réseau ?');
      return ok(findNetwork(ctx.config, v)?.name ?? v);
    },
    apply: (s, v) => setAt(s, ['contexte', 'reseau'], v),
    next: (_v, s) => (s.campaign && s.campaign.kind !== 'network' ? null : 'territoire'),
    show: (s) => {
      const v = getAt(s, ['contexte', 'reseau']);
      return typeof v === 'string' ? v : null;
    },
  } satisfies Field<string>,
  territorial: choice({
    key: 'territorial',
    label: 'Contact territorial (Hub, collectivité, #APTIC Tour)',
    prompt:
      'Des pass #APTIC sont-ils (ou vont-ils être) distribués sur votre territoire ? Avez-vous été contacté·e par un Hub, une collectivité ou lors d’un #APTIC Tour ?',
    options: OUI_NON_NSP_OPTIONS,
    at: ['contexte', 'contact_territorial'],
  }),
} as const;

export type FieldKey = keyof typeof FIELDS;
export const fieldByKey = (key: string): Field | undefined => (FIELDS as unknown as Record<string, Field>)[key];

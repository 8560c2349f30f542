// Catalogue of the reasons (why a status) and flags (soft warnings) a decision can carry, with the French message
// shown to the actor and the FAQ topic (ids of ../shared/faq-topics.md) that explains it.
// Wording rule (eligibility.md §G): never claim a qualification ("vous êtes qualifié·e"); APTIC decides.

export const FAQ_TOPICS = [
  'what-is-pass',
  'become-qualified',
  'qualification-routes',
  'who-can-qualify',
  'home-independent',
  'eligibility-criteria',
  'documents-needed',
  'siret-issues',
  'qualification-delay',
  'cost-kit',
  'charter-commitments',
  'reimbursement',
  'fees-commission',
  'pass-value-validity',
  'scan-pass',
  'service-catalogue',
  'free-services',
  'ratio-consolidateur',
  'territorial-coverage',
  'map-listing',
  'hubs-support',
  'beneficiary-get-pass',
  'order-passes',
  'public-structure-regie',
  'multi-sites',
  // Added by issue 14 (not in faq-topics.md): the actor's way back to an application (sign-in link, /espace).
  'find-my-application',
] as const;
export type FaqTopic = (typeof FAQ_TOPICS)[number];

export interface Finding {
  code: string;
  message: string;
  topic?: string;
}

export interface CatalogueEntry {
  message: string;
  topic?: FaqTopic;
}

export const REASONS = {
  // redirect (profil ≠ producteur)
  redirect_financeur: {
    message:
      "Ce parcours s'adresse aux lieux qui accompagnent le public. Pour acheter des pass #APTIC, voici comment passer commande.",
    topic: 'order-passes',
  },
  redirect_prescripteur: {
    message:
      "Ce parcours s'adresse aux lieux qui accompagnent le public. Pour obtenir des pass à distribuer, voici comment ils se commandent.",
    topic: 'order-passes',
  },
  redirect_particulier: {
    message:
      'Les pass ne sont pas vendus aux particuliers : ils sont remis par un organisme près de chez vous. Voici comment en obtenir et où les utiliser.',
    topic: 'beneficiary-get-pass',
  },
  redirect_autre: {
    message:
      "Ce parcours s'adresse aux structures qui accompagnent le public au numérique. Voici qui peut se qualifier ; pour toute autre demande, écrivez au support.",
    topic: 'who-can-qualify',
  },
  // hard gates → not_eligible_yet
  siret_missing: {
    message:
      "Un numéro SIRET est obligatoire pour demander la qualification (un numéro RNA seul ne suffit pas). Obtenez d'abord un SIRET auprès de l'INSEE, puis revenez.",
    topic: 'siret-issues',
  },
  not_mandated: {
    message:
      'La démarche doit être faite par le ou la représentant·e légal·e de la structure, ou par une personne mandatée par elle. Demandez ce mandat, puis revenez.',
    topic: 'become-qualified',
  },
  no_bank_account: {
    message:
      'Un compte bancaire au nom de la structure est nécessaire : les pass sont remboursés chaque mois par virement. Ouvrez-en un, puis revenez.',
    topic: 'reimbursement',
  },
  no_mediation_activity: {
    message:
      "Le pass #APTIC paie des accompagnements au numérique (ateliers, aide aux démarches, prise en main d'outils). Sans cette activité, la qualification n'est pas possible pour l'instant.",
    topic: 'who-can-qualify',
  },
  charter_refused: {
    message: "L'acceptation de la Charte #APTIC (engagements réciproques) est un préalable à toute qualification.",
    topic: 'charter-commitments',
  },
  cgu_refused: {
    message: "L'acceptation des conditions générales (CGVU des fournisseurs qualifiés) est nécessaire pour poursuivre.",
    topic: 'charter-commitments',
  },
  subscription_refused: {
    message:
      "L'abonnement #APTIC (Kit, facturé à la finalisation de la qualification) fait partie des conditions. Sans lui, la qualification n'est pas possible.",
    topic: 'cost-kit',
  },
  // needs_human_review
  distance_only: {
    message:
      "Un accompagnement uniquement à distance n'est pas prévu par la feuille de route actuelle : un membre de l'équipe APTIC examinera votre demande.",
    topic: 'home-independent',
  },
  too_many_places: {
    message: "Votre demande compte un grand nombre de lieux : un membre de l'équipe APTIC l'examinera avec vous.",
    topic: 'multi-sites',
  },
  review_soft_flags: {
    message:
      "Plusieurs points de votre demande méritent un échange : un membre de l'équipe APTIC l'examinera avant la suite.",
    topic: 'eligibility-criteria',
  },
  // pending_confirmation
  subscription_pending: {
    message:
      "Votre demande est transmise à l'équipe #APTIC, qui l'examine. Il restera à confirmer l'abonnement #APTIC : vous le ferez après l'examen, depuis votre espace demandeur (/espace) ou ici en écrivant « Signer mes engagements ».",
    topic: 'cost-kit',
  },
  // eligible_waitlist
  phase_closed: {
    message:
      "Votre activité relève d'une phase de la feuille de route qui n'est pas encore ouverte (conventionnement ou accompagnement à domicile à venir). Nous enregistrons votre intérêt.",
    topic: 'home-independent',
  },
  // route (any status): the réseau route was asked for but the SIRET is on no member list of a network in force
  network_membership_not_found: {
    message:
      "Votre SIRET ne figure pas sur la liste des membres d'un réseau ayant une convention de coopération en vigueur avec #APTIC (dates, phases et départements couverts) : votre demande suit le parcours territorial ou libre. Si votre structure est membre, demandez à votre réseau de la déclarer.",
    topic: 'eligibility-criteria',
  },
  volume_cap_reached: {
    message:
      "Votre profil semble compatible, mais la qualification est limitée en volume sur votre département : votre demande est placée en liste d'attente.",
    topic: 'ratio-consolidateur',
  },
  // eligible_waitlist: the département's cap derived from the passes injected there (docs/territory.md)
  volume_cap_passes: {
    message:
      "Votre profil semble compatible. Dans votre département, les passes #APTIC distribués ces 12 derniers mois permettent de faire vivre un nombre limité d'acteurs qualifiés, et ce nombre est atteint : pour que chacun garde un revenu suffisant, votre demande est placée en liste d'attente. Elle pourra reprendre quand une place se libère ou quand de nouveaux passes sont distribués dans le département.",
    topic: 'ratio-consolidateur',
  },
} as const satisfies Record<string, CatalogueEntry>;
export type ReasonCode = keyof typeof REASONS;

export const FLAGS = {
  regie_required: {
    message:
      "Une structure publique doit disposer d'une régie de recettes autorisée à encaisser ce type de titres (art. R.1617-7 CGCT). APTIC fournit une attestation.",
    topic: 'public-structure-regie',
  },
  siret_possibly_used: {
    message:
      "Un SIRET ne peut servir qu'à une seule demande : si une démarche a déjà été commencée avec ce numéro, contactez le support avec votre SIRET.",
    topic: 'siret-issues',
  },
  siret_non_diffusible: {
    message:
      "Votre SIRET doit être « diffusible » dans l'annuaire des entreprises : demandez-le à l'INSEE pour que votre structure puisse être vérifiée.",
    topic: 'siret-issues',
  },
  no_accompaniment_service: {
    message:
      "Le pass finance un accompagnement : l'accès à internet ou la vente de matériel seuls ne suffisent pas. Précisez les accompagnements proposés.",
    topic: 'service-catalogue',
  },
  autonomy_only: {
    message:
      'Vous indiquez seulement un usage en autonomie : le pass finance un accompagnement (individuel, en atelier ou à distance).',
    topic: 'service-catalogue',
  },
  multi_sites: {
    message:
      'Plusieurs lieux : une seule qualification par SIRET ; les points de présence et les membres se gèrent ensuite dans la console.',
    topic: 'multi-sites',
  },
  closed_public: {
    message:
      "Un de vos lieux n'accueille pas tout public : #APTIC vise aussi les personnes qui ne fréquentent pas encore les lieux.",
    topic: 'eligibility-criteria',
  },
  low_opening_hours: {
    message:
      "L'amplitude d'accueil du public indiquée est faible ; ce point sera regardé lors de l'examen (ce n'est pas un critère éliminatoire).",
    topic: 'eligibility-criteria',
  },
  no_zero_remaining_cost: {
    message:
      "APTIC vérifie qu'un pass de 10 € peut couvrir entièrement une séance (aucun reste à charge pour la personne).",
    topic: 'free-services',
  },
  supervision_weak: {
    message:
      "L'encadrement des bénévoles et des volontaires en service civique par un·e référent·e salarié·e est un critère regardé par APTIC.",
    topic: 'eligibility-criteria',
  },
  no_training: {
    message:
      'Aucune formation ni dispositif reconnu déclaré pour vos intervenants : les compétences des médiateurs seront de plus en plus regardées.',
    topic: 'eligibility-criteria',
  },
  no_publication: {
    message:
      "Les lieux qualifiés apparaissent sur la carte publique des acteurs #APTIC ; votre refus de publication sera examiné par l'équipe.",
    topic: 'map-listing',
  },
  home_services_later: {
    message:
      "Votre lieu peut être examiné dès maintenant ; l'accompagnement à domicile relève d'une phase ultérieure de la feuille de route.",
    topic: 'home-independent',
  },
  subscription_to_confirm: {
    message: "L'abonnement #APTIC (Kit) reste à confirmer par votre structure avant la suite de la démarche.",
    topic: 'cost-kit',
  },
  campaign_unknown: {
    message: "Le lien d'invitation utilisé n'est pas reconnu : votre demande suit le parcours habituel.",
    topic: 'qualification-routes',
  },
  network_without_agreement: {
    message:
      "Le réseau indiqué n'a pas (encore) d'accord de coopération avec #APTIC enregistré : votre demande suit un autre parcours.",
    topic: 'qualification-routes',
  },
  opening_hours_unparsed: {
    message:
      "Les horaires n'ont pas pu être lus automatiquement : ils sont conservés tels quels et seront vérifiés par l'équipe.",
  },
} as const satisfies Record<string, CatalogueEntry>;
export type FlagCode = keyof typeof FLAGS;

/** Flags that count toward the "needs human review" threshold (eligibility.md §G). */
export const SOFT_FLAGS: ReadonlySet<FlagCode> = new Set<FlagCode>([
  'supervision_weak',
  'no_zero_remaining_cost',
  'autonomy_only',
  'closed_public',
  'low_opening_hours',
  'no_training',
  'no_accompaniment_service',
]);

function toFinding(code: string, entry: CatalogueEntry): Finding {
  return Object.freeze(
    entry.topic ? { code, message: entry.message, topic: entry.topic } : { code, message: entry.message },
  );
}

// Findings are immutable and shared: building a decision does not allocate them.
const REASON_FINDINGS = Object.fromEntries(
  Object.entries(REASONS).map(([k, v]) => [k, toFinding(k, v as CatalogueEntry)]),
) as Record<ReasonCode, Finding>;
const FLAG_FINDINGS = Object.fromEntries(
  Object.entries(FLAGS).map(([k, v]) => [k, toFinding(k, v as CatalogueEntry)]),
) as Record<FlagCode, Finding>;

export function reason(code: ReasonCode): Finding {
  return REASON_FINDINGS[code];
}

export function flag(code: FlagCode): Finding {
  return FLAG_FINDINGS[code];
}

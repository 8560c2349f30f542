// Dialog ids: one constant per dialog module, used to compose them (addChildDialog / beginDialog) and in tests.
export const WELCOME = 'welcome';
export const QUESTIONNAIRE = 'questionnaire';
export const IDENTITE = 'identite';
export const SIRET = 'siret';
export const REPRESENTANT = 'representant';
export const BANQUE = 'banque';
export const ACTIVITE = 'activite';
export const LIEUX = 'lieux';
export const LIEU = 'lieu';
export const ACCUEIL = 'accueil';
export const EQUIPE = 'equipe';
export const PUBLICS = 'publics';
export const ENGAGEMENTS = 'engagements';
export const ROUTE = 'route';
export const SUMMARY = 'summary';
export const COMMITMENTS = 'commitments';
export const SIGN_IN = 'sign-in';
/** The questionnaire from B3b on, when a SIRET is typed after « pas de SIRET » stopped it (issue 14). */
export const SIRET_RESUME = 'siret-resume';
/** The welcome's button (and what people type) to get back to an application already made: the sign-in dialog. */
export const ALREADY_APPLIED = 'J’ai déjà fait une demande';

/** The questionnaire's sections, in order (also what the summary re-runs to correct a branching answer). */
export const SECTIONS = [
  IDENTITE,
  SIRET,
  REPRESENTANT,
  BANQUE,
  ACTIVITE,
  LIEUX,
  ACCUEIL,
  EQUIPE,
  PUBLICS,
  ENGAGEMENTS,
  ROUTE,
] as const;
export type SectionId = (typeof SECTIONS)[number];

export const editDialogId = (target: string): string => `edit:${target}`;

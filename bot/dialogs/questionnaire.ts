// The eligibility questionnaire (../shared/eligibility.md B–F) as small section dialogs composed by QUESTIONNAIRE.
// Branches are Botkit threads chosen by a field's `next`; the places loop re-enters its thread once per place.
import { FIELDS, type Field, lieuLabel } from '../fields/index.js';
import { campaignRoute } from './campaign.js';
import { addSection, askField, type BotDeps, type ChatBot, makeDialog } from './form.js';
import {
  ACCUEIL,
  ACTIVITE,
  BANQUE,
  ENGAGEMENTS,
  EQUIPE,
  editDialogId,
  IDENTITE,
  LIEU,
  LIEUX,
  PUBLICS,
  QUESTIONNAIRE,
  REPRESENTANT,
  ROUTE,
  SECTIONS,
  type SectionId,
  SIRET,
  SIRET_RESUME,
  SUMMARY,
} from './ids.js';

/** Fields of each section, in the order the summary lists them. */
export const SECTION_FIELDS: Record<SectionId, Field[]> = {
  [IDENTITE]: [FIELDS.nom, FIELDS.forme],
  [SIRET]: [FIELDS.siret, FIELDS.siretDejaUtilise, FIELDS.siretDiffusible],
  [REPRESENTANT]: [FIELDS.representant, FIELDS.mandate, FIELDS.repNom, FIELDS.repEmail],
  [BANQUE]: [FIELDS.banque],
  [ACTIVITE]: [FIELDS.mediation, FIELDS.services, FIELDS.modalites],
  [LIEUX]: [FIELDS.where, FIELDS.nombreLieux],
  [ACCUEIL]: [FIELDS.heures, FIELDS.frais, FIELDS.tarif, FIELDS.resteACharge],
  [EQUIPE]: [FIELDS.salaries, FIELDS.benevoles, FIELDS.servicesCiviques, FIELDS.encadres, FIELDS.formations],
  [PUBLICS]: [FIELDS.publics, FIELDS.priseEnCharge],
  [ENGAGEMENTS]: [FIELDS.charte, FIELDS.abonnement, FIELDS.publication],
  [ROUTE]: [FIELDS.reseauMembre, FIELDS.reseau, FIELDS.territorial],
} as Record<SectionId, Field[]>;

/** What the summary re-asks to correct a field: the field alone, or its section when the answer opens a branch. */
export function editTargetOf(field: Field, section: SectionId): string {
  return field.next || section === LIEUX ? section : field.key;
}

export function defineQuestionnaire(bot: ChatBot, deps: BotDeps): void {
  const f = FIELDS as unknown as Record<string, Field>;
  const simple = (id: SectionId, keys: string[]) => {
    const d = makeDialog(bot, id, deps);
    for (const k of keys) askField(d, f[k]!, deps);
    return d;
  };

  simple(IDENTITE, ['nom', 'forme']);
  simple(SIRET, ['siret', 'siretDejaUtilise', 'siretDiffusible']);

  const rep = makeDialog(bot, REPRESENTANT, deps);
  askField(rep, FIELDS.representant, deps);
  askField(rep, FIELDS.mandate, deps, 'mandat');
  askField(rep, FIELDS.repNom, deps, 'contact');
  askField(rep, FIELDS.repEmail, deps, 'contact');

  simple(BANQUE, ['banque']);
  simple(ACTIVITE, ['mediation', 'services', 'modalites']);

  // One place: C5a–C5d, collected in state.lieu, then appended by LIEUX.
  const lieu = makeDialog(bot, LIEU, deps);
  lieu.before('default', async (convo, turn) => {
    turn.state.lieu = {};
    convo.setVar('lieuLabel', lieuLabel(turn.state));
  });
  for (const k of ['lieuAdresse', 'lieuCommune', 'lieuHoraires', 'lieuAccueil']) askField(lieu, f[k]!, deps);

  const lieux = makeDialog(bot, LIEUX, deps);
  lieux.before('default', async (_convo, turn) => {
    turn.state.draft.lieux = [];
    delete turn.state.draft.activite.nombre_lieux;
  });
  askField(lieux, FIELDS.where, deps);
  askField(lieux, FIELDS.nombreLieux, deps, 'count');
  lieux.addChildDialog(LIEU, 'lieu', 'count');
  lieux.addChildDialog(LIEU, 'lieu', 'loop');
  lieux.onChange('lieu', async (_value, convo, turn) => {
    convo.setVar('lieu', true);
    const s = turn.state;
    s.draft.lieux.push({ ...s.lieu });
    s.lieu = {};
    if (s.draft.lieux.length < (s.draft.activite.nombre_lieux ?? 1)) await convo.gotoThread('loop');
  });

  const accueil = makeDialog(bot, ACCUEIL, deps);
  askField(accueil, FIELDS.heures, deps);
  askField(accueil, FIELDS.frais, deps);
  askField(accueil, FIELDS.tarif, deps, 'payant');
  askField(accueil, FIELDS.resteACharge, deps, 'payant');

  const equipe = makeDialog(bot, EQUIPE, deps);
  askField(equipe, FIELDS.salaries, deps);
  askField(equipe, FIELDS.benevoles, deps);
  askField(equipe, FIELDS.servicesCiviques, deps);
  askField(equipe, FIELDS.encadres, deps, 'encadrement');
  askField(equipe, FIELDS.formations, deps, 'formation');

  simple(PUBLICS, ['publics', 'priseEnCharge']);
  simple(ENGAGEMENTS, ['charte', 'abonnement', 'publication']);

  // F1/F2, minus what the campaign link already settled (a network campaign gives the network; a territorial one
  // gives the territorial contact, and F1 is still asked because `reseau` outranks `territoriale`).
  const route = makeDialog(bot, ROUTE, deps);
  route.before('default', async (convo, turn) => {
    const c = turn.state.campaign;
    const settled = campaignRoute(c);
    if (settled === 'reseau' && c?.network) {
      turn.state.draft.contexte.reseau = c.network;
      await convo.stop();
    } else if (settled === 'territoriale') {
      turn.state.draft.contexte.contact_territorial = 'oui';
    }
  });
  askField(route, FIELDS.reseauMembre, deps);
  askField(route, FIELDS.reseau, deps, 'reseau');
  askField(route, FIELDS.territorial, deps, 'territoire');

  const q = makeDialog(bot, QUESTIONNAIRE, deps);
  q.say(
    'C’est parti ! Une trentaine de questions, une dizaine de minutes. Vous pouvez me poser une question à tout moment, faire une pause et revenir plus tard, ou écrire « recommencer ».',
  );
  for (const s of SECTIONS) addSection(q, s);
  q.addGotoDialog(SUMMARY);

  // A SIRET typed after « pas de SIRET » stopped the questionnaire: the rest of it, B1–B3 kept (chat-bot.ts).
  const resume = makeDialog(bot, SIRET_RESUME, deps);
  askField(resume, FIELDS.siretDejaUtilise, deps);
  askField(resume, FIELDS.siretDiffusible, deps);
  for (const s of SECTIONS.slice(SECTIONS.indexOf(SIRET) + 1)) addSection(resume, s);
  resume.addGotoDialog(SUMMARY);

  // Corrections from the summary: one field (or its section), then back to the summary.
  for (const s of SECTIONS) {
    const edit = makeDialog(bot, editDialogId(s), deps);
    addSection(edit, s);
    edit.addGotoDialog(SUMMARY);
    for (const field of SECTION_FIELDS[s]) {
      if (editTargetOf(field, s) !== field.key || !field.label) continue;
      const one = makeDialog(bot, editDialogId(field.key), deps);
      askField(one, field, deps);
      one.addGotoDialog(SUMMARY);
    }
  }
}

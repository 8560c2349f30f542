import type { AppConfig } from '../../shared/config/config.js';
// The summary the actor confirms or corrects line by line, and the one submission point (its `after`).
import { communeCentre } from '../../shared/domain/commune-centres.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { resolveCommune } from '../../shared/domain/geography.js';
import { osmToFrench } from '../../shared/domain/hours-fr.js';
import { matchKey } from '../../shared/domain/text.js';
import { SiretAlreadyClaimedError } from '../../shared/store/errors.js';
import { TooManyRequestsError } from '../../shared/usecases/errors.js';
import { typographic } from '../answers.js';
import type { QuickReply } from '../conversation.js';
import type { Finding, SubmitResult } from '../ports.js';
import { type ChatState, idempotencyKey, toApplicationDocument } from '../state.js';
import { type BotDeps, type ChatBot, type ChatTurn, confidentFaq } from './form.js';
import { editDialogId, LIEUX, SECTIONS, SUMMARY } from './ids.js';
import { editTargetOf, SECTION_FIELDS } from './questionnaire.js';

export interface SummaryLine {
  text: string;
  target: string;
}

export function summaryLines(state: ChatState): SummaryLine[] {
  const lines: SummaryLine[] = [];
  for (const section of SECTIONS) {
    for (const field of SECTION_FIELDS[section]) {
      if (!field.label) continue;
      const value = field.show?.(state);
      if (value === null || value === undefined) continue;
      lines.push({ text: `${field.label} : ${value}`, target: editDialogId(editTargetOf(field, section)) });
    }
    if (section === LIEUX) {
      state.draft.lieux.forEach((l, i) => {
        const parts = [`${l.adresse ?? ''}, ${l.code_postal ?? ''} ${l.commune ?? ''}`];
        // Hours as people read them, never the OSM syntax (issue 14 § 3).
        if (l.horaires) parts.push(`horaires : ${osmToFrench(l.horaires)}`);
        parts.push(`accueil sans condition : ${l.accueil_inconditionnel ? 'oui' : 'non'}`);
        const where = whereOnMap(l.code_postal, l.commune);
        if (where) parts.push(where);
        lines.push({ text: `Lieu ${i + 1} : ${parts.join(' — ')}`, target: editDialogId(LIEUX) });
      });
    }
  }
  return lines;
}

/**
 * Where the map will put the place, in words (docs/places-geo.md): the commune's centre until the address is geocoded
 * at publication; the actor confirms it with the summary, or corrects the address, and can pin it from /espace later.
 */
export function whereOnMap(codePostal: string | undefined, commune: string | undefined): string | null {
  if (!codePostal || !commune) return null;
  const r = resolveCommune(codePostal, commune);
  if (!r.ok || !communeCentre(r.commune.codeInsee)) return null;
  return `sur la carte : nous situons votre lieu à ${r.commune.nom} (${r.commune.codePostal}), à son adresse exacte une fois publié ; vous pourrez placer l’épingle vous-même depuis votre espace`;
}

const CONFIRM: QuickReply[] = [
  { title: 'Confirmer et envoyer', payload: 'confirmer' },
  { title: 'Corriger une information', payload: 'corriger' },
];

type Webinar = AppConfig['webinars'][number];

// Built at its first use: a French date format loads ICU's locale data (≈ 13 ms), which a cold start of the chat paid
// while loading although only the summary of a libre or territorial application names a webinar.
let webinarFormat: Intl.DateTimeFormat | undefined;
function webinarWhen(date: Date): string {
  webinarFormat ??= new Intl.DateTimeFormat('fr-FR', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'Europe/Paris',
  });
  return webinarFormat.format(date);
}

/** The next webinar still to come (the schedule is configuration, edited in the console's administration page). */
function nextWebinar(webinars: readonly Webinar[], now: Date): string {
  const next = webinars
    .filter((w) => Date.parse(w.startsAt) > now.getTime())
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0];
  return next
    ? `le prochain webinaire « Devenir #APTIC » a lieu le ${webinarWhen(new Date(next.startsAt))} : ${next.link}`
    : 'les dates des webinaires « Devenir #APTIC » sont sur devenir.aptic.fr';
}

function routeLabel(route: string, webinars: readonly Webinar[], now: Date): string {
  if (route === 'reseau') return 'parcours réseau';
  if (route === 'territoriale')
    return `parcours territorial : votre Hub vous accompagne ; ${nextWebinar(webinars, now)}`;
  return `parcours libre : plus d’informations sur devenir.aptic.fr ; ${nextWebinar(webinars, now)}`;
}

const bullets = (findings: Finding[]) => findings.map((f) => `• ${typographic(f.message)}`).join('\n');

/** Never « vous êtes qualifié·e »: the questionnaire pre-screens, APTIC decides (eligibility.md §G). */
export function resultMessage(r: SubmitResult, webinars: readonly Webinar[] = [], now = new Date()): string {
  const lines: string[] = [`Merci ! Votre demande est enregistrée (référence ${r.id.slice(0, 8)}).`];
  switch (r.status) {
    case 'eligible_now':
      lines.push(
        `Votre profil semble compatible. Prochaine étape : l’examen de votre demande par l’équipe #APTIC (${routeLabel(r.route ?? 'libre', webinars, now)}).`,
      );
      // Why the réseau route was not given (network_membership_not_found), the only reason an eligible_now carries.
      if (r.reasons.length) lines.push(bullets(r.reasons));
      break;
    case 'eligible_waitlist':
    case 'needs_human_review':
    case 'pending_confirmation':
      lines.push(bullets(r.reasons));
      break;
    case 'not_eligible_yet':
      lines.push(`Il manque pour l’instant des prérequis :\n${bullets(r.reasons)}`);
      break;
    default:
      if (r.reasons.length) lines.push(bullets(r.reasons));
  }
  if (r.flags.length) lines.push(`Points d’attention :\n${bullets(r.flags)}`);
  lines.push(
    'La décision finale revient à l’équipe #APTIC. Vous pouvez me demander « où en est ma demande ? » à tout moment.',
  );
  return lines.join('\n');
}

async function submit(turn: ChatTurn, deps: BotDeps): Promise<void> {
  const s = turn.state;
  let r: SubmitResult;
  const key = idempotencyKey(turn.conversationId, s);
  try {
    r = await deps.ports.submitApplication(toApplicationDocument(s), {
      idempotencyKey: key,
      ...(s.campaign ? { campaignCode: s.campaign.code } : {}),
      source: 'chat',
    });
  } catch (err) {
    if (err instanceof SiretAlreadyClaimedError) {
      const support = (await deps.ports.config()).support.email;
      await turn.say(
        `Ce SIRET a déjà été utilisé pour une demande #APTIC : un SIRET ne peut servir qu’à une seule demande, et je ne peux pas la remplacer. Contactez le support (${support}) en indiquant votre SIRET : l’équipe vérifiera avec vous.`,
      );
      return;
    }
    if (err instanceof TooManyRequestsError) {
      // Too many submissions from this address or e-mail (issue 12): the summary waits; « Confirmer » later retries.
      await turn.say(err.message);
      await turn.beginDialog(SUMMARY);
      return;
    }
    if (err instanceof ValidationError) {
      const issues = err.issues.map((i) => `• ${i.message}`);
      await turn.say(`Certaines informations sont à corriger avant l’envoi :\n${issues.join('\n')}`);
      await turn.beginDialog(SUMMARY);
      return;
    }
    // Anything else: the turn fails, nothing is saved, the summary is still waiting; « Confirmer » retries with the
    // same idempotency key, so a submission that did go through is not duplicated.
    throw err;
  }
  // A replay (the first answer was lost, or two turns confirmed at once) carries no token: keep the one this
  // conversation already has for the same application; without one, the key proves the conversation (ports).
  const known = s.application?.id === r.id ? s.application.actorToken : null;
  s.application = {
    id: r.id,
    actorToken: r.actorToken ?? known,
    idempotencyKey: key,
    status: r.status,
    at: deps.ports.clock().toISOString(),
  };
  s.exit = null;
  await turn.say(resultMessage(r, (await deps.ports.config()).webinars, deps.ports.clock()));
}

export function defineSummary(bot: ChatBot, deps: BotDeps): void {
  const d = bot.dialog(SUMMARY);
  const edit = async (n: number, turn: ChatTurn): Promise<boolean> => {
    const line = summaryLines(turn.state)[n - 1];
    if (!line) return false;
    await turn.cancelAllDialogs();
    await turn.beginDialog(line.target);
    return true;
  };

  d.before('default', async (convo, turn) => {
    convo.setVar('_hint', null);
    const lines = summaryLines(turn.state).map((l, i) => `${i + 1}. ${l.text}`);
    await turn.say(`Voici le récapitulatif de vos réponses :\n${lines.join('\n')}`);
  });
  d.askWith(
    {
      text: (vars) => `${vars._hint ? `${String(vars._hint)}\n` : ''}Tout est-il correct ?`,
      quickReplies: CONFIRM,
    },
    async (answer, convo, turn) => {
      if (answer === null) return;
      convo.setVar('_hint', null);
      const k = matchKey(answer);
      if (/^(confirmer|confirme|oui|ok|envoyer|valider|c est bon|tout est correct|confirmer et envoyer)$/.test(k))
        return;
      if (/^\d{1,3}$/.test(k) && (await edit(Number(k), turn))) return;
      if (/(corriger|modifier|changer|non|erreur)/.test(k)) return convo.gotoThread('corriger');
      const faq = await confidentFaq(deps, answer);
      if (faq) await turn.say(faq);
      else convo.setVar('_hint', 'Répondez « confirmer » pour envoyer votre demande, ou « corriger ».');
      await convo.repeat();
    },
    'confirmation',
  );
  d.askWith(
    {
      text: (vars) =>
        `${vars._hint ? `${String(vars._hint)}\n` : ''}Quel numéro de ligne voulez-vous corriger ? (ou « annuler » pour revenir au récapitulatif)`,
      quickReplies: [{ title: 'Annuler', payload: 'annuler' }],
    },
    async (answer, convo, turn) => {
      if (answer === null) return;
      convo.setVar('_hint', null);
      const k = matchKey(answer);
      if (/^\d{1,3}$/.test(k) && (await edit(Number(k), turn))) return;
      if (/^(annuler|retour|rien)$/.test(k)) return convo.gotoThread('default');
      convo.setVar('_hint', `Indiquez un numéro entre 1 et ${summaryLines(turn.state).length}.`);
      await convo.repeat();
    },
    'ligne',
    'corriger',
  );
  d.after(async (_results, turn) => submit(turn, deps));
}

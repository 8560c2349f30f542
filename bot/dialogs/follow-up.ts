// After the submission: « où en est ma demande ? » and the actor's own step (Charte, CGU, Kit) when it is open.
import { ValidationError } from '../../shared/domain/errors.js';
import { STAGES, type Stage } from '../../shared/domain/path.js';
import { StepNotOpenError } from '../../shared/usecases/errors.js';
import { parseChoice, parseYesNo, YES_NO } from '../answers.js';
import type { Field } from '../fields/index.js';
import { documentsPhrase } from '../fields/prompts.js';
import { askField, type BotDeps, type ChatBot, type ChatTurn, makeDialog } from './form.js';
import { COMMITMENTS } from './ids.js';

export const SIGN_PAYLOAD = 'signer mes engagements';

const stageLabel = (stage: string) => STAGES[stage as Stage]?.label ?? stage;

export async function sayStatus(turn: ChatTurn, deps: BotDeps): Promise<void> {
  const app = turn.state.application;
  if (!app) {
    await turn.say('Vous n’avez pas encore déposé de demande dans cette conversation.');
    return;
  }
  const view = await deps.ports.getApplicationView(app, app.id);
  const lines = [`Votre demande (référence ${app.id.slice(0, 8)}) : ${stageLabel(view.stage)}.`];
  const recent = view.messages.slice(-3);
  if (recent.length) {
    lines.push('Derniers messages :');
    for (const m of recent) lines.push(`• ${m.at.slice(0, 10)} — ${m.subject ? `${m.subject} : ` : ''}${m.text}`);
  }
  if (view.openStep === 'actor_commitments') {
    lines.push(
      'C’est à vous : il reste à signer la Charte, les conditions générales et à confirmer l’abonnement. On le fait maintenant ?',
    );
    await turn.say({
      text: lines.join('\n'),
      quick_replies: [{ title: 'Signer mes engagements', payload: SIGN_PAYLOAD }],
    });
    return;
  }
  const pending = PENDING[view.openStep ?? ''];
  if (pending) lines.push(pending);
  await turn.say(lines.join('\n'));
}

/** What the actor is expected to do at their own steps (the staff steps only wait). */
const PENDING: Record<string, string> = {
  address_confirmation:
    'C’est à vous : confirmez votre adresse e-mail en ouvrant le lien reçu (ou écrivez « j’ai déjà fait une demande » pour en recevoir un nouveau). Sans confirmation, la demande expire.',
  changes_requested:
    'C’est à vous : l’équipe vous demande des corrections (voir le message ci-dessus) ; envoyez votre demande corrigée.',
  staff_review: 'L’équipe #APTIC examine votre demande : rien à faire de votre côté pour l’instant.',
  final_approval:
    'L’équipe #APTIC procède à la validation finale. Elle attend aussi les coordonnées bancaires (IBAN) de la structure, à donner dans votre espace demandeur si ce n’est pas fait : écrivez « j’ai déjà fait une demande » pour recevoir son lien de connexion par e-mail.',
  waitlisted: 'Votre demande est en liste d’attente : nous vous prévenons dès qu’elle peut avancer.',
};

/** The Charte and the CGU, signed together with one answer (asked once, linked: issue 14 item 5). */
const documentsField: Field<boolean> = {
  key: 'sign_documents',
  question: {
    text: (vars) =>
      `Signez-vous ${documentsPhrase(vars)} ? Ce sont les versions en vigueur, celles que vous avez acceptées.`,
    quickReplies: YES_NO,
  },
  parse: (t) => {
    const v = parseYesNo(t);
    return v === null
      ? { ok: false, message: 'Répondez par « oui » ou « non ».', quickReplies: YES_NO }
      : { ok: true, value: v };
  },
  apply: (s, v) => {
    s.commitments = { ...s.commitments, charte: v, cgu: v };
  },
};

const KIT = [
  { value: 'oui' as const, label: 'oui', short: 'Oui' },
  { value: 'non' as const, label: 'non', short: 'Non' },
  {
    value: 'a_confirmer' as const,
    label: 'je dois encore demander',
    short: 'Je dois demander',
    aliases: ['demander', 'a confirmer'],
  },
];

export function defineCommitments(bot: ChatBot, deps: BotDeps): void {
  const d = makeDialog(bot, COMMITMENTS, deps);
  d.before('default', async (convo, turn) => {
    const app = turn.state.application;
    const view = app ? await deps.ports.getApplicationView(app, app.id) : null;
    if (!app || view?.openStep !== 'actor_commitments') {
      await turn.say(
        view
          ? `Cette étape n’est pas ouverte pour votre demande (étape actuelle : ${stageLabel(view.stage)}).`
          : 'Vous n’avez pas encore déposé de demande dans cette conversation.',
      );
      convo.setVar('_skip', true);
      await convo.stop();
      return;
    }
    turn.state.commitments = {};
  });
  askField(d, documentsField, deps);
  askField(
    d,
    {
      key: 'sign_abonnement',
      question: {
        text: 'Confirmez-vous l’abonnement #APTIC (Kit), facturé à la finalisation de la qualification ?',
        quickReplies: KIT.map((k) => ({ title: k.short, payload: k.value })),
      },
      parse: (t) => {
        const v = parseChoice(t.replace('_', ' '), KIT);
        return v === null
          ? { ok: false, message: 'Répondez « oui », « non » ou « je dois demander ».' }
          : { ok: true, value: v };
      },
      apply: (s, v) => {
        s.commitments = { ...s.commitments, abonnement: v as 'oui' | 'non' | 'a_confirmer' };
      },
    } satisfies Field<string>,
    deps,
  );
  d.after(async (results, turn) => {
    const app = turn.state.application;
    const c = turn.state.commitments;
    if (results._skip || !app || !c) return;
    turn.state.commitments = null;
    try {
      await deps.ports.submitCommitments(app, app.id, {
        charte: c.charte === true,
        cgu: c.cgu === true,
        abonnement: c.abonnement ?? 'a_confirmer',
      });
    } catch (err) {
      if (err instanceof StepNotOpenError) {
        await turn.say('Cette étape n’est plus ouverte pour votre demande : demandez-moi « où en est ma demande ? ».');
        return;
      }
      if (err instanceof ValidationError) {
        const issues = err.issues.map((i) => `• ${i.message}`);
        await turn.say({
          text: `Vos engagements ne sont pas enregistrés :\n${issues.join('\n')}\nVous pourrez les signer plus tard, tant que l’étape est ouverte : ici (« Signer mes engagements ») ou depuis votre espace demandeur (/espace).`,
          quick_replies: [{ title: 'Signer mes engagements', payload: SIGN_PAYLOAD }],
        });
        return;
      }
      throw err;
    }
    await turn.say(
      'Merci ! Vos engagements sont enregistrés. Il reste à donner les coordonnées bancaires (IBAN) de la structure, dans votre espace demandeur (une page sécurisée, pas ici) : écrivez « j’ai déjà fait une demande » pour recevoir son lien de connexion par e-mail. Ensuite, l’équipe #APTIC fait la validation finale.',
    );
  });
}

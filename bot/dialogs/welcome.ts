// A1: who is talking. Producers go to the questionnaire; the others get the FAQ answer that fits them instead.
import { REASONS } from '../../shared/domain/reasons.js';
import { buttons, looksLikeQuestion, numbered, parseChoice, typographic } from '../answers.js';
import { PROFIL_OPTIONS } from '../fields/index.js';
import { sayDeclined, sayFaqAnswer } from './faq-suggestions.js';
import { type BotDeps, type ChatBot, confidentFaq, faqVars } from './form.js';
import { QUESTIONNAIRE, WELCOME } from './ids.js';
import { ALREADY_APPLIED } from './sign-in.js';

const REDIRECT_TOPICS: Record<string, string[]> = {
  financeur: ['order-passes'],
  prescripteur: ['order-passes', 'what-is-pass'],
  particulier: ['beneficiary-get-pass'],
};

export function defineWelcome(bot: ChatBot, deps: BotDeps): void {
  const d = bot.dialog(WELCOME);
  d.askWith(
    {
      text: (vars) =>
        `${vars._hint ? `${String(vars._hint)}\n` : ''}${numbered('Pour commencer, vous êtes :', PROFIL_OPTIONS)}`,
      // Coming back is offered from the first question (the global interrupt in chat-bot.ts takes the payload).
      quickReplies: [...buttons(PROFIL_OPTIONS), { title: ALREADY_APPLIED, payload: ALREADY_APPLIED }],
    },
    async (answer, convo, turn) => {
      if (answer === null) return;
      convo.setVar('_hint', null);
      // A question typed here is answered first (« c koi le pass ? » must not be read as choice 1 for « pass »).
      const asked = looksLikeQuestion(answer) ? await confidentFaq(deps, answer) : null;
      if (asked) {
        await turn.say(asked);
        return convo.repeat();
      }
      const profil = parseChoice(answer, PROFIL_OPTIONS);
      if (profil === null) {
        const faq = await confidentFaq(deps, answer);
        if (faq) await turn.say(faq);
        else convo.setVar('_hint', 'Choisissez une des réponses proposées (vous pouvez taper son numéro).');
        return convo.repeat();
      }
      turn.state.profil = profil;
      if (profil === 'producteur') {
        await turn.cancelAllDialogs();
        await turn.beginDialog(QUESTIONNAIRE);
        return;
      }
      if (profil === 'autre') return convo.gotoThread('autre');
      await turn.say(typographic(REASONS[`redirect_${profil}`].message));
      const vars = await faqVars(deps);
      for (const topic of REDIRECT_TOPICS[profil] ?? []) {
        const a = deps.ports.faq.answerFor(topic, vars);
        if (a) await turn.say(a);
      }
      await turn.say('Avez-vous une autre question ? Je vous écoute.');
    },
    'profil',
  );
  d.askWith(
    { text: 'Dites-m’en un peu plus : que recherchez-vous ?' },
    async (answer, _convo, turn) => {
      if (answer === null) return;
      const m = deps.ports.faq.match(answer, await faqVars(deps));
      if (m.topic && m.answer) await sayFaqAnswer(turn, m);
      else {
        deps.ports.metrics.count('FaqDeclined');
        await turn.say(REASONS.redirect_autre.message);
        if (m.answer) await sayDeclined(turn, m, '', []);
      }
    },
    'besoin',
    'autre',
  );
}

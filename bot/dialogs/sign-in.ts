// « J'ai déjà fait une demande »: the actor's way back from the chat (docs/actor.md). The chat asks the address and
// sends the sign-in link through the same use case as POST /api/actor/sign-in; the link opens the actor space, which
// reopens the chat resumed on the application (bot/chat-bot.ts, onHello with a bound session).
import { isValidEmail } from '../../shared/domain/application.js';
import { cleanLine } from '../../shared/domain/text.js';
import { SIGN_IN_ACCEPTED } from '../../shared/usecases/actor-sign-in.js';
import { TooManyRequestsError } from '../../shared/usecases/errors.js';
import type { Field } from '../fields/index.js';
import { askField, type BotDeps, type ChatBot, makeDialog } from './form.js';
import { SIGN_IN } from './ids.js';

export { ALREADY_APPLIED } from './ids.js';
/** What people type (after matchKey: lower case, no accents or punctuation). */
export const ALREADY_APPLIED_PATTERN =
  /^(j ai deja (fait|depose|envoye|rempli) (une|ma|la) demande|deja fait une demande|j ai deja une demande( en cours)?|retrouver ma demande|reprendre ma demande|me reconnecter|recevoir un lien de connexion|lien de connexion)$/;

const addressField: Field<string> = {
  key: 'signin_courriel',
  question: {
    text: 'Quelle adresse e-mail avez-vous donnée dans votre demande (celle du ou de la représentant·e légal·e) ? Je vous y envoie un lien de connexion.',
  },
  parse: (t) => {
    const v = cleanLine(t).toLowerCase();
    return isValidEmail(v)
      ? { ok: true, value: v }
      : { ok: false, message: 'Cette adresse e-mail ne semble pas valide (exemple : prenom.nom@structure.fr).' };
  },
  apply: (s, v) => {
    s.signInCourriel = v;
  },
};

export function defineSignIn(bot: ChatBot, deps: BotDeps): void {
  const d = makeDialog(bot, SIGN_IN, deps);
  askField(d, addressField, deps);
  d.after(async (_results, turn) => {
    const courriel = turn.state.signInCourriel;
    // The address is not kept in the conversation once the link is asked for.
    turn.state.signInCourriel = null;
    if (!courriel || !deps.ports.requestSignIn) return;
    try {
      await deps.ports.requestSignIn(courriel);
    } catch (err) {
      if (err instanceof TooManyRequestsError) {
        await turn.say(
          'Plusieurs liens ont déjà été demandés pour cette adresse : attendez un peu avant de réessayer.',
        );
        return;
      }
      throw err;
    }
    await turn.say(
      `${SIGN_IN_ACCEPTED}\nOuvrez ce lien : votre espace demandeur s’affiche, avec un bouton pour reprendre la discussion là où en est votre demande.`,
    );
  });
}

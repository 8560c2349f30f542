// Transcripts of the actor's way back in the chat (docs/actor.md): « J'ai déjà fait une demande » sends the sign-in
// link through the same use case as POST /api/actor/sign-in, and a conversation opened from the actor space (bound to
// an application server-side) resumes where the application stands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignIn } from '../../../shared/usecases/actor-sign-in.js';
import { ForbiddenError } from '../../../shared/usecases/errors.js';
import { completeSiret } from '../../helpers/fixtures.js';
import { type BotWorld, HAPPY_ANSWERS, startBotWorld, Transcript } from './world.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.close();
});

const siret = (seed: number): string => completeSiret(`9${String(seed).padStart(12, '0')}`);

/** A whole questionnaire with its own SIRET and address, confirmed: the application id. */
async function submitInChat(seed: number, courriel: string): Promise<string> {
  const t = new Transcript(w.newEngine());
  await t.hello();
  await t.say('1');
  const answers = [...HAPPY_ANSWERS];
  answers[2] = siret(seed);
  answers[7] = courriel;
  await t.answers(answers);
  await t.say('confirmer');
  expect(t.text).toContain('Votre demande est enregistrée');
  const app = await w.runtime.deps.store.applications.getBySiret(siret(seed));
  return app!.id;
}

describe('« J’ai déjà fait une demande »', () => {
  it('is offered at the welcome, asks the address and sends the sign-in link', async () => {
    const courriel = `retour-${process.pid}@exemple.fr`;
    const id = await submitInChat(101, courriel);
    const before = (await w.runtime.deps.store.outbox.list(id)).filter((m) => m.key.startsWith('signin#')).length;

    const t = new Transcript(w.newEngine());
    await t.hello();
    const offered = t.lastReply!.quick_replies!.find((q) => q.title === 'J’ai déjà fait une demande');
    expect(offered).toBeDefined();
    await t.say(offered!.payload);
    expect(t.text).toMatch(/Quelle adresse e-mail/);
    await t.say('claire.martin@@exemple');
    expect(t.text).toMatch(/ne semble pas valide/);
    await t.say(courriel.toUpperCase());
    expect(t.text).toMatch(/Si une demande est associée à cette adresse/);
    const after = (await w.runtime.deps.store.outbox.list(id)).filter((m) => m.key.startsWith('signin#')).length;
    expect(after).toBe(before + 1);
    // The address is not kept in the conversation once the link is asked for.
    const stored = await w.runtime.deps.store.dialogs.get(t.conversationId);
    expect(JSON.stringify(stored?.state ?? {})).not.toContain(courriel);
  });

  it('is understood when typed, even in the middle of the questionnaire', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('1');
    await t.say('Clic Solidaire');
    await t.say('J’ai déjà fait une demande');
    expect(t.text).toMatch(/Quelle adresse e-mail/);
    await t.say(`inconnu-${process.pid}@exemple.fr`);
    // Same words for an address nobody used: the chat tells nothing either.
    expect(t.text).toMatch(/Si une demande est associée à cette adresse/);
  });
});

describe('a conversation opened from the link', () => {
  it('resumes where the application stands: stage, messages and what is expected', async () => {
    const courriel = `reprise-${process.pid}@exemple.fr`;
    const id = await submitInChat(102, courriel);
    const code = await w.latestSignInCode(id);
    const { token, applications } = await verifySignIn(w.runtime.deps, { code: code! });
    expect(applications.map((a) => a.id)).toContain(id);

    const t = new Transcript(w.newEngine(), undefined, { campaignCode: null, campaignNotice: false, resume: true });
    await w.ports.bindConversation!(t.conversationId, token, id);
    await t.hello();
    expect(t.text).toContain('Vous êtes connecté·e');
    expect(t.text).toContain(`référence ${id.slice(0, 8)}`);
    expect(t.text).toMatch(/Derniers messages/);
    expect(t.text).toMatch(/Adresse e-mail à confirmer|Examen par l'équipe|Demande reçue/);
    // The conversation now follows that application.
    await t.say('où en est ma demande ?');
    expect(t.text).toContain(`référence ${id.slice(0, 8)}`);
  });

  it('refuses to bind a conversation to an application the token does not reach', async () => {
    const mine = await submitInChat(103, `moi-${process.pid}@exemple.fr`);
    const theirs = await submitInChat(104, `autre-${process.pid}@exemple.fr`);
    const { token } = await verifySignIn(w.runtime.deps, { code: (await w.latestSignInCode(mine))! });
    await expect(w.ports.bindConversation!('conversation-x', token, theirs)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

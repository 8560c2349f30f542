// Asking rather than declining (issue 14 item 7): transcripts over the real engine and use cases on dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, startBotWorld, Transcript } from './world.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.close();
});

/** A conversation past the welcome, with no dialog running (a private person: answered, then free questions). */
async function freeQuestions(): Promise<Transcript> {
  const t = new Transcript(w.newEngine());
  await t.hello();
  await t.say('4');
  expect(t.text).toContain('Avez-vous une autre question');
  return t;
}

const suggestionReplies = (t: Transcript) =>
  (t.lastReply?.quick_replies ?? []).filter((q) => q.payload.startsWith('sujet:'));

describe('the FAQ asks rather than declines', () => {
  it('a question it cannot answer surely gets « Vous parlez de : … ? » quick replies; choosing one answers that topic', async () => {
    // Prepare
    const t = await freeQuestions();
    // Act
    await t.say('un souci avec aptic');
    // Assess
    expect(t.text).toMatch(/Vous parlez de : « .+ » ?\?/);
    expect(t.text).toContain('Je ne sais pas répondre');
    const offered = suggestionReplies(t);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(3);
    // The page sends the payload and shows the title: the label of the topic.
    const chosen = offered[0]!;
    const topic = chosen.payload.slice('sujet:'.length);
    expect(w.ports.faq.labelOf(topic)).toBe(chosen.title);
    // Act
    await t.say(chosen.payload);
    // Assess
    const vars = { supportEmail: 'x', kitPrice: 'x', kitPeriod: 'x' };
    const expected = w.ports.faq.answerFor(topic, vars)!;
    expect(t.text.slice(0, 40)).toBe(expected.slice(0, 40));
    expect(t.text).not.toContain('Je ne sais pas répondre');
  });

  it('an answer it is unsure of comes with « vous parlez peut-être de : … ? » and the other topics as quick replies', async () => {
    const t = await freeQuestions();
    await t.say('des infos sur la qualif svp');
    expect(t.text).not.toContain('Je ne sais pas répondre');
    expect(t.text).toMatch(/Si ce n’était pas votre question, vous parlez peut-être de : « .+ » ?\?/);
    const offered = suggestionReplies(t);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(2);
    const topic = offered[0]!.payload.slice('sujet:'.length);
    await t.say(offered[0]!.payload);
    const vars = { supportEmail: 'x', kitPrice: 'x', kitPeriod: 'x' };
    expect(t.text.slice(0, 40)).toBe(w.ports.faq.answerFor(topic, vars)!.slice(0, 40));
  });

  it('a question plainly elsewhere gets the « je ne sais pas » answer without suggestions', async () => {
    const t = await freeQuestions();
    await t.say('recette des crêpes');
    expect(t.text).toContain('Je ne sais pas répondre');
    expect(t.text).not.toContain('Vous parlez de');
    expect(suggestionReplies(t)).toEqual([]);
  });

  it('a suggestion chosen during the questionnaire answers it, then asks the pending question again', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('1');
    expect(t.text).toContain('Quel est le nom de votre structure');
    await t.say('sujet:cost-kit');
    expect(t.text).toContain('Kit');
    expect(t.lastReply!.text).toContain('Quel est le nom de votre structure');
  });

  it('« comment retrouver ma demande » answers with the actor space and starts the sign-in flow from its quick reply', async () => {
    const t = await freeQuestions();
    await t.say('comment retrouver ma demande ?');
    expect(t.text).toContain('/espace');
    const signIn = t.lastReply!.quick_replies?.find((q) => q.title === 'J’ai déjà fait une demande');
    expect(signIn).toBeDefined();
    await t.say(signIn!.payload);
    expect(t.text).toContain('Quelle adresse e-mail avez-vous donnée dans votre demande');
  });
  it('a question comparing another scheme with the pass is answered, or handed over with its candidates when declined', async () => {
    const t = await freeQuestions();
    // Naming the pass beside France Services: an ordinary question about the pass.
    await t.say('On est un espace France Services, combien coûte le kit APTIC ?');
    expect(t.text).toMatch(/Kit/);
    expect(t.text).not.toContain('une personne de l’équipe vous répondra');
    // Declined: the human-only answer (distinct schemes, a person follows), the candidates and « Parler à quelqu’un ».
    await t.say('je suis en france services, je peux devenir apticulteur ?');
    expect(t.text).toMatch(/Vous parlez de : « .+ » ?\?/);
    expect(t.text).toContain('une personne de l’équipe vous répondra');
    expect(t.text).not.toContain('Je ne sais pas répondre');
    expect(suggestionReplies(t).length).toBeGreaterThan(0);
    expect((t.lastReply?.quick_replies ?? []).map((q) => q.title)).toContain('Parler à quelqu’un');
  });
});

// Issue 14 (conversation quality), items 1, 2 and 5: transcripts of the slips a new actor makes, over the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSiret } from '../../helpers/fixtures.js';
import { type BotWorld, HAPPY_ANSWERS, startBotWorld, Transcript, upTo } from './world.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.close();
});

const siret = (seed: number): string => completeSiret(`7${String(seed).padStart(12, '0')}`);

describe('SIRET slips (item 1)', () => {
  it('keeps the question open after several slips, says where to find the number, and accepts it then', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 2);
    await t.say('12345678901234');
    expect(t.lastReply!.text).toContain('Annuaire des Entreprises');
    expect(t.lastReply!.text).toContain('annuaire-entreprises.data.gouv.fr');
    await t.say('11111111111112');
    await t.say('123');
    expect(t.text).not.toContain('aucune demande n’a été envoyée');
    expect(t.lastReply!.quick_replies?.map((q) => q.payload)).toContain('pas de siret');
    await t.say('732 829 320 00074');
    expect(t.text).toContain('déjà commencé une démarche');
  });

  it('says what « je n’ai pas de SIRET » means and takes a number typed instead of the confirmation', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 2);
    await t.say('pas de siret');
    expect(t.lastReply!.text).toContain('obligatoire');
    expect(t.lastReply!.text).toContain('Annuaire des Entreprises');
    expect(t.text).not.toContain('aucune demande n’a été envoyée');
    await t.say('732 829 320 00074');
    expect(t.text).toContain('déjà commencé une démarche');
  });
});

describe('SIRET after the stop (item 1)', () => {
  it('takes the SIRET typed after « pas de SIRET » stopped the questionnaire, and goes on from there', async () => {
    const t = new Transcript(w.newEngine());
    const s = siret(14010);
    await upTo(t, 2);
    await t.say('pas de siret');
    await t.say('oui');
    expect(t.text).toContain('aucune demande n’a été envoyée');
    await t.say('123 456 789 00000');
    expect(t.text).toContain('annuaire-entreprises.data.gouv.fr');
    await t.say(s);
    expect(t.text).toContain(`j’ai noté le SIRET ${s}`);
    expect(t.lastReply!.text).toContain('déjà commencé une démarche');
    await t.answers(HAPPY_ANSWERS.slice(3));
    expect(t.text).toContain('1. Nom de la structure : Clic Solidaire');
    expect(t.text).toContain(`SIRET : ${s}`);
  });
});

describe('free text read with care (item 2)', () => {
  it('answers a question typed at the name prompt and never stores it as the name', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('1');
    await t.say('j’ai déjà fait ma demande hier, comment je la retrouve ?');
    expect(t.text).toContain('lien de connexion');
    expect(t.lastReply!.text).toContain('Quel est le nom de votre structure');
    expect(t.text).not.toContain('forme juridique');
    await t.say('Clic Solidaire');
    expect(t.text).toContain('forme juridique');
    expect(t.text).not.toMatch(/Nom de la structure : .*retrouve/);
  });

  it('keeps every option named in a sentence of a multi-select', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 26, siret(14001));
    expect(t.text).toContain('besoins particuliers');
    await t.say('moteur et illettrisme');
    await t.answers(HAPPY_ANSWERS.slice(27));
    expect(t.text).toContain('Handicaps moteurs ; Illettrisme');
  });

  it('reads « environ 25h » and says its reading back before keeping it', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 18, siret(14002));
    expect(t.text).toContain('Combien d’heures par semaine');
    await t.say('environ 25h');
    expect(t.lastReply!.text).toContain('J’ai compris 25 h, c’est bien ça ?');
    await t.say('oui');
    expect(t.text).toContain('Vos accompagnements sont-ils');
    await t.answers(HAPPY_ANSWERS.slice(19));
    expect(t.text).toContain('Heures d’accueil par semaine : 25 h');
  });

  it('asks again when the approximate reading is refused', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 18, siret(14003));
    await t.say('une vingtaine');
    expect(t.lastReply!.text).toContain('J’ai compris 20 h, c’est bien ça ?');
    await t.say('non');
    expect(t.lastReply!.text).toContain('Combien d’heures par semaine');
    await t.say('22');
    expect(t.text).toContain('Vos accompagnements sont-ils');
  });

  it('reads « 1 » at a Oui/Non question as the first button, says so and asks', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 5);
    expect(t.lastReply!.text).toContain('représentant·e légal·e de la structure');
    await t.say('1');
    expect(t.lastReply!.text).toBe('J’ai compris « oui », c’est bien ça ?');
    await t.say('oui');
    expect(t.text).toContain('nom (prénom et nom) du ou de la représentant·e');
  });
});

describe('words (item 5)', () => {
  it('names the département and the route (parcours) in a campaign greeting, without repeating its label', async () => {
    await w.runtime.deps.store.campaigns.put({
      code: 'webinaire-87-q',
      kind: 'webinar',
      label: 'Webinaire Devenir #APTIC',
      route: 'territoriale',
      territory: '87',
      createdAt: new Date().toISOString(),
    });
    const t = new Transcript(w.newEngine(), undefined, { campaignCode: 'webinaire-87-q', campaignNotice: false });
    await t.hello();
    expect(t.text).toContain('Bienvenue depuis le webinaire « Devenir #APTIC »');
    expect(t.text).toContain('parcours territorial (Haute-Vienne)');
    expect(t.text).not.toMatch(/voie|territoire 87/);
  });

  it('asks the Charte and the CGU once, linked to their versions in force, and says the truth about « je dois demander »', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 27, siret(14004));
    const asked = t.lastReply!.text;
    expect(asked).toContain('Charte #APTIC (version 2024-01 : https://www.aptic.fr/charte)');
    expect(asked).toContain('(version 2024-01 : https://www.aptic.fr/cgu)');
    await t.say('oui');
    // Next is the Kit: the CGU are not asked a second time.
    expect(t.lastReply!.text).toContain('abonnement #APTIC (Kit)');
    await t.say('je dois demander');
    expect(t.text).not.toContain('brouillon');
    expect(t.text).toContain('espace demandeur (/espace)');
  });
});

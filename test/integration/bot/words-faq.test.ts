// Issue 14, items 5 and 6: the words an actor reads after the questionnaire and in FAQ answers (transcripts over the
// real engine). Each of these failed before the change: the status said « brouillon » while staff reviewed, a network
// campaign greeting said its name twice, FAQ answers read like research notes, sensitive questions got no person.
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

describe('« je dois demander » for the Kit (item 5)', () => {
  it('says the application goes to staff review, never « brouillon », and how to confirm later', async () => {
    const t = new Transcript(w.newEngine());
    const answers = [...HAPPY_ANSWERS];
    const kit = answers.indexOf('oui', answers.indexOf('8') + 2); // the question after the Charte and CGU
    await upTo(t, kit, siret(90_001));
    expect(t.lastReply!.text).toContain('abonnement #APTIC (Kit)');
    await t.say('je dois demander');
    await t.answers(answers.slice(kit + 1));
    await t.say('confirmer');
    expect(t.text).not.toMatch(/brouillon/i);
    expect(t.text).toContain('transmise à l’équipe #APTIC, qui l’examine');
    expect(t.text).toContain('espace demandeur (/espace)');
  });
});

describe('campaign greeting (item 5)', () => {
  it('names a network once', async () => {
    await w.runtime.deps.store.campaigns.put({
      code: 'mednum-q',
      kind: 'network',
      label: 'La MedNum',
      route: 'reseau',
      network: 'La MedNum',
      createdAt: new Date().toISOString(),
    });
    const t = new Transcript(w.newEngine(), undefined, { campaignCode: 'mednum-q', campaignNotice: false });
    await t.hello();
    expect(t.text).toContain('Bienvenue de la part du réseau « La MedNum » !');
    expect(t.text).toContain('Votre demande suivra le parcours réseau.');
    expect(t.text.match(/MedNum/g)?.length).toBe(1);
  });
});

describe('FAQ answers for an actor reading them today (item 6)', () => {
  it('answers the Kit price without dated reports or old product names, with a next step', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('combien coûte le kit aptic ?');
    expect(t.text).toContain('77 € HT par an');
    expect(t.text).not.toMatch(/mentionnée en 2020|SERVICE KIT|2020/);
  });

  it('does not state the liquidation as a payment fact, and hands a missing payment to a person', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('quand est-ce que je suis payé pour les pass ?');
    expect(t.text).not.toMatch(/liquidation|2024/);
    expect(t.text).toContain('une personne de l’équipe');
    await t.say('on a toujours pas été payé, je veux faire une réclamation');
    expect(t.text, t.dump()).toContain('une personne de l’équipe vous répondra');
  });
});

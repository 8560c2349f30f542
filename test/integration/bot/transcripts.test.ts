// Conversation transcripts over the real engine (Botkit dialogs) and the real use cases on dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaqVariables } from '../../../bot/faq/knowledge-base.js';
import { decideTask } from '../../../shared/usecases/decisions.js';
import { completeSiret } from '../../helpers/fixtures.js';
import { type BotWorld, HAPPY_ANSWERS, startBotWorld, Transcript, upTo } from './world.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.close();
});

// Fresh valid SIRETs (Luhn) so each test can submit its own application.
const siret = (seed: number): string => completeSiret(`8${String(seed).padStart(12, '0')}`);

describe('happy path', () => {
  it('goes from the welcome through the questionnaire to a submitted application, then reports its status', async () => {
    const t = new Transcript(w.newEngine());
    const hello = await t.hello();
    expect(hello[0]!.text).toContain('Bonjour');
    expect(t.lastReply!.quick_replies?.length).toBe(6);
    expect(t.lastReply!.quick_replies?.at(-1)?.title).toBe('J’ai déjà fait une demande');
    await t.say('1');
    expect(t.text).toContain('C’est parti');
    expect(t.text).toContain('Quel est le nom de votre structure');
    await t.answers(HAPPY_ANSWERS);
    expect(t.text).toContain('Voici le récapitulatif');
    expect(t.text).toContain('SIRET : 73282932000074');
    expect(t.lastReply!.quick_replies?.map((q) => q.payload)).toContain('confirmer');
    await t.say('confirmer');
    expect(t.text).toContain('Votre demande est enregistrée');
    expect(t.text).toContain('semble compatible');
    expect(t.text).not.toMatch(/vous êtes qualifié/i);

    const app = await w.runtime.deps.store.applications.getBySiret('73282932000074');
    expect(app?.status).toBe('eligible_now');
    expect(app?.source).toBe('chat');
    expect(app?.idempotencyKey).toBe(t.conversationId);
    expect(app?.document).toMatchObject({
      structure: { nom: 'Clic Solidaire' },
      lieux: [{ commune: 'Limoges', code_postal: '87280' }],
    });

    await t.say('où en est ma demande ?');
    expect(t.text).toMatch(/Votre demande \(référence [0-9a-f]{8}\) : /);
    // Too early to sign: the step is not open.
    await t.say('signer');
    expect(t.text).toMatch(/n’est pas ouverte|pas encore déposé/);
  });
});

describe('re-prompts', () => {
  it('explains a bad SIRET checksum, then a SIREN, then accepts a valid SIRET', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 2);
    await t.say('12345678901234');
    expect(t.lastReply!.text).toContain('Ce numéro SIRET n’est pas valide');
    expect(t.lastReply!.text).toContain('Quel est le numéro SIRET');
    expect(t.lastReply!.quick_replies?.[0]?.payload).toBe('pas de siret');
    const t2 = new Transcript(w.newEngine());
    await upTo(t2, 2);
    await t2.say('732 829 320');
    expect(t2.text).toContain('C’est un numéro SIREN');
    await t2.say('732.829.320.00074');
    expect(t2.text).toContain('déjà commencé une démarche');
  });

  // Issue 14: two slips no longer end the questionnaire (test/integration/bot/quality.test.ts has the details).
  it('keeps asking after two invalid SIRETs, with where to find the number', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 2);
    await t.say('12345678901234');
    await t.say('11111111111112');
    expect(t.text).not.toContain('aucune demande n’a été envoyée');
    expect(t.lastReply!.text).toContain('annuaire-entreprises.data.gouv.fr');
    expect(t.lastReply!.text).toContain('Quel est le numéro SIRET');
  });

  it('offers communes as buttons when the commune does not match the postal code, and accepts one', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 15);
    expect(t.text).toContain('Code postal et commune');
    await t.say('87280 Paris');
    expect(t.lastReply!.text).toContain('ne correspond pas au code postal 87280');
    const choices = t.lastReply!.quick_replies ?? [];
    expect(choices.map((c) => c.title)).toContain('Limoges');
    await t.say(choices.find((c) => c.title === 'Limoges')!.payload);
    expect(t.text).toContain('Jours et horaires');
  });

  it('turns opening hours written in words into the OSM syntax and says them back in French', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 16);
    expect(t.text).toContain('Jours et horaires');
    await t.say('bof, quand on peut');
    expect(t.lastReply!.text).toContain('Je n’ai pas bien compris ces horaires');
    await t.say('du lundi au vendredi de 9h à 12h et de 14h à 17h30');
    expect(t.text).toContain('J’ai noté : du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30.');
    await t.say('mardi et jeudi aprem');
    expect(t.text).not.toContain('J’ai noté : le mardi');
  });

  it('re-asks a malformed postal code and an unknown one', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 15);
    await t.say('Limoges');
    expect(t.lastReply!.text).toContain('code postal (5 chiffres)');
    await t.say('99999 Limoges');
    expect(t.lastReply!.text).toContain('Le code postal 99999 est inconnu');
    expect(t.lastReply!.quick_replies?.some((q) => q.payload.startsWith('87'))).toBe(true);
  });

  it('re-asks an invalid e-mail', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 7);
    await t.say('claire at clic');
    expect(t.lastReply!.text).toContain('ne semble pas valide');
    await t.say('claire@clic-solidaire.fr');
    expect(t.text).toContain('compte bancaire');
  });

  it('re-asks an unknown choice', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 1);
    await t.say('bof');
    expect(t.lastReply!.text).toContain('Choisissez une des réponses proposées');
    await t.say('association');
    expect(t.text).toContain('SIRET');
  });
});

describe('hard gates', () => {
  const cases: [string, number, string, string][] = [
    ['no SIRET', 2, 'pas de siret', 'Un numéro SIRET est obligatoire'],
    ['not mandated', 5, 'non', 'mandaté'],
    ['no bank account', 8, 'non', 'compte bancaire au nom de la structure est nécessaire'],
    ['no mediation activity', 9, 'non', 'Le pass #APTIC paie des accompagnements'],
    // The Charte and the CGU are one question since issue 14: refusing it stops on the Charte.
    ['charter and CGU refused', 27, 'non', 'Charte #APTIC'],
    ['subscription refused', 28, 'non', 'L’abonnement #APTIC'],
  ];
  for (const [name, index, answer, expected] of cases) {
    it(`stops on « ${name} » and submits nothing`, async () => {
      const t = new Transcript(w.newEngine());
      const s = siret(1000 + index);
      await upTo(t, index, s);
      // « pas de siret » is said back with what it means, then confirmed (issue 14).
      if (name === 'no SIRET') await t.say(answer);
      if (name === 'not mandated') {
        await t.say('non'); // B4: not the representative
        expect(t.text).toContain('mandaté·e');
      }
      await t.say(name === 'no SIRET' ? 'oui' : answer);
      expect(t.text).toContain(expected);
      expect(t.text).toContain('aucune demande n’a été envoyée');
      expect(t.lastReply!.quick_replies?.[0]?.payload).toBe('recommencer');
      expect(await w.runtime.deps.store.applications.getBySiret(s)).toBeNull();
      await t.say('recommencer');
      expect(t.text).toContain('Pour commencer, vous êtes');
    });
  }
});

describe('who is talking', () => {
  it('answers a financer with the order-passes topic instead of the questionnaire', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('2');
    expect(t.text).toContain('Pour acheter des pass');
    expect(t.text).toContain(w.ports.faq.answerFor('order-passes', w.faqVars)!);
    expect(t.text).not.toContain('nom de votre structure');
  });

  it('answers a private person with the beneficiary topic', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('particulier');
    expect(t.text).toContain(w.ports.faq.answerFor('beneficiary-get-pass', w.faqVars)!);
  });
});

describe('interruptions', () => {
  it('answers an FAQ question mid-questionnaire, then asks the pending question again', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, 1);
    expect(t.text).toContain('forme juridique');
    await t.say('combien coûte le kit aptic par an ?');
    expect(t.last[0]!.text).toBe(w.ports.faq.answerFor('cost-kit', w.faqVars));
    expect(t.lastReply!.text).toContain('Pour reprendre');
    expect(t.lastReply!.text).toContain('forme juridique');
    await t.say('1');
    expect(t.text).toContain('SIRET');
  });

  it('answers an informal question typed at the first choice instead of reading it as a choice', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('c koi le pass aptic ?');
    expect(t.last[0]!.text).toBe(w.ports.faq.answerFor('what-is-pass', w.faqVars));
    expect(t.lastReply!.text).toContain('Pour commencer, vous êtes');
    expect(t.text).not.toContain('nom de votre structure');
  });

  it('takes an SMS-style question at a free-text prompt as a question, not as the answer', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('1');
    expect(t.lastReply!.text).toContain('nom de votre structure');
    await t.say('cb coute le kit');
    expect(t.last[0]!.text).toBe(w.ports.faq.answerFor('cost-kit', w.faqVars));
    expect(t.lastReply!.text).toContain('nom de votre structure');
  });

  it('resumes after a restart: a new engine on the same store continues where the actor stopped', async () => {
    const first = new Transcript(w.newEngine());
    await upTo(first, 3);
    await first.engine.close();
    const second = new Transcript(w.newEngine(), first.conversationId);
    await second.hello();
    expect(second.text).toContain('Reprenons');
    expect(second.lastReply!.text).toContain('déjà commencé une démarche');
    await second.say('non');
    expect(second.text).toContain('annuaire des entreprises');
  });

  it('corrects one field from the summary', async () => {
    const t = new Transcript(w.newEngine());
    await upTo(t, HAPPY_ANSWERS.length, siret(77));
    expect(t.text).toContain('1. Nom de la structure : Clic Solidaire');
    await t.say('corriger');
    expect(t.text).toContain('Quel numéro de ligne');
    await t.say('1');
    expect(t.text).toContain('Quel est le nom de votre structure');
    await t.say('Clic Solidaire Beaubreuil');
    expect(t.text).toContain('1. Nom de la structure : Clic Solidaire Beaubreuil');
  });

  it('keeps markup, emoji and other scripts as plain text', async () => {
    const t = new Transcript(w.newEngine());
    await t.hello();
    await t.say('1');
    await t.say('<script>alert(1)</script> 🎉 مرحبا {{vars.user}}');
    await t.answers(HAPPY_ANSWERS.slice(1));
    expect(t.text).toContain('Nom de la structure : <script>alert(1)</script> 🎉 مرحبا {{vars.user}}');
  });
});

describe('campaign links', () => {
  it('greets from the webinar, takes the territorial route, and records the campaign', async () => {
    await w.runtime.deps.store.campaigns.put({
      code: 'webinaire-87',
      kind: 'webinar',
      label: 'Devenir #APTIC en Haute-Vienne',
      route: 'territoriale',
      territory: '87',
      createdAt: new Date().toISOString(),
    });
    const s = siret(4242);
    const t = new Transcript(w.newEngine(), undefined, { campaignCode: 'webinaire-87', campaignNotice: false });
    await t.hello();
    expect(t.text).toContain('Bienvenue depuis le webinaire « Devenir #APTIC en Haute-Vienne »');
    // Issue 14: the route is said « parcours »; the département the label already names is not said twice.
    expect(t.text).toContain('Votre demande suivra le parcours territorial.');
    expect(t.text.match(/Haute-Vienne/g)).toHaveLength(1);
    await t.say('1');
    const answers = [...HAPPY_ANSWERS.slice(0, -1)];
    answers[2] = s;
    await t.answers(answers); // F2 is not asked
    expect(t.text).toContain('Voici le récapitulatif');
    await t.say('confirmer');
    expect(t.text).toContain('parcours territorial');
    const app = await w.runtime.deps.store.applications.getBySiret(s);
    expect(app?.route).toBe('territoriale');
    expect(app?.campaign?.code).toBe('webinaire-87');
  });

  it('a network invitation link pre-fills what the import knows: name, SIRET, commune', async () => {
    const { hashToken } = await import('../../../shared/usecases/principal.js');
    const now = new Date().toISOString();
    await w.runtime.deps.store.campaigns.put({
      code: 'r-reseau-invite',
      kind: 'network',
      label: 'Réseau Invite',
      route: 'reseau',
      network: 'Réseau Invite',
      createdAt: now,
    });
    const member = siret(4343);
    const token = 'inv_prefill-token-for-the-transcript';
    const inv = {
      networkId: 'reseau-invite',
      siret: member,
      campaignCode: 'r-reseau-invite',
      tokenHash: hashToken(token),
    };
    await w.runtime.deps.store.networkRecords.putInvitation(
      { ...inv, sentAt: now, by: 'admin@aptic.test', to: 'm@membre.test' },
      { ...inv, name: 'Membre Prérempli', commune: 'Limoges', codePostal: '87280', createdAt: now },
    );
    const t = new Transcript(w.newEngine(), undefined, {
      campaignCode: 'r-reseau-invite',
      campaignNotice: false,
      invite: token,
    });
    await t.hello();
    expect(t.text).toContain('Votre réseau nous a transmis votre SIRET, votre nom et votre commune');
    const nameQuestion = await t.say('1');
    expect(t.text).toContain('D’après la liste de votre réseau : « Membre Prérempli »');
    expect(nameQuestion.at(-1)?.quick_replies?.[0]).toEqual({ title: 'Membre Prérempli', payload: 'Membre Prérempli' });
    await t.say('Membre Prérempli');
    await t.say('1');
    expect(t.text).toContain(`D’après la liste de votre réseau : « ${member} »`);
    // A token of another campaign pre-fills nothing.
    const other = new Transcript(w.newEngine(), undefined, {
      campaignCode: 'webinaire-87',
      campaignNotice: false,
      invite: token,
    });
    await other.hello();
    expect(other.text).not.toContain('Votre réseau nous a transmis');
  });

  it('opens the plain chat with a polite note for an unknown campaign', async () => {
    const t = new Transcript(w.newEngine(), undefined, { campaignCode: null, campaignNotice: true });
    await t.hello();
    expect(t.text).toContain('n’est plus actif ou n’est pas reconnu');
    expect(t.text).toContain('Pour commencer, vous êtes');
  });
});

describe('submission', () => {
  it('tells the actor to contact support when the SIRET is already used, and overwrites nothing', async () => {
    const a = new Transcript(w.newEngine());
    const s = siret(555);
    await upTo(a, HAPPY_ANSWERS.length, s);
    await a.say('confirmer');
    const first = await w.runtime.deps.store.applications.getBySiret(s);
    const b = new Transcript(w.newEngine());
    await upTo(b, HAPPY_ANSWERS.length, s);
    await b.say('confirmer');
    expect(b.text).toContain('Ce SIRET a déjà été utilisé');
    expect(b.text).toContain('support@aptic.fr');
    const after = await w.runtime.deps.store.applications.getBySiret(s);
    expect(after?.id).toBe(first?.id);
    expect(after?.idempotencyKey).toBe(a.conversationId);
  });

  it('is idempotent when the answer to a submission is lost and the actor confirms again', async () => {
    const s = siret(556);
    let calls = 0;
    const real = w.ports.submitApplication;
    const flaky = {
      ...w.ports,
      async submitApplication(doc: unknown, opts: Parameters<typeof real>[1]) {
        const r = await real(doc, opts);
        calls++;
        if (calls === 1) throw new Error('network lost after the write');
        return r;
      },
    };
    const { createChatEngine } = await import('../../../bot/chat-bot.js');
    const engine = createChatEngine(flaky);
    const t = new Transcript(engine);
    await upTo(t, HAPPY_ANSWERS.length, s);
    await t.say('confirmer');
    expect(t.text).toContain('Désolé, une erreur est survenue');
    await t.say('confirmer');
    expect(t.text).toContain('Votre demande est enregistrée');
    const app = await w.runtime.deps.store.applications.getBySiret(s);
    expect(app?.idempotencyKey).toBe(t.conversationId);
    // The replay gave no token (issue 12): the conversation still follows its own application.
    await t.say('où en est ma demande ?');
    expect(t.text).toContain(`Votre demande (référence ${app?.id.slice(0, 8)})`);
    await engine.close();
  });

  it('completes the actor step (Charte, CGU, Kit) in the chat once staff approved the review', async () => {
    const s = siret(557);
    const t = new Transcript(w.newEngine());
    await upTo(t, HAPPY_ANSWERS.length, s);
    await t.say('confirmer');
    const deps = w.runtime.deps;
    const app = await deps.store.applications.getBySiret(s);
    // The applicant opens the link e-mailed at submission (their address is confirmed), then staff review it.
    await w.confirmAddress(app!.id);
    // Wait for the workflow to open the staff review, approve it as staff.
    let taskId: string | undefined;
    await expect
      .poll(
        async () => {
          const { tasks } = await deps.store.tasks.inbox({}, { limit: 100 });
          taskId = tasks.find((x) => x.applicationId === app!.id && x.step === 'staff_review')?.taskId;
          return taskId;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBeDefined();
    await decideTask(deps, { kind: 'staff', email: 'staff@aptic.test', role: 'admin', sessionHash: 'x' }, taskId!, {
      decision: 'approve',
    });
    const stage = async () => (await deps.store.applications.get(app!.id))?.stage;
    await expect.poll(stage, { timeout: 15_000, interval: 50 }).toBe('actor_commitments');
    await t.say('où en est ma demande ?');
    expect(t.text).toContain('Engagements à signer');
    expect(t.lastReply!.quick_replies?.[0]?.title).toBe('Signer mes engagements');
    await t.say(t.lastReply!.quick_replies![0]!.payload);
    expect(t.text).toContain('Signez-vous la Charte');
    // One answer for both documents, each linked to its version in force (issue 14 item 5), then the Kit.
    expect(t.lastReply!.text).toContain('(version 2024-01 : https://www.aptic.fr/cgu)');
    await t.say('oui');
    expect(t.lastReply!.text).toContain('abonnement #APTIC (Kit)');
    await t.say('oui');
    expect(t.text).toContain('Vos engagements sont enregistrés');
    // The IBAN is not asked in the chat: it says where (the actor space, reached from the e-mailed sign-in link).
    expect(t.lastReply!.text).toMatch(/coordonnées bancaires \(IBAN\).*espace demandeur.*j’ai déjà fait une demande/s);
    await expect.poll(stage, { timeout: 15_000, interval: 50 }).toBe('final_approval');
    await t.say('où en est ma demande ?');
    expect(t.lastReply!.text).toMatch(/attend aussi les coordonnées bancaires/);
  });
});

describe('failures', () => {
  it('apologises when a handler throws, keeps the conversation, and answers the next turn', async () => {
    let broken = true;
    const ports = {
      ...w.ports,
      faq: {
        ...w.ports.faq,
        match(q: string, vars: FaqVariables) {
          if (broken) throw new Error('matcher down');
          return w.ports.faq.match(q, vars);
        },
      },
    };
    const { createChatEngine } = await import('../../../bot/chat-bot.js');
    const engine = createChatEngine(ports);
    const t = new Transcript(engine);
    await upTo(t, 1);
    await t.say('pas une forme connue');
    expect(t.text).toContain('Désolé, une erreur est survenue');
    broken = false;
    await t.say('1');
    expect(t.text).toContain('SIRET');
    await engine.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoverTrigger, recordTurn } from '../../../bot/dialogs/support.js';
import { classifierStore, setClassifierStore } from '../../../bot/faq/classifier.js';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createLiveFaqPort, type SharedFaqModel } from '../../../bot/faq-live.js';
import { initialState } from '../../../bot/state.js';
import { maskPersonal } from '../../../shared/usecases/support.js';

describe('« parler à quelqu’un » is recognised as people type it', () => {
  it.each([
    'parler à quelqu’un',
    "Je voudrais parler à quelqu'un",
    'je veux parler a un humain',
    'Puis-je parler à un conseiller ?',
    'contacter le support',
    'une vraie personne svp',
    'un humain',
  ])('%s', (text) => {
    expect(handoverTrigger(text)).toBe('typed');
  });

  it.each([
    'combien coûte le kit',
    'je parle à mes bénéficiaires',
    'quelqu’un peut-il qualifier mon lieu ?',
    'humanité',
  ])('not: %s', (text) => {
    expect(handoverTrigger(text)).toBeNull();
  });

  it('the quick replies say how they were offered', () => {
    expect(handoverTrigger('contact:humain')).toBe('button');
    expect(handoverTrigger('contact:humain:auto')).toBe('misunderstood');
  });
});

describe('the excerpt keeps personal data to a minimum', () => {
  it('masks e-mail addresses, phone numbers and long numbers, keeps the words', () => {
    const out = maskPersonal(
      'Écrivez-moi à jean.dupont@example.org ou au 06 12 34 56 78 (+33 6 12 34 56 78), SIRET 732 829 320 00074, 25 h par semaine',
    );
    expect(out).toBe(
      'Écrivez-moi à [adresse masquée] ou au [téléphone masqué] ([téléphone masqué]), SIRET [numéro masqué], 25 h par semaine',
    );
  });
});

describe('recordTurn', () => {
  it('keeps what was said (not the payloads), at most 50 messages, and resets the misunderstandings on an understood turn', () => {
    const s = initialState();
    s.misses = 1;
    recordTurn(s, { type: 'message', text: 'bonjour' }, [{ text: 'Bonjour !' }, { text: 'Vous êtes :' }]);
    expect(s.transcript).toEqual([
      { who: 'actor', text: 'bonjour' },
      { who: 'bot', text: 'Bonjour !\nVous êtes :' },
    ]);
    expect(s.misses).toBe(0);
    s.misses = 1;
    s.missedTurn = true;
    recordTurn(s, { type: 'message', text: 'sujet:cost-kit' }, [{ text: 'Le Kit…' }]);
    expect(s.misses).toBe(1);
    expect(s.missedTurn).toBeUndefined();
    expect(s.transcript?.at(-2)).toEqual({ who: 'bot', text: 'Bonjour !\nVous êtes :' });
    for (let i = 0; i < 40; i++) recordTurn(s, { type: 'message', text: `m${i}` }, [{ text: `r${i}` }]);
    expect(s.transcript).toHaveLength(50);
    expect(s.transcript?.at(-1)).toEqual({ who: 'bot', text: 'r39' });
    recordTurn(s, { type: 'hello' }, [{ text: 'Re-bonjour !' }]);
    expect(s.transcript?.at(-1)).toEqual({ who: 'bot', text: 'r39' });
  });
});

describe('the live FAQ port', () => {
  const file = loadKnowledgeBase();
  const topic = file.topics.find((t) => t.id === 'cost-kit')!;
  const vars = { supportEmail: 's@x.fr', kitPrice: '77', kitPeriod: 'an' };
  const published = (answer: string) => ({
    ...file,
    topics: file.topics.map((t) => (t.id === topic.id ? { ...t, answer } : t)),
  });

  function world() {
    let now = 0;
    let inForce: { versionId: string | null; body: unknown } = { versionId: null, body: null };
    let reads = 0;
    const warnings: string[] = [];
    const port = createLiveFaqPort(
      {
        async since(known) {
          reads++;
          return inForce.versionId === known ? 'unchanged' : inForce;
        },
        checkSeconds: async () => 3,
        now: () => now,
        warn: (_f, msg) => warnings.push(msg),
      },
      { file },
    );
    return {
      port,
      warnings,
      reads: () => reads,
      tick: (ms: number) => {
        now += ms;
      },
      publish: (versionId: string | null, body: unknown) => {
        inForce = { versionId, body };
      },
    };
  }

  it('answers from the file, then from a published version once checked, within the check delay; back to the file on rollback', async () => {
    const w = world();
    await w.port.refresh();
    expect(w.port.answerFor(topic.id, vars)).toBe(
      topic.answer.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => vars[k as keyof typeof vars]),
    );
    w.publish('v1', published('Nouvelle réponse publiée pour le prix du Kit, {{kitPrice}} € HT.'));
    w.tick(1000);
    await w.port.refresh();
    expect(w.port.versionId()).toBeNull(); // checked less than 3 s ago: no read
    expect(w.reads()).toBe(1);
    w.tick(2500);
    await w.port.refresh();
    expect(w.port.versionId()).toBe('v1');
    expect(w.port.answerFor(topic.id, vars)).toBe('Nouvelle réponse publiée pour le prix du Kit, 77 € HT.');
    expect(w.port.match(topic.examples[0]!, vars).answer).toContain('Nouvelle réponse publiée');
    w.publish(null, null);
    w.tick(3500);
    await w.port.refresh();
    expect(w.port.versionId()).toBeNull();
    expect(w.port.answerFor(topic.id, vars)).not.toContain('Nouvelle réponse publiée');
  });

  it('a version that fails validation keeps the current matcher and is logged', async () => {
    const w = world();
    w.publish('bad', { ...file, topics: [] });
    await w.port.refresh();
    expect(w.port.versionId()).toBeNull();
    expect(w.warnings).toHaveLength(1);
  });

  describe('shares the classifier of a published version between instances', () => {
    // A smaller knowledge base (no merged sets) trains in a fraction of a second; no local classifier store, so an
    // instance that does not find the shared model really trains.
    const small = { ...file, mergedEvaluationSets: [] };
    const edited = {
      ...small,
      topics: small.topics.map((t) =>
        t.id === topic.id ? { ...t, examples: [...t.examples, 'le kit on le paie quand exactement ?'] } : t,
      ),
    };
    let kept: ReturnType<typeof classifierStore>;
    beforeAll(() => {
      kept = classifierStore();
      setClassifierStore(null);
    });
    afterAll(() => setClassifierStore(kept));

    function instance(models: {
      get(v: string): Promise<SharedFaqModel | null>;
      put(v: string, m: SharedFaqModel): Promise<boolean>;
    }) {
      const warnings: string[] = [];
      const port = createLiveFaqPort(
        {
          since: async (known) => (known === 'v2' ? 'unchanged' : { versionId: 'v2', body: edited }),
          checkSeconds: async () => 3,
          now: () => 0,
          models,
          warn: (_f, msg) => warnings.push(msg),
        },
        { file: small },
      );
      return { port, warnings };
    }
    function sharedStore(initial?: SharedFaqModel) {
      const stored = new Map<string, SharedFaqModel>(initial ? [['v2', initial]] : []);
      const puts: string[] = [];
      return {
        stored,
        puts,
        get: async (v: string) => stored.get(v) ?? null,
        put: async (v: string, m: SharedFaqModel) => {
          puts.push(m.key);
          stored.set(v, m);
          return true;
        },
      };
    }
    const questions = [
      ...topic.examples.slice(0, 5),
      'le kit on le paie quand exactement ?',
      'bonjour',
      'météo demain',
    ];

    it('the first instance trains and shares it; the next one reads it and trains nothing, with the same matches', async () => {
      const models = sharedStore();
      const a = instance(models);
      await a.port.warm(); // what `npm start` does at start-up: check the version in force and build its matcher
      expect(a.port.versionId()).toBe('v2');
      expect(models.puts).toHaveLength(1); // trained: the edited examples are not the file's
      const b = instance(models);
      await b.port.refresh();
      expect(b.port.versionId()).toBe('v2');
      expect(models.puts).toHaveLength(1); // b would have shared what it trained
      for (const q of questions) expect(b.port.match(q, vars), q).toEqual(a.port.match(q, vars));
      expect([...a.warnings, ...b.warnings]).toEqual([]);
    });

    it('a model of other code (another key) or unreadable is trained again and replaced; a store that fails is only logged', async () => {
      const models = sharedStore({ key: 'trained-by-older-code', data: new Uint8Array([1, 2, 3]) });
      const c = instance(models);
      await c.port.refresh();
      expect(models.puts).toHaveLength(1);
      expect(models.stored.get('v2')?.key).not.toBe('trained-by-older-code');
      const unreadable = sharedStore({ key: models.puts[0]!, data: new Uint8Array([1, 2, 3]) });
      await instance(unreadable).port.refresh();
      expect(unreadable.puts).toEqual([models.puts[0]]);

      const failing = instance({
        get: async () => {
          throw new Error('store down');
        },
        put: async () => {
          throw new Error('store down');
        },
      });
      await failing.port.refresh();
      expect(failing.port.versionId()).toBe('v2'); // trained its own
      expect(failing.warnings).toEqual([
        'shared FAQ model not read; this instance trains its own',
        'trained FAQ model not shared',
      ]);
      const tooBig = instance({ get: async () => null, put: async () => false });
      await tooBig.port.refresh();
      expect(tooBig.warnings).toEqual(['trained FAQ model too big to share']);
    });
  });
});

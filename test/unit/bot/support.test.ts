import { describe, expect, it } from 'vitest';
import { handoverTrigger, recordTurn } from '../../../bot/dialogs/support.js';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createLiveFaqPort } from '../../../bot/faq-live.js';
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
});

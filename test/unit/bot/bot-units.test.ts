import { describe, expect, it } from 'vitest';
import {
  looksLikeQuestion,
  parseChoice,
  parseMulti,
  parseNumber,
  parseYesNo,
  splitPostalAndCommune,
} from '../../../bot/answers.js';
import type { DialogStateStore } from '../../../bot/conversation.js';
import { createEngine, verbatim } from '../../../bot/engine.js';
import { parseCommune } from '../../../bot/fields/index.js';
import { KeyedQueue } from '../../../bot/queue.js';
import { RateLimiter } from '../../../bot/rate-limit.js';
import { checkText } from '../../../bot/service.js';
import { createHmacSessions } from '../../../bot/sessions.js';
import { emptyDraft, initialState, toApplicationDocument } from '../../../bot/state.js';
import { parseApplication } from '../../../shared/domain/application.js';

// The engine's own tests use a Map as its DialogStateStore (bot tests over DynamoDB are in test/integration/bot).
function memoryStore(): DialogStateStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  const versions = new Map<string, number>();
  return {
    data,
    get: async (id) => (data.has(id) ? { state: JSON.parse(data.get(id)!), version: versions.get(id) ?? 0 } : null),
    put: async (id, state, _ttl, expected) => {
      if ((versions.get(id) ?? 0) !== expected) return null;
      data.set(id, JSON.stringify(state));
      versions.set(id, expected + 1);
      return expected + 1;
    },
    delete: async (id) => {
      data.delete(id);
      versions.delete(id);
    },
  };
}

describe('answers', () => {
  it('reads yes/no the way people write it', () => {
    for (const y of ['oui', 'Oui !', 'ouais', 'OK', "d'accord", 'bien sûr']) expect(parseYesNo(y)).toBe(true);
    for (const n of ['non', 'Non.', 'nan', 'pas du tout']) expect(parseYesNo(n)).toBe(false);
    expect(parseYesNo('peut-être')).toBeNull();
  });

  it('reads choices by number, label, alias or prefix', () => {
    const opts = [
      { value: 'a', label: 'association', aliases: ['asso'] },
      { value: 'e', label: 'entreprise (SAS, SARL…)', aliases: ['sarl'] },
    ];
    expect(parseChoice('2', opts)).toBe('e');
    expect(parseChoice('Association', opts)).toBe('a');
    expect(parseChoice('une SARL', opts)).toBe('e');
    expect(parseChoice('3', opts)).toBeNull();
    expect(parseMulti('1, 2', opts)).toEqual(['a', 'e']);
    expect(parseMulti('1 et 2', opts)).toEqual(['a', 'e']);
    expect(parseMulti('asso; sarl', opts)).toEqual(['a', 'e']);
    expect(parseMulti('1, 9', opts)).toBeNull();
  });

  it('reads numbers with units and words', () => {
    expect(parseNumber('30h', { integer: false })).toBe(30);
    expect(parseNumber('12,5 heures', { integer: false })).toBe(12.5);
    expect(parseNumber('aucun', { integer: true })).toBe(0);
    expect(parseNumber('2.5', { integer: true })).toBeNull();
    expect(parseNumber('beaucoup', { integer: true })).toBeNull();
  });

  it('splits postal code and commune in either order', () => {
    expect(splitPostalAndCommune('87000 Limoges')).toEqual({ cp: '87000', commune: 'Limoges' });
    expect(splitPostalAndCommune('Limoges 87 000')).toEqual({ cp: '87000', commune: 'Limoges' });
    expect(splitPostalAndCommune('Limoges')).toBeNull();
    expect(parseCommune('20000 Ajaccio').ok).toBe(true);
    const ambiguous = parseCommune('75001');
    expect(ambiguous.ok).toBe(true);
  });

  it('tells questions from answers', () => {
    expect(looksLikeQuestion('combien ça coûte')).toBe(true);
    expect(looksLikeQuestion('Clic Solidaire')).toBe(false);
  });
});

describe('sessions', () => {
  const secret = 'x'.repeat(40);
  it('round-trips, carries the campaign, and refuses tampering and expiry', () => {
    let now = new Date('2026-11-26T10:00:00Z');
    const s = createHmacSessions({ secret, ttlSeconds: 3600, clock: () => now });
    const t = s.issue({ campaignCode: 'webinaire-87' });
    const c = s.verify(t)!;
    expect(c.conversationId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(c.campaignCode).toBe('webinaire-87');
    expect(s.verify(`${t}x`)).toBeNull();
    expect(createHmacSessions({ secret: 'y'.repeat(40) }).verify(t)).toBeNull();
    expect(
      s.verify(t.replace(/^[^.]+/, Buffer.from('{"c":"AAAAAAAAAAAAAAAAAAAAAA","t":1}').toString('base64url'))),
    ).toBeNull();
    now = new Date('2026-11-26T11:00:01Z');
    expect(s.verify(t)).toBeNull();
    expect(s.issue({}).length).toBeLessThan(200);
  });
});

describe('transport checks', () => {
  it('refuses empty, binary and oversized text politely', () => {
    expect(checkText('  ', 10)).toMatchObject({ ok: false });
    expect(checkText('a\u0000b', 10)).toMatchObject({ ok: false });
    expect(checkText('é'.repeat(11), 10)).toMatchObject({ ok: false });
    expect(checkText(' 🎉 \u202Eabc ', 10)).toEqual({ ok: true, text: '🎉 \u202Eabc' });
  });

  it('limits rate per key with a token bucket', () => {
    let t = 0;
    const r = new RateLimiter({ perMinute: 60, burst: 2 }, () => t);
    expect([r.take('a'), r.take('a'), r.take('a')]).toEqual([true, true, false]);
    expect(r.take('b')).toBe(true);
    t += 1000;
    expect(r.take('a')).toBe(true);
    // Empty again: one token a second comes back in 1 s (the Retry-After of a refusal).
    expect(r.take('a')).toBe(false);
    expect(r.retryAfterSeconds('a')).toBe(1);
    expect(new RateLimiter({ perMinute: 2, burst: 1 }, () => t).retryAfterSeconds('never-seen')).toBe(1);
  });
});

describe('KeyedQueue', () => {
  it('runs one key in order and survives a failing task', async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    // The first task holds the key until the other two are queued behind it (a gate, not a sleep).
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = q.run('k', async () => {
      await gate;
      order.push('first');
    });
    const failing = q.run('k', async () => {
      order.push('second');
      throw new Error('x');
    });
    const third = q.run('k', async () => order.push('third'));
    release();
    await Promise.allSettled([slow, failing, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    await q.drain();
    expect(q.size).toBe(0);
  });
});

describe('engine', () => {
  it('keeps mustache out of user text and survives a throwing handler', async () => {
    expect(verbatim('{{x}}')).not.toBe('{{x}}');
    const store = memoryStore();
    const engine = createEngine<{ n: number }, Record<string, never>>({
      store,
      ttlSeconds: 60,
      initialState: () => ({ n: 0 }),
      apology: 'oops',
      define(bot) {
        const d = bot.dialog('d');
        d.ask({ text: 'Nom ?' }, 'nom');
        d.onChange('nom', async (v, _c, t) => {
          await t.say(`Bonjour ${String(v)}`);
        });
        bot.onHello(async (t) => t.beginDialog('d'));
        bot.onMessage(async (t, text) => {
          t.state.n++;
          if (text === 'boom') throw new Error('boom');
          await t.say(`n=${t.state.n}`);
        });
      },
    });
    expect((await engine.turn('c', { type: 'hello' }, {}))[0]!.text).toBe('Nom ?');
    expect((await engine.turn('c', { type: 'message', text: '{{vars.nom}} <b>' }, {}))[0]!.text).toBe(
      'Bonjour {{vars.nom}} <b>',
    );
    expect(await engine.turn('c', { type: 'message', text: 'x' }, {})).toEqual([{ text: 'n=1' }]);
    expect(await engine.turn('c', { type: 'message', text: 'boom' }, {})).toEqual([{ text: 'oops' }]);
    // The failed turn saved nothing.
    expect(await engine.turn('c', { type: 'message', text: 'y' }, {})).toEqual([{ text: 'n=2' }]);
    expect([...store.data.keys()]).toEqual(['c']);
    await engine.close();
    expect(await engine.turn('c', { type: 'message', text: 'z' }, {})).toEqual([{ text: 'oops' }]);
  });
});

describe('resident engine', () => {
  it('answers before the state is stored, stores it before the next turn, and flushes on close', async () => {
    const store = memoryStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: DialogStateStore = {
      get: store.get,
      delete: store.delete,
      put: async (id, state, ttl, expected) => {
        await gate;
        return store.put(id, state, ttl, expected);
      },
    };
    const engine = createEngine<{ n: number }, Record<string, never>>({
      store: slow,
      ttlSeconds: 60,
      initialState: () => ({ n: 0 }),
      apology: 'oops',
      resident: true,
      define(bot) {
        bot.onMessage(async (t) => {
          t.state.n++;
          await t.say(`n=${t.state.n}`);
        });
      },
    });
    expect(await engine.turn('c', { type: 'message', text: 'a' }, {})).toEqual([{ text: 'n=1' }]);
    expect(store.data.size).toBe(0);
    const second = engine.turn('c', { type: 'message', text: 'b' }, {});
    release();
    expect(await second).toEqual([{ text: 'n=2' }]);
    await engine.close();
    expect(JSON.parse(store.data.get('c')!).aptic.n).toBe(2);
  });
});

describe('engine and dialog versions', () => {
  const counter = (store: DialogStateStore, resident: boolean, errors: unknown[] = []) =>
    createEngine<{ n: number }, Record<string, never>>({
      store,
      ttlSeconds: 60,
      initialState: () => ({ n: 0 }),
      apology: 'oops',
      resident,
      onError: (err) => errors.push(err),
      define(bot) {
        bot.onMessage(async (t) => {
          t.state.n++;
          await t.say(`n=${t.state.n}`);
        });
      },
    });
  const stored = (store: ReturnType<typeof memoryStore>) => JSON.parse(store.data.get('c')!).aptic.n as number;

  it('runs a turn again on the newer state when another instance stored first; only that run is answered', async () => {
    const store = memoryStore();
    const a = counter(store, false);
    expect(await a.turn('c', { type: 'message', text: 'x' }, {})).toEqual([{ text: 'n=1' }]);
    // B reads version 1, then A stores version 2 before B writes.
    let raced = false;
    const racing: DialogStateStore = {
      ...store,
      get: async (id) => {
        const got = await store.get(id);
        if (!raced) {
          raced = true;
          await a.turn('c', { type: 'message', text: 'y' }, {});
        }
        return got;
      },
    };
    const b = counter(racing, false);
    expect(await b.turn('c', { type: 'message', text: 'z' }, {})).toEqual([{ text: 'n=3' }]);
    expect(stored(store)).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });

  it('resident: a lost race drops the cached state, so the next turn reads what is stored', async () => {
    const store = memoryStore();
    const errors: unknown[] = [];
    const engine = counter(store, true, errors);
    expect(await engine.turn('c', { type: 'message', text: 'a' }, {})).toEqual([{ text: 'n=1' }]);
    await engine.drain();
    // Another process (not expected beside a resident one) moves the conversation on.
    const other = counter(store, false);
    await other.turn('c', { type: 'message', text: 'b' }, {});
    await other.turn('c', { type: 'message', text: 'b' }, {});
    expect(stored(store)).toBe(3);
    // The resident engine still answers from its cache (n=2), then its write loses and the cache is dropped.
    expect(await engine.turn('c', { type: 'message', text: 'c' }, {})).toEqual([{ text: 'n=2' }]);
    await engine.drain();
    expect(errors.map((e) => (e as Error).name)).toEqual(['StaleDialogError']);
    expect(await engine.turn('c', { type: 'message', text: 'd' }, {})).toEqual([{ text: 'n=4' }]);
    await Promise.all([engine.close(), other.close()]);
    expect(stored(store)).toBe(4);
  });
});

describe('application document', () => {
  it('builds a document the domain accepts from a complete draft', () => {
    const s = initialState();
    s.draft = emptyDraft();
    Object.assign(s.draft.structure, {
      nom: 'Clic',
      forme_juridique: 'association',
      siret: '73282932000074',
      demandeur_est_representant_legal: true,
      representant_nom: 'Claire Martin',
      representant_courriel: 'claire@clic.fr',
      compte_bancaire: true,
    });
    s.draft.lieux = [
      {
        adresse: '12 rue des Lilas',
        code_postal: '87280',
        commune: 'Limoges',
        horaires: null,
        accueil_inconditionnel: true,
      },
    ];
    Object.assign(s.draft.activite, {
      mediation: true,
      services: ['Aide aux démarches administratives'],
      modalites_accompagnement: ['Accompagnement individuel'],
      lieux_d_intervention: ['lieu_propre'],
      frais_a_charge: ['Gratuit'],
      publics_specifiquement_adresses: [],
    });
    Object.assign(s.draft.engagements, { charte: true, cgu: true, abonnement: 'oui', publication: true });
    const r = parseApplication(toApplicationDocument(s));
    expect(r.ok ? [] : r.issues).toEqual([]);
  });
});

// « Parler à quelqu’un » end to end (issue 14 § 8): the chat opens a support request with an excerpt of the
// conversation, staff list and answer it through the console routes, the answer reaches the chat (poll or next
// message) and the e-mail (outbox), the time to first answer is stored and measured; export and erasure cover it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatServiceFromDeps } from '../../../bot/index.js';
import type { ChatService } from '../../../bot/service.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';

let app: ConsoleApp;
let chat: ChatService;

beforeAll(async () => {
  app = await startConsoleApp();
  chat = await createChatServiceFromDeps(app.deps, {
    allowedOrigins: [],
    publicBaseUrl: 'http://127.0.0.1:1',
    ratePerMinute: 600,
    sessionsPerMinute: 6000,
  });
}, 180_000);
afterAll(async () => {
  await chat?.close();
  await app?.close();
});

interface Reply {
  text: string;
  from?: string;
  support?: string;
  quick_replies?: { title: string; payload: string }[];
}

/** One conversation over the chat's HTTP routes (session token, webhook), as the page in simple mode. */
async function conversation(body: Record<string, unknown> = {}) {
  const req = (path: string, payload: unknown, token?: string) =>
    chat.handle({
      method: 'POST',
      path,
      params: {},
      query: {},
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
      sourceIp: '127.0.0.1',
    });
  const session = await req('/api/chat/session', body);
  expect(session?.statusCode).toBe(200);
  const token = JSON.parse(session!.body).token as string;
  const send = async (payload: unknown): Promise<Reply[]> => {
    const res = await req('/api/messages', payload, token);
    expect(res?.statusCode).toBe(200);
    return JSON.parse(res!.body) as Reply[];
  };
  return {
    token,
    hello: () => send({ type: 'hello' }),
    say: (text: string) => send({ type: 'message', text }),
    poll: () => send({ type: 'poll' }),
  };
}

const texts = (r: Reply[]) => r.map((x) => x.text).join('\n');

async function requestsOf(conversationToken: string) {
  const conversationId = await sessionConversation(conversationToken);
  return app.deps.store.support.ofConversation(conversationId);
}

/** The conversation id inside a session token (the part before the signature is base64url JSON). */
async function sessionConversation(token: string): Promise<string> {
  const payload = token.split('.')[0]!;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c?: string; cid?: string };
  const id = claims.c ?? claims.cid;
  if (!id) throw new Error(`no conversation id in ${Object.keys(claims).join(',')}`);
  return id;
}

describe('talking to a person from the chat', () => {
  it('« parler à quelqu’un » asks for a message and an address, opens a request with a masked excerpt; the staff answer reaches the chat once, and the e-mail', async () => {
    // Prepare: a conversation with a question first, holding personal data.
    const c = await conversation();
    await c.hello();
    await c.say('4');
    await c.say('mon numéro est le 06 12 34 56 78 et mon mail jean.dupont@example.org');
    // Act
    const asked = await c.say('je voudrais parler à quelqu’un');
    // Assess
    expect(texts(asked)).toContain('que souhaitez-vous lui dire');
    const addressAsked = await c.say('Nous avons déménagé, comment changer l’adresse du lieu ?');
    expect(texts(addressAsked)).toContain('adresse e-mail');
    const done = await c.say('jean.dupont@example.org');
    expect(texts(done)).toContain('C’est transmis à l’équipe #APTIC');
    expect(done.at(-1)?.support).toBe('waiting');

    const [request] = await requestsOf(c.token);
    expect(request).toBeDefined();
    expect(request!.trigger).toBe('typed');
    expect(request!.message).toBe('Nous avons déménagé, comment changer l’adresse du lieu ?');
    expect(request!.courriel).toBe('jean.dupont@example.org');
    expect(request!.applicationId).toBeNull();
    const excerpt = request!.excerpt.map((l) => l.text).join('\n');
    expect(excerpt).toContain('[téléphone masqué]');
    expect(excerpt).toContain('[adresse masquée]');
    expect(excerpt).not.toContain('jean.dupont@example.org');
    expect(excerpt).not.toContain('06 12 34 56 78');

    // Staff see it in the console list, open, without a first answer yet.
    const reviewer = await app.staff('reviewer');
    const list = await app.call('GET', '/api/console/support', { token: reviewer.token });
    expect(list.status).toBe(200);
    const listed = list.body.requests.find((r: { id: string }) => r.id === request!.id);
    expect(listed).toMatchObject({
      status: 'open',
      firstAnswerSeconds: null,
      application: null,
      reachableByMail: true,
    });
    expect(list.body.open).toBeGreaterThanOrEqual(1);

    // Nothing in the chat yet: a poll answers only that it still waits.
    const early = await c.poll();
    expect(early.filter((r) => r.from === 'staff')).toEqual([]);
    expect(early.at(-1)?.support).toBe('waiting');

    // Act: staff answer; the time to first answer is measured.
    const measure = vi.fn();
    app.deps.metrics.measure = measure;
    const answered = await app.call('POST', `/api/console/support/${request!.id}/answer`, {
      token: reviewer.token,
      body: { text: 'Bonjour, envoyez-nous la nouvelle adresse : nous la corrigeons pour vous.' },
    });
    // Assess
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('answered');
    expect(answered.body.firstAnswerSeconds).toBeGreaterThanOrEqual(0);
    expect(answered.body.answers[0]).toMatchObject({ by: reviewer.email, shownInChat: false });
    expect(measure).toHaveBeenCalledWith('SupportFirstAnswerSeconds', expect.any(Number), 'Seconds');
    const stored = await app.deps.store.support.get(request!.id);
    expect(stored!.firstAnsweredAt).not.toBeNull();
    // The e-mail went through the mailer (the local host keeps it in the outbox: nothing leaves the machine).
    expect(stored!.answers[0]!.mail).toEqual({ channel: 'outbox', delivered: false });

    const polled = await c.poll();
    const staff = polled.filter((r) => r.from === 'staff');
    expect(staff.map((r) => r.text)).toEqual([
      'Réponse de l’équipe #APTIC : Bonjour, envoyez-nous la nouvelle adresse : nous la corrigeons pour vous.',
    ]);
    expect(polled.some((r) => r.support === 'waiting')).toBe(false);
    // Shown once: neither the next poll nor the next message repeats it.
    expect((await c.poll()).filter((r) => r.from === 'staff')).toEqual([]);
    expect((await c.say('merci')).filter((r) => r.from === 'staff')).toEqual([]);
    const listedAgain = await app.call('GET', '/api/console/support', { token: reviewer.token });
    const after = listedAgain.body.requests.find((r: { id: string }) => r.id === request!.id);
    expect(after.answers[0].shownInChat).toBe(true);
    expect(after.firstAnswerSeconds).toBe(stored!.firstAnswerSeconds);
  });

  it('an answer written while the actor is away shows before the reply to the next message', async () => {
    const c = await conversation();
    await c.hello();
    await c.say('parler à quelqu’un');
    await c.say('Ma question sur le Kit');
    await c.say('non');
    const [request] = await requestsOf(c.token);
    expect(request!.courriel).toBeNull();
    const staff = await app.staff('reviewer');
    const res = await app.call('POST', `/api/console/support/${request!.id}/answer`, {
      token: staff.token,
      body: { text: 'Le Kit est facultatif.' },
    });
    expect(res.status).toBe(200);
    expect(res.body.reachableByMail).toBe(false);
    const next = await c.say('combien coûte le kit ?');
    expect(next[0]).toEqual({ text: 'Réponse de l’équipe #APTIC : Le Kit est facultatif.', from: 'staff' });
    expect(next.length).toBeGreaterThan(1);
  });

  it('after two misunderstandings in a row the chat offers a person by itself; the button opens a request counted as such', async () => {
    const c = await conversation();
    await c.hello();
    await c.say('4');
    const first = await c.say('blorp zzkx vrr');
    expect(first.at(-1)?.quick_replies?.some((q) => q.title === 'Parler à quelqu’un')).toBe(true);
    expect(texts(first)).not.toContain('Je n’arrive pas à vous comprendre');
    const second = await c.say('qsdkj mlkq fff');
    expect(texts(second)).toContain('Je n’arrive pas à vous comprendre');
    const offer = second.at(-1)?.quick_replies?.find((q) => q.title === 'Parler à quelqu’un');
    expect(offer).toBeDefined();
    await c.say(offer!.payload);
    await c.say('Je ne comprends pas le questionnaire');
    await c.say('non');
    const [request] = await requestsOf(c.token);
    expect(request!.trigger).toBe('misunderstood');
    // The excerpt shows what was not understood (the payload of the button is not a message of the actor).
    expect(request!.excerpt.map((l) => l.text).join('\n')).toContain('qsdkj mlkq fff');
    expect(request!.excerpt.some((l) => l.text.startsWith('contact:'))).toBe(false);
  });

  it('an understood message in between starts the count again', async () => {
    const c = await conversation();
    await c.hello();
    await c.say('4');
    await c.say('blorp zzkx vrr');
    await c.say('combien coûte le kit ?');
    const again = await c.say('qsdkj mlkq fff');
    expect(texts(again)).not.toContain('Je n’arrive pas à vous comprendre');
  });

  it('« annuler » sends nothing', async () => {
    const c = await conversation();
    await c.hello();
    await c.say('parler à un humain');
    const r = await c.say('annuler');
    expect(texts(r)).toContain('je ne transmets rien');
    expect(await requestsOf(c.token)).toEqual([]);
  });

  it('from the actor space, the request is linked to the application: the console shows it, the e-mail goes to its address with the way back and no sign-in link; export and erasure cover it', async () => {
    // Prepare: an application and a conversation bound to it (opened from /espace).
    const submitted = await app.submit();
    const c = await conversation({ resume: { applicationId: submitted.id, token: submitted.actorToken } });
    await c.hello();
    await c.say('parler à quelqu’un');
    const done = await c.say('Où en est l’examen de mon dossier ?');
    expect(texts(done)).toContain('par e-mail, à l’adresse de votre demande');
    const [request] = await app.deps.store.support.ofApplication(submitted.id);
    expect(request).toBeDefined();
    const admin = await app.staff('admin');
    const list = await app.call('GET', '/api/console/support', { token: admin.token });
    const listed = list.body.requests.find((r: { id: string }) => r.id === request!.id);
    expect(listed.application).toMatchObject({ id: submitted.id });
    expect(listed.application.nom).toBeTruthy();
    // Act
    const res = await app.call('POST', `/api/console/support/${request!.id}/answer`, {
      token: admin.token,
      body: { text: 'Votre dossier est en cours d’examen.' },
    });
    expect(res.status).toBe(200);
    // Assess: the e-mail is in the application's outbox, with the actor space and the chat, no code.
    const mail = (await app.deps.store.outbox.list(submitted.id)).find((m) => m.key.startsWith('support#'));
    expect(mail?.text).toContain('Votre dossier est en cours d’examen.');
    expect(mail?.text).toContain('/espace');
    expect(mail?.text).not.toMatch(/#code=|act_|acs_/);
    expect(mail?.to).toBeTruthy();
    // Export.
    const exported = await app.call('GET', `/api/applications/${submitted.id}/export`, { token: submitted.actorToken });
    expect(exported.status).toBe(200);
    expect(exported.body.supportRequests).toEqual([
      expect.objectContaining({
        message: 'Où en est l’examen de mon dossier ?',
        answers: [expect.objectContaining({ text: 'Votre dossier est en cours d’examen.' })],
      }),
    ]);
    expect(JSON.stringify(exported.body.supportRequests)).not.toContain(admin.email);
    // Erasure: the text goes, the figures stay.
    const erased = await app.call('POST', `/api/applications/${submitted.id}/erasure`, { token: admin.token });
    expect(erased.status).toBe(200);
    const after = await app.deps.store.support.get(request!.id);
    expect(after).toMatchObject({ message: '', excerpt: [], courriel: null, conversationId: null });
    expect(after!.answers.every((a) => a.text === '')).toBe(true);
    expect(after!.erasedAt).toBeTruthy();
    expect(after!.firstAnswerSeconds).toBe(request!.firstAnswerSeconds ?? after!.firstAnswerSeconds);
    const listedAfter = await app.call('GET', '/api/console/support', { token: admin.token });
    expect(listedAfter.body.requests.find((r: { id: string }) => r.id === request!.id).erased).toBe(true);
  });
});

describe('the console routes refuse what they must', () => {
  it('401 without a session, 404 for an unknown or malformed id, 400 with fields for an empty answer', async () => {
    expect((await app.call('GET', '/api/console/support')).status).toBe(401);
    const staff = await app.staff('reviewer');
    const unknown = await app.call('POST', '/api/console/support/8a6e0804-2bd0-4672-b79a-d4a6e8a2f3a1/answer', {
      token: staff.token,
      body: { text: 'Bonjour' },
    });
    expect(unknown.status).toBe(404);
    expect((await app.call('POST', '/api/console/support/nope/answer', { token: staff.token, body: {} })).status).toBe(
      404,
    );
    const c = await conversation();
    await c.hello();
    await c.say('parler à quelqu’un');
    await c.say('Une question');
    await c.say('non');
    const [request] = await requestsOf(c.token);
    const empty = await app.call('POST', `/api/console/support/${request!.id}/answer`, {
      token: staff.token,
      body: { text: ' ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.fields[0].path).toBe('text');
    expect(empty.body.message).toMatch(/vide/);
  });
});

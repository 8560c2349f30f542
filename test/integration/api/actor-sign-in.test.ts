// The actor's way back (docs/actor.md), over HTTP on the whole local runtime: sign-in link by e-mail (enumeration-
// safe, throttled, single use, expiring), the actor session (every application of the address, expiry, revocation,
// re-checked at use), the address confirmation step of the state machine, internal notes kept from actors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/config.js';
import { signInCodeIn } from '../../helpers/local-app.js';
import { applicationDocument, type ConsoleApp, makeSiret, startConsoleApp } from '../console/harness.js';

let app: ConsoleApp;
/** Moves the use cases' clock (code and session expiry); the engine's own timers keep real time. */
let offsetMs = 0;
let serial = 0;
const uniqueAddress = () => `demandeur-${process.pid}-${++serial}@exemple.fr`;

beforeAll(async () => {
  app = await startConsoleApp({
    config: parseConfig({ actorSignIn: { perAddressPerHour: 3, perIpPerHour: 1000, minResponseMs: 20 } }),
    depsOverrides: { clock: () => new Date(Date.now() + offsetMs) },
  });
}, 60_000);
afterAll(() => app?.close());

const withAddress = (courriel: string) =>
  applicationDocument({
    extra: (doc) => {
      doc.structure.representant_legal = { nom: 'Claire Martin', courriel };
    },
  });

async function submitWith(courriel: string, siret = makeSiret()): Promise<{ id: string; actorToken: string }> {
  const doc = withAddress(courriel);
  doc.structure.siret = siret;
  const res = await app.call('POST', '/api/applications', { body: doc });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** The code of the latest sign-in link sent for an application (read from the outbox, as staff would). */
async function latestCode(applicationId: string, after = 0): Promise<string> {
  let code: string | null = null;
  await expect
    .poll(async () => {
      const links = (await app.deps.store.outbox.list(applicationId)).filter((m) => m.key.startsWith('signin#'));
      code = links.length > after ? signInCodeIn(links.at(-1)!.text) : null;
      return code;
    })
    .not.toBeNull();
  return code!;
}

const signIn = (courriel: string, headers: Record<string, string> = {}) =>
  app.call('POST', '/api/actor/sign-in', { body: { courriel }, headers });
const verify = (code: string) => app.call('POST', '/api/actor/sign-in/verify', { body: { code } });

describe('POST /api/actor/sign-in', () => {
  it('answers 202 with the same body for a known and an unknown address, and e-mails only the known one', async () => {
    const known = uniqueAddress();
    const { id } = await submitWith(known);
    const linksOf = async () =>
      (await app.deps.store.outbox.list(id)).filter((m) => m.key.startsWith('signin#')).length;
    const before = await linksOf();
    const a = await signIn(known.toUpperCase());
    const b = await signIn(uniqueAddress());
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body).toEqual(b.body);
    expect(a.body.message).toMatch(/Si une demande est associée à cette adresse/);
    expect(await linksOf()).toBe(before + 1); // one message, to the known address only
    const staff = await app.staff();
    const outbox = await app.call('GET', '/api/console/outbox?limit=200', { token: staff.token });
    const mine = (outbox.body.messages as any[]).filter((m) => m.applicationId === id);
    expect(mine.map((m) => m.subject)).toContain('Votre lien de connexion #APTIC');
    const link = mine.find((m) => m.subject === 'Votre lien de connexion #APTIC');
    expect(link.to).toBe(known);
    expect(link.text).toMatch(/\/espace#code=[A-Za-z0-9_-]{20,}/);
  });

  it('refuses a malformed address with a French field error', async () => {
    const res = await signIn('pas-une-adresse');
    expect(res.status).toBe(400);
    expect(res.body.fields[0].message).toMatch(/adresse e-mail/i);
  });

  it('throttles per address: 429 with Retry-After beyond the hourly limit', async () => {
    const address = uniqueAddress();
    for (let i = 0; i < 3; i++) expect((await signIn(address)).status).toBe(202);
    const res = await signIn(address);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body.message).toMatch(/Trop de demandes/);
  });
});

describe('POST /api/actor/sign-in/verify and the actor session', () => {
  it('gives a token over every application of the address; the code is single use', async () => {
    const address = uniqueAddress();
    const first = await submitWith(address);
    const second = await submitWith(address);
    // Any link of the address opens all of its applications (here: the one e-mailed at the second submission).
    const code = await latestCode(second.id);
    const res = await verify(code);
    expect(res.status, res.text).toBe(200);
    expect(res.body.token).toMatch(/^acs_/);
    expect(res.body.applications.map((a: any) => a.id).sort()).toEqual([first.id, second.id].sort());
    for (const a of res.body.applications) expect(Object.keys(a).sort()).toEqual(['id', 'nom', 'stage']);
    const view = await app.call('GET', `/api/applications/${second.id}`, { token: res.body.token });
    expect(view.status).toBe(200);
    expect(view.body.id).toBe(second.id);

    const again = await verify(code);
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/n’est plus valable/);
    expect((await verify('x'.repeat(43))).status).toBe(401);
  });

  it('refuses a code after 30 minutes (clock moved)', async () => {
    const address = uniqueAddress();
    const { id } = await submitWith(address);
    const code = await latestCode(id);
    offsetMs = 31 * 60_000;
    try {
      expect((await verify(code)).status).toBe(401);
    } finally {
      offsetMs = 0;
    }
  });

  it('expires after the configured days, and ends at once on sign-out', async () => {
    const address = uniqueAddress();
    const { id } = await submitWith(address);
    const token = (await verify(await latestCode(id))).body.token as string;
    expect((await app.call('GET', `/api/applications/${id}`, { token })).status).toBe(200);
    offsetMs = 8 * 86_400_000;
    try {
      expect((await app.call('GET', `/api/applications/${id}`, { token })).status).toBe(401);
    } finally {
      offsetMs = 0;
    }
    const out = await app.call('POST', '/api/actor/sign-out', { token });
    expect(out.status).toBe(204);
    expect((await app.call('GET', `/api/applications/${id}`, { token })).status).toBe(401);
  });

  it("refuses an actor token on another actor's application (403), and re-checks the address at use", async () => {
    const mine = await submitWith(uniqueAddress());
    const theirs = await submitWith(uniqueAddress());
    const session = (await verify(await latestCode(mine.id))).body.token as string;
    expect((await app.call('GET', `/api/applications/${theirs.id}`, { token: session })).status).toBe(403);
    expect((await app.call('GET', `/api/applications/${theirs.id}`, { token: mine.actorToken })).status).toBe(403);
    const put = await app.call('PUT', `/api/applications/${theirs.id}`, {
      token: session,
      body: withAddress('x@y.fr'),
    });
    expect(put.status).toBe(403);

    // The application's address changes: the session no longer reaches it.
    const item = (await app.deps.store.applications.get(mine.id))!;
    const doc = structuredClone(item.document) as any;
    doc.structure.representant_legal.courriel = uniqueAddress();
    await app.deps.store.applications.update(item.id, item.version, { document: doc });
    expect((await app.call('GET', `/api/applications/${mine.id}`, { token: session })).status).toBe(403);
  });
});

describe('address confirmation (state machine step)', () => {
  it('holds a new application before staff review until the first sign-in link is opened', async () => {
    const { id } = await submitWith(uniqueAddress());
    await app.waitForStage(id, 'address_confirmation');
    const tasks = await app.deps.store.tasks.list(id);
    expect(tasks.filter((t) => t.status === 'open').map((t) => t.step)).toEqual(['address_confirmation']);
    const res = await verify(await latestCode(id));
    expect(res.status).toBe(200);
    await app.waitForTask(id, 'staff_review');
    const item = await app.deps.store.applications.get(id);
    expect(item?.addressConfirmedAt).toBeTruthy();
    const history = await app.deps.store.history.list(id);
    expect(history.map((e) => e.type)).toContain('address_confirmed');
  });

  it('confirms an address opened before the step even opens (no lost confirmation)', async () => {
    const { id } = await submitWith(uniqueAddress());
    // Immediately: the execution may not have reached AddressConfirmation yet.
    expect((await verify(await latestCode(id))).status).toBe(200);
    await app.waitForTask(id, 'staff_review');
  });
});

describe('what the actor sees of staff words', () => {
  it('never shows internal notes; shows a decision comment addressed to the actor', async () => {
    const { id, actorToken } = await submitWith(uniqueAddress());
    const staff = await app.staff('reviewer');
    const note = await app.call('POST', `/api/console/applications/${id}/comments`, {
      token: staff.token,
      body: { comment: 'Note interne : appeler la mairie avant de décider.' },
    });
    expect(note.status, note.text).toBeLessThan(300);
    const { taskId } = await app.waitForTask(id, 'staff_review');
    const decided = await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
      token: staff.token,
      body: { decision: 'request_changes', comment: 'Merci de préciser les horaires du lieu.' },
    });
    expect(decided.status, decided.text).toBe(200);
    await app.waitForStage(id, 'changes_requested');

    const actor = await app.call('GET', `/api/applications/${id}`, { token: actorToken });
    const text = JSON.stringify(actor.body);
    expect(text).not.toContain('Note interne');
    expect(actor.body.history.some((e: any) => e.type === 'comment')).toBe(false);
    expect(actor.body.history.map((e: any) => e.comment)).toContain('Merci de préciser les horaires du lieu.');
    const asStaff = await app.call('GET', `/api/applications/${id}`, { token: staff.token });
    expect(JSON.stringify(asStaff.body)).toContain('Note interne');
    // The change request e-mail shows the way back: the actor space, not a link that signs in by itself.
    // The stage is written before its message goes out (the mailer runs after the step is recorded): wait for it.
    let changes: any;
    await expect
      .poll(async () => {
        const again = await app.call('GET', `/api/applications/${id}`, { token: actorToken });
        changes = again.body.messages.find((m: any) => m.stage === 'changes_requested');
        return changes !== undefined;
      })
      .toBe(true);
    expect(changes.text).toMatch(/\/espace \(demandez-y un lien de connexion/);
    expect(changes.text).not.toMatch(/#code=/);
  });
});

describe('address confirmation timeout', () => {
  let short: ConsoleApp;
  beforeAll(async () => {
    short = await startConsoleApp({ callbackTimeoutOverride: { timeoutSeconds: 3, heartbeatSeconds: 2 } });
  }, 60_000);
  afterAll(() => short?.close());

  it('expires an unconfirmed application and releases its SIRET, so the same SIRET can apply again', async () => {
    const siret = makeSiret();
    const doc = withAddress(uniqueAddress());
    doc.structure.siret = siret;
    const first = await short.call('POST', '/api/applications', { body: doc });
    expect(first.status).toBe(201);
    await short.waitForStage(first.body.id, 'expired', 20_000);
    // The claim is released just after the stage is written (RecordExpired).
    await expect.poll(() => short.deps.store.applications.getBySiret(siret)).toBeNull();
    const again = await short.call('POST', '/api/applications', { body: doc });
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  }, 40_000);
});

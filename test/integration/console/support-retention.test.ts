import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupportRequest } from '../../../shared/store/store.js';
import { exportApplication } from '../../../shared/usecases/my-data.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { addressesOf, type StaffPrincipal } from '../../../shared/usecases/principal.js';
import { runRetention } from '../../../shared/usecases/retention.js';
import { answerSupportRequest, listSupportRequests, openSupportRequest } from '../../../shared/usecases/support.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

/**
 * Support requests with no application (« parler à quelqu’un » from the public chat, with an address given there):
 * no application's erasure or retention reaches them, so the retention job anonymises them after
 * `retention.supportAnsweredDays` (answered) or `retention.supportOpenDays` (never answered); the time to first
 * answer stays. The actor's export and erasure cover those made under the application's address.
 * Lite runtime: dynalite and the real use cases, the clock moved.
 */
let app: ConsoleApp;
let admin: StaffPrincipal;
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  const a = await app.staff('admin');
  admin = { kind: 'staff', email: a.email, role: 'admin', sessionHash: 'test' };
});
afterAll(() => app?.close());

const at = (t: number): Deps => ({ ...app.deps, clock: () => new Date(t) });

async function open(deps: Deps, o: { courriel: string | null; message: string; applicationId?: string | null }) {
  return openSupportRequest(deps, {
    conversationId: `conv-${deps.newId()}`,
    applicationId: o.applicationId ?? null,
    trigger: 'typed',
    message: o.message,
    excerpt: [{ who: 'actor', text: `${o.message} (Claire Martin)` }],
    courriel: o.courriel,
  });
}

const get = async (id: string) => (await app.deps.store.support.get(id)) as SupportRequest;
const personal = (r: SupportRequest) =>
  r.message !== '' || r.excerpt.length > 0 || r.courriel !== null || r.answers.some((a) => a.text !== '');

describe('retention of support requests with no application', () => {
  it('anonymises answered ones after supportAnsweredDays, unanswered ones after supportOpenDays; figures stay; idempotent', async () => {
    const t0 = Date.now();
    const { retention } = await app.deps.config();
    const answered = await open(at(t0), { courriel: 'claire.martin@example.org', message: 'Quand ouvre la phase 2 ?' });
    const unanswered = await open(at(t0), { courriel: null, message: 'Je ne trouve pas mon SIRET.' });
    const linked = await seedApplication(app.deps, { stage: 'staff_review' });
    const ofApp = await open(at(t0), { courriel: null, message: 'Mon dossier ?', applicationId: linked.app.id });
    // Answered after one hour: the clock of an answered request starts at its last answer.
    await answerSupportRequest(at(t0 + 3_600_000), admin, answered.id, { text: 'En mars, selon le calendrier.' });
    const seconds = (await get(answered.id)).firstAnswerSeconds;
    expect(seconds).toBe(3600);

    // Just before either period: nothing goes.
    const early = await runRetention(at(t0 + retention.supportAnsweredDays * DAY));
    expect(early.supportRequests).toBe(0);
    expect(personal(await get(answered.id))).toBe(true);

    // After the answered period: the answered request loses its text and address; the unanswered one waits.
    const r1 = await runRetention(at(t0 + 3_600_000 + (retention.supportAnsweredDays + 1) * DAY));
    expect(r1.supportRequests).toBe(1);
    const gone = await get(answered.id);
    expect(personal(gone)).toBe(false);
    expect(gone).toMatchObject({ status: 'answered', firstAnswerSeconds: 3600, conversationId: null });
    expect(gone.erasedAt).toEqual(expect.any(String));
    expect(JSON.stringify(gone)).not.toMatch(/Claire|claire\.martin|phase 2|mars/);
    expect(await app.deps.store.support.ofAddress('claire.martin@example.org')).toEqual([]);
    expect(personal(await get(unanswered.id))).toBe(true);
    // The console still counts it in the time to first answer, shown as erased.
    const list = await listSupportRequests(app.deps, admin);
    expect(list.requests.find((r) => r.id === answered.id)).toMatchObject({ erased: true, firstAnswerSeconds: 3600 });
    expect(list.medianFirstAnswerSeconds).not.toBeNull();

    // After the unanswered period: it goes too; the linked one follows its application, not this job.
    const r2 = await runRetention(at(t0 + (retention.supportOpenDays + 1) * DAY));
    expect(r2.supportRequests).toBe(1);
    expect(personal(await get(unanswered.id))).toBe(false);
    expect(personal(await get(ofApp.id))).toBe(true);
    const again = await runRetention(at(t0 + (retention.supportOpenDays + 1) * DAY));
    expect(again.supportRequests).toBe(0);
    expect(again.failed).toBe(0);
  });
});

describe('the actor’s export and erasure cover requests made under the application’s address', () => {
  it('from another conversation, with no application: exported, then erased with the application', async () => {
    const { app: item } = await seedApplication(app.deps, { stage: 'staff_review' });
    const address = addressesOf(item)[0]!;
    // Another conversation, before or without signing in, the same address typed in another case.
    const mine = await open(app.deps, { courriel: address.toUpperCase(), message: 'Puis-je modifier mon IBAN ?' });
    const other = await open(app.deps, { courriel: 'quelquun.dautre@example.org', message: 'Autre question.' });

    const exported = await exportApplication(app.deps, { ...admin }, item.id);
    expect(exported.supportRequests).toEqual([
      expect.objectContaining({ message: 'Puis-je modifier mon IBAN ?', courriel: address.toUpperCase() }),
    ]);

    const res = await app.call('POST', `/api/applications/${item.id}/erasure`, {
      token: (await app.staff('admin')).token,
    });
    expect(res.status).toBe(200);
    expect(personal(await get(mine.id))).toBe(false);
    expect(await app.deps.store.support.ofAddress(address)).toEqual([]);
    expect(personal(await get(other.id))).toBe(true);
  });
});

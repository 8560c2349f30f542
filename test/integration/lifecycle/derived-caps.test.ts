import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../shared/config/config.js';
import { REASONS } from '../../../shared/domain/reasons.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';

/**
 * Volume caps derived from passes (docs/territory.md), through the real workflow on the local runtime: where passes
 * were injected, a département admits as many applications as the passes sustain (1,500 passes at 10 € = 15,000 € =
 * one actor at the default ratio target); the next one is waitlisted with the reason in plain French; a slot comes
 * back when an application ends without qualification; a draft waiting for its subscription counts like the others;
 * an admin's cap wins over the derived one; a département without passes is not capped.
 */
let app: ConsoleApp;
let admin: { email: string; token: string };
let reviewer: { email: string; token: string };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const GUERET = { adresse: '1 place Bonnyaud', code_postal: '23000', commune: 'Guéret' };
const TULLE = { adresse: '1 quai Baluze', code_postal: '19000', commune: 'Tulle' };
const CAHORS = { adresse: '1 boulevard Gambetta', code_postal: '46000', commune: 'Cahors' };

beforeAll(async () => {
  app = await startConsoleApp({
    config: parseConfig({
      ...DEFAULT_CONFIG,
      volumeCaps: { '19': 2 },
      // Seven submissions from one test address.
      submissionLimits: { windowSeconds: 3600, perIp: 100, perEmail: 100 },
      territory: { ...DEFAULT_CONFIG.territory, derivedCaps: true },
    }),
  });
  admin = await app.staff('admin');
  reviewer = await app.staff('reviewer');
  for (const code of ['23', '19']) {
    const res = await app.call('POST', '/api/console/pass-injections', {
      token: admin.token,
      body: {
        financeur: `Département ${code}`,
        financeurType: 'departement',
        territoire: { niveau: 'departement', code },
        passes: 1_500,
        date: daysAgo(20),
        finValidite: '2030-12-31',
      },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(() => app?.close());

const slots = (dep: string) => app.deps.store.counters.get(dep);
const stored = async (id: string) => (await app.deps.store.applications.get(id))!;

describe('derived volume caps through the workflow', () => {
  it('one sustainable actor in the Creuse: a draft takes the slot, the next is waitlisted, a rejection frees it', async () => {
    // Prepare: a draft whose structure has not confirmed the subscription yet (pending_confirmation).
    const draft = await app.submit({
      nom: 'Brouillon Creuse',
      lieu: GUERET,
      extra: (doc) => {
        doc.engagements.abonnement = 'a_confirmer';
      },
    });
    expect(draft.status).toBe('pending_confirmation');
    const { taskId } = await app.waitForTask(draft.id, 'staff_review');
    expect(await slots('23')).toBe(1);
    // Act: a second application in the same département.
    const second = await app.submit({ nom: 'Seconde Creuse', lieu: GUERET });
    await app.waitForStage(second.id, 'waitlisted');
    // Assess: waitlisted with the reason in plain French, visible to the actor.
    const waiting = await stored(second.id);
    expect(waiting.status).toBe('eligible_waitlist');
    expect(waiting.reasons.map((r) => r.code)).toContain('volume_cap_passes');
    const view = await app.call('GET', `/api/applications/${second.id}`, { token: second.actorToken });
    expect(JSON.stringify(view.body)).toContain(REASONS.volume_cap_passes.message);
    expect(REASONS.volume_cap_passes.message).toMatch(/passes #APTIC .* liste d'attente/);
    expect(await slots('23')).toBe(1);

    // Act: staff reject the draft; its slot comes back, and the waitlist is released.
    const decided = await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
      token: reviewer.token,
      body: { decision: 'reject', comment: 'Hors périmètre.' },
    });
    expect(decided.status).toBe(200);
    await app.waitForStage(draft.id, 'rejected');
    const freed = await waitUntil(() => slots('23'), 0);
    expect(freed).toBe(0);
    const released = await app.call('POST', '/api/console/waitlist/release', {
      token: admin.token,
      body: { departement: '23' },
    });
    expect(released.status).toBe(200);
    // Assess: the waitlisted application takes the freed slot and goes on to staff review.
    await app.waitForTask(second.id, 'staff_review');
    expect(await slots('23')).toBe(1);
    expect((await stored(second.id)).admittedIn).toBe('23');
  });

  it('an admin’s cap wins over the derived one (2 in Corrèze where the passes sustain 1)', async () => {
    const a = await app.submit({ nom: 'Corrèze A', lieu: TULLE });
    const b = await app.submit({ nom: 'Corrèze B', lieu: TULLE });
    await app.waitForTask(a.id, 'staff_review');
    await app.waitForTask(b.id, 'staff_review');
    const c = await app.submit({ nom: 'Corrèze C', lieu: TULLE });
    await app.waitForStage(c.id, 'waitlisted');
    expect((await stored(c.id)).reasons.map((r) => r.code)).toContain('volume_cap_reached');
    expect(await slots('19')).toBe(2);
  });

  it('a département without passes is not capped, and its admissions are still counted', async () => {
    const before = await slots('46');
    const a = await app.submit({ nom: 'Lot A', lieu: CAHORS });
    const b = await app.submit({ nom: 'Lot B', lieu: CAHORS });
    await app.waitForTask(a.id, 'staff_review');
    await app.waitForTask(b.id, 'staff_review');
    expect(await slots('46')).toBe(before + 2);
  });
});

async function waitUntil(read: () => Promise<number>, value: number, timeoutMs = 10_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  let seen = await read();
  while (seen !== value && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await read();
  }
  return seen;
}

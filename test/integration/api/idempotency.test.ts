import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { submitApplication } from '../../../shared/usecases/submit-application.js';
import { evaluateStep } from '../../../shared/usecases/workflow.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, startLocalApp } from '../../helpers/local-app.js';

/**
 * Issue 12, items 1 and 2: a submission replayed with the same `Idempotency-Key` answers without writing (no new
 * actor token, no version bump), a replay with another body is refused (422), and the workflow's evaluation survives a
 * concurrent write of the same item.
 */
let app: LocalApp;
let n = 7000;
const nextSiret = () => siretFor(n++);

beforeAll(async () => {
  app = await startLocalApp({ reminderIntervalMs: 0 });
});
afterAll(async () => {
  await app?.close();
});

const post = (doc: unknown, key?: string) =>
  app.call('POST', '/api/applications', doc, undefined, key ? { 'idempotency-key': key } : {});

describe('Idempotency-Key on POST /api/applications', () => {
  it('a same-body replay answers the same decision, existing, with no token, and writes nothing', async () => {
    const doc = validApplication({ siret: nextSiret() });
    const first = await post(doc, 'double-click-0001');
    expect(first.status).toBe(201);
    const before = await app.rt.deps.store.applications.get(first.body.id);

    // Key order and the SIRET's spaces differ: the canonical body is the same.
    const reordered = {
      ...doc,
      structure: { ...doc.structure, siret: doc.structure.siret.replace(/^(\d{3})/, '$1 ') },
    };
    const replay = await post(JSON.parse(JSON.stringify(reordered)), 'double-click-0001');
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: first.body.id, existing: true, status: first.body.status });
    expect(replay.body).not.toHaveProperty('actorToken');
    expect(replay.body.message).toMatch(/première réponse/);

    const after = await app.rt.deps.store.applications.get(first.body.id);
    expect(after?.actorTokenHash).toBe(before?.actorTokenHash);
    // The owner's token still works.
    const view = await app.call('GET', `/api/applications/${first.body.id}`, undefined, first.body.actorToken);
    expect(view.status).toBe(200);
  });

  it('a replay with the same key and another body is refused (422) and takes nothing over', async () => {
    const doc = validApplication({ siret: nextSiret() });
    const first = await post(doc, 'takeover-key-0001');
    expect(first.status).toBe(201);
    const other = { ...doc, structure: { ...doc.structure, nom: 'Une autre structure' } };
    const replay = await post(other, 'takeover-key-0001');
    expect(replay.status).toBe(422);
    expect(replay.body.error).toBe('idempotency_key_reused');
    expect(replay.body.message).toMatch(/clé d’idempotence/);
    expect(replay.body).not.toHaveProperty('actorToken');
    const view = await app.call('GET', `/api/applications/${first.body.id}`, undefined, first.body.actorToken);
    expect(view.status).toBe(200);
    // Without a key, the same SIRET is still the contract's 409.
    expect((await post(other)).status).toBe(409);
  });

  it('concurrent submissions with one key: one application, never failed, the SIRET kept by it', async () => {
    const pairs = Array.from({ length: 8 }, (_, i) => ({
      doc: validApplication({ siret: nextSiret() }),
      key: `race-${i}-key`,
    }));
    const answers = await Promise.all(pairs.map(({ doc, key }) => Promise.all([post(doc, key), post(doc, key)])));
    for (const [a, b] of answers) {
      expect([a.status, b.status].sort(), JSON.stringify([a.body, b.body])).toEqual([200, 201]);
      expect(a.body.id).toBe(b.body.id);
    }
    for (const [a, b] of answers) {
      const created = a.status === 201 ? a : b;
      await app.waitForStage(created.body.id, 'staff_review');
      const view = await app.call('GET', `/api/applications/${created.body.id}`, undefined, created.body.actorToken);
      expect(view.status).toBe(200);
    }
  });
});

describe('the evaluation write', () => {
  it('re-reads and re-applies on a stale version instead of failing the application', async () => {
    const deps = app.rt.deps;
    // Stored without its execution (the workflow's evaluation is what this test runs, by hand).
    const sfnSend = vi.spyOn(deps.sfn, 'send').mockResolvedValueOnce({} as never);
    const r = await submitApplication(deps, validApplication({ siret: nextSiret() }));
    sfnSend.mockRestore();
    const applications = deps.store.applications;
    const update = applications.update.bind(applications);
    let interfered = false;
    const spy = vi.spyOn(applications, 'update').mockImplementation(async (id, version, patch) => {
      if (!interfered) {
        // Someone else writes the item between the evaluation's read and its write.
        interfered = true;
        await update(id, version, { updatedAt: new Date().toISOString() });
      }
      return update(id, version, patch);
    });
    try {
      const result = await evaluateStep(deps, r.id);
      expect(result.outcome).toBe('review');
    } finally {
      spy.mockRestore();
    }
    expect(interfered).toBe(true);
    const app2 = await applications.get(r.id);
    expect(app2?.status).toBe('eligible_now');
    expect(app2?.version).toBe(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../../../shared/usecases/submit-application.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type AppHarness, parseJson, startAppHarness } from '../../helpers/local-app.js';

/** Issue 12 (6): anonymous submissions are limited per source IP and per e-mail address (429 with Retry-After). */
let h: AppHarness;
let n = 8000;
const doc = (email?: string) => {
  const d = validApplication({ siret: siretFor(n++) });
  if (email) d.structure = { ...d.structure, representant_legal: { nom: 'Claire Martin', courriel: email } };
  return d;
};

beforeAll(async () => {
  h = await startAppHarness({ lite: true });
});
afterAll(() => h?.close());

async function limits(submissionLimits: { windowSeconds: number; perIp: number; perEmail: number }) {
  const current = await h.deps.store.config.getOverrides({ fresh: true });
  await h.deps.store.config.putOverrides({ submissionLimits }, current?.version ?? 0, 'test');
}

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const res = await h.request('POST', '/api/applications', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { ...res, body: parseJson(res.text, null) };
};

describe('submission limits', () => {
  it('per source IP: the next submission is refused with 429, a French message and Retry-After', async () => {
    await limits({ windowSeconds: 3600, perIp: 3, perEmail: 100 });
    for (let i = 0; i < 3; i++) expect((await post(doc(`ip-${i}@exemple.fr`))).status).toBe(201);
    const refused = await post(doc('ip-4@exemple.fr'));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('too_many_requests');
    expect(refused.body.message).toMatch(/^Trop de demandes de qualification ont été envoyées depuis votre connexion/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.body.retryAfterSeconds).toBe(retryAfter);
  });

  it('per e-mail address, whatever the source; a replay uses no slot', async () => {
    await limits({ windowSeconds: 3600, perIp: 1000, perEmail: 2 });
    const email = 'meme.adresse@exemple.fr';
    const first = doc(email);
    const a = await submitApplication(h.deps, first, { sourceIp: '198.51.100.1', idempotencyKey: 'replay-key-001' });
    const replay = await submitApplication(h.deps, first, {
      sourceIp: '198.51.100.1',
      idempotencyKey: 'replay-key-001',
    });
    expect(replay).toMatchObject({ id: a.id, existing: true });
    await submitApplication(h.deps, doc(email.toUpperCase()), { sourceIp: '198.51.100.2' });
    const third = await submitApplication(h.deps, doc(email), { sourceIp: '198.51.100.3' }).catch((e: Error) => e);
    expect(third).toMatchObject({ name: 'TooManyRequestsError', httpStatus: 429 });
    expect((third as Error).message).toMatch(/avec cette adresse e-mail/);
    // Another address is not affected.
    expect((await submitApplication(h.deps, doc('autre@exemple.fr'), { sourceIp: '198.51.100.3' })).existing).toBe(
      false,
    );
  });

  it('refuses the all-zero SIRET (400, French message)', async () => {
    await limits({ windowSeconds: 3600, perIp: 1000, perEmail: 1000 });
    const res = await post(validApplication({ siret: '00000000000000' }));
    expect(res.status).toBe(400);
    const field = res.body.fields.find((f: { path: string }) => f.path === 'structure.siret');
    expect(field.message).toMatch(/^Ce numéro SIRET n'existe pas/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../../shared/domain/national-schema.js';
import type { Stage } from '../../../shared/store/store.js';
import { hashToken, newActorToken } from '../../../shared/usecases/principal.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';
import { seedApplication } from '../console/seed.js';

/**
 * After qualification (docs/actor.md): the actor edits its places over HTTP (PUT /api/applications/:id/places) and
 * the open-data rows on /api/lieux follow, or ends its qualification (POST …/end-qualification).
 */
let app: ConsoleApp;
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
});
afterAll(() => app?.close());

const OLD_DATE = '2025-01-15';
const SECOND = {
  nom: 'Clic Solidaire — Centre',
  adresse: '3 place de la République',
  code_postal: '87000',
  commune: 'Limoges',
  horaires: 'Sa 10:00-12:00',
  accueil_inconditionnel: true,
};

/** A qualified application with two published places whose rows carry an old `date_maj`, and a real actor token. */
async function qualified(nom: string, stage: Stage = 'qualified') {
  const { app: item } = await seedApplication(app.deps, {
    stage,
    nom,
    extra: (doc) => {
      doc.lieux.push({ ...SECOND });
    },
  });
  const token = newActorToken(app.deps, item.id);
  const updated = await app.deps.store.applications.update(item.id, item.version, { actorTokenHash: hashToken(token) });
  const rows = await app.deps.store.places.listFor(item.id);
  await app.deps.store.places.replace(
    item.id,
    rows.map((r) => ({ departement: r.departement, place: { ...r.place, date_maj: OLD_DATE } })),
  );
  return { item: updated, token, lieux: (updated.document as { lieux: Record<string, unknown>[] }).lieux };
}

const rowsOf = async (nom: string) =>
  ((await app.call('GET', '/api/lieux')).body as Record<string, string>[]).filter((r) => r.structure_parente === nom);
const today = () => new Date().toISOString().slice(0, 10);

describe('PUT /api/applications/:id/places', () => {
  it('new hours in everyday French reach /api/lieux as OSM with a new date_maj; the unchanged row keeps its date', async () => {
    const { item, token, lieux } = await qualified('Horaires SARL');
    const res = await app.call('PUT', `/api/applications/${item.id}/places`, {
      token,
      body: { lieux: [{ ...lieux[0], horaires: 'du lundi au vendredi de 9h à 12h' }, lieux[1]] },
    });
    expect(res.status).toBe(200);
    expect(res.body.published).toHaveLength(2);
    const rows = await rowsOf('Horaires SARL');
    const first = rows.find((r) => r.nom === lieux[0]!.nom)!;
    const second = rows.find((r) => r.nom === SECOND.nom)!;
    expect(first).toMatchObject({ horaires: 'Mo-Fr 09:00-12:00', date_maj: today() });
    expect(second.date_maj).toBe(OLD_DATE);
    // The document is updated under a new version, and the actor sees « lieux modifiés » in its history.
    const view = await app.call('GET', `/api/applications/${item.id}`, { token });
    expect(view.body.document.lieux[0].horaires).toBe('Mo-Fr 09:00-12:00');
    expect(view.body.history.map((e: { type: string }) => e.type)).toContain('places_updated');
    expect((await app.deps.store.applications.get(item.id))!.version).toBe(item.version + 1);
  });

  it('OSM hours are kept; hours neither reads are refused with a French message on the field', async () => {
    const { item, token, lieux } = await qualified('Refus SARL');
    const bad = await app.call('PUT', `/api/applications/${item.id}/places`, {
      token,
      body: [{ ...lieux[0], horaires: 'quand on peut' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0]).toMatchObject({
      path: 'lieux.0.horaires',
      message: expect.stringContaining('Horaires'),
    });
    const invalid = await app.call('PUT', `/api/applications/${item.id}/places`, {
      token,
      body: [{ ...lieux[0], code_postal: '00000' }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields[0].path).toMatch(/^lieux\.0\./);
    const ok = await app.call('PUT', `/api/applications/${item.id}/places`, {
      token,
      body: [{ ...lieux[0], horaires: 'Tu-Th 14:00-17:00' }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.published[0].horaires).toBe('Tu-Th 14:00-17:00');
  });

  it('publie: false takes one place off /api/lieux; adding and removing places changes the rows', async () => {
    const { item, token, lieux } = await qualified('Liste SARL');
    const path = `/api/applications/${item.id}/places`;
    const hidden = await app.call('PUT', path, { token, body: { lieux: [lieux[0], { ...lieux[1], publie: false }] } });
    expect(hidden.status).toBe(200);
    expect((await rowsOf('Liste SARL')).map((r) => r.nom)).toEqual([lieux[0]!.nom]);

    const third = { ...SECOND, nom: 'Clic Solidaire — Bus', adresse: '1 avenue du Général Leclerc' };
    await app.call('PUT', path, { token, body: { lieux: [lieux[0], lieux[1], third] } });
    const added = await rowsOf('Liste SARL');
    expect(added.map((r) => r.nom).sort()).toEqual([lieux[0]!.nom, SECOND.nom, third.nom].sort());
    expect(added.find((r) => r.nom === third.nom)!.date_maj).toBe(today());

    await app.call('PUT', path, { token, body: { lieux: [third] } });
    expect((await rowsOf('Liste SARL')).map((r) => r.nom)).toEqual([third.nom]);
  });

  it('edits the services (the national schema’s enumeration, checked by the domain) for every place', async () => {
    const { item, token, lieux } = await qualified('Services SARL');
    const path = `/api/applications/${item.id}/places`;
    // The actor space offers the enumeration from the view (one source: shared/domain).
    const view = await app.call('GET', `/api/applications/${item.id}`, { token });
    expect(view.body.choices.services).toEqual([...SERVICES]);

    // None at all, or a value outside the enumeration: 400 with the domain's French message on `activite.services`.
    const none = await app.call('PUT', path, { token, body: { lieux, services: [] } });
    expect(none.status).toBe(400);
    expect(none.body.fields).toContainEqual({
      path: 'activite.services',
      message: 'Services : choisissez au moins un type d’accompagnement.',
    });
    const unknown = await app.call('PUT', path, { token, body: { lieux, services: ['Cours de cuisine'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields.map((f: { path: string }) => f.path).join(' ')).toMatch(/activite\.services/);
    expect((await rowsOf('Services SARL')).every((r) => r.date_maj === OLD_DATE)).toBe(true);

    // A new list: the document and every published row carry it, dated today.
    const chosen = ['Aide aux démarches administratives', 'Loisirs et créations numériques'];
    const ok = await app.call('PUT', path, { token, body: { lieux, services: chosen } });
    expect(ok.status, ok.text).toBe(200);
    expect((await app.deps.store.applications.get(item.id))?.document).toMatchObject({
      activite: { services: chosen },
    });
    const rows = await rowsOf('Services SARL');
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.services).toContain('Loisirs et créations numériques');
      expect(r.date_maj).toBe(today());
    }
  });

  it('refuses before qualification (409, French), another actor (403), no token (401), a stale version (409)', async () => {
    const { item, token, lieux } = await qualified('Pas encore SARL', 'final_approval');
    const refused = await app.call('PUT', `/api/applications/${item.id}/places`, { token, body: { lieux } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('qualifiée');

    const other = await qualified('Autre SARL');
    const mine = await qualified('Mienne SARL');
    const path = `/api/applications/${mine.item.id}/places`;
    expect((await app.call('PUT', path, { token: other.token, body: { lieux: mine.lieux } })).status).toBe(403);
    expect((await app.call('PUT', path, { body: { lieux: mine.lieux } })).status).toBe(401);
    const stale = await app.call('PUT', path, {
      token: mine.token,
      body: { lieux: mine.lieux, version: mine.item.version - 1 },
    });
    expect(stale.status).toBe(409);
  });
});

describe('POST /api/applications/:id/end-qualification', () => {
  it('the actor ends its qualification: no place left on /api/lieux, audited, told, SIRET released', async () => {
    const { item, token } = await qualified('Fin SARL');
    expect(await rowsOf('Fin SARL')).toHaveLength(2);
    const path = `/api/applications/${item.id}/end-qualification`;
    const other = await qualified('Voisine SARL');
    expect((await app.call('POST', path, { token: other.token, body: { reason: 'Je ferme.' } })).status).toBe(403);
    expect((await app.call('POST', path, { token, body: {} })).status).toBe(400);

    const res = await app.call('POST', path, { token, body: { reason: 'Nous arrêtons la médiation.' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: item.id, stage: 'withdrawn' });
    expect(await rowsOf('Fin SARL')).toHaveLength(0);
    const audit = await app.deps.store.audit.list({ entity: `application:${item.id}` });
    expect(audit.map((a) => [a.what, a.who])).toEqual([['qualification.end', `actor:${item.id}`]]);
    const messages = await app.deps.store.outbox.list(item.id);
    expect(messages.at(-1)).toMatchObject({ stage: 'withdrawn', subject: expect.stringContaining('mis fin') });
    expect(await app.deps.store.applications.getBySiret(item.siret!)).toBeNull();
    // Ended: neither a second end nor an edit of places.
    expect((await app.call('POST', path, { token, body: { reason: 'Encore.' } })).status).toBe(409);
    const edit = await app.call('PUT', `/api/applications/${item.id}/places`, { token, body: [] });
    expect(edit.status).toBe(409);
  });
});

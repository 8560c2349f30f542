import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationDocument, type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';

// The réseau route needs the SIRET on the member list of a network whose agreement is in force (dates, phases,
// départements): over HTTP, networks and members saved through the console, applications through POST /api/applications.
let app: ConsoleApp;
let admin: { email: string; token: string };
const member = makeSiret(31);
const memberOfExpired = makeSiret(32);
const memberOutOfScope = makeSiret(33);
const memberUnsigned = makeSiret(35);
const memberOtherPhase = makeSiret(36);

async function network(name: string, agreement: Record<string, unknown> | null, sirets: string[]) {
  const saved = await app.call('POST', '/api/console/networks', { token: admin.token, body: { name, agreement } });
  expect(saved.status).toBe(200);
  const csv = ['siret;nom;code_postal;commune', ...sirets.map((s, i) => `${s};Membre ${i};87280;Limoges`)].join('\n');
  const imported = await app.call('POST', `/api/console/networks/${saved.body.network.id}/members`, {
    token: admin.token,
    raw: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  expect(imported.status).toBe(200);
  expect(imported.body.rejected ?? []).toEqual([]);
}

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  const today = new Date().toISOString().slice(0, 10);
  await network('La MedNum', { signedAt: '2026-01-15', scope: 'France', phases: [1, 2] }, [member]);
  await network('Réseau Expiré', { signedAt: '2020-01-01', endsAt: '2021-12-31' }, [memberOfExpired]);
  await network('Réseau Breton', { signedAt: today, departements: ['29', '35'] }, [memberOutOfScope]);
  await network('Réseau Sans Signature', { scope: 'France' }, [memberUnsigned]);
  await network('Réseau Phase Trois', { signedAt: '2026-01-15', phases: [3] }, [memberOtherPhase]);
});
afterAll(() => app?.close());

const submit = async (siret: string, reseau: string | null) => {
  const body = applicationDocument({
    siret,
    extra: (doc) => {
      doc.contexte.reseau = reseau;
    },
  });
  const res = await app.call('POST', '/api/applications', { body });
  expect(res.status).toBe(201);
  return res.body as { id: string; route: string; reasons: { code: string; message: string }[] };
};
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe('network membership', () => {
  it('gives the réseau route to a listed member of a network in force', async () => {
    const res = await submit(member, 'La MedNum');
    expect(res.route).toBe('reseau');
    expect(codes(res)).not.toContain('network_membership_not_found');
  });

  it('a réseau application whose SIRET is on no member list gets another route and network_membership_not_found', async () => {
    const res = await submit(makeSiret(34), 'La MedNum');
    expect(res.route).not.toBe('reseau');
    const reason = res.reasons.find((r) => r.code === 'network_membership_not_found');
    expect(reason?.message).toMatch(/ne figure pas sur la liste des membres/);
    // The actor reads it on their application, and staff on the console page.
    const stored = await app.deps.store.applications.get(res.id);
    expect(stored?.route).not.toBe('reseau');
    expect(codes(stored!)).toContain('network_membership_not_found');
    const staff = await app.staff('reviewer');
    const page = await app.call('GET', `/api/console/applications/${res.id}`, { token: staff.token });
    expect(page.body.reasons).toContainEqual(
      expect.objectContaining({ code: 'network_membership_not_found', explanation: expect.any(String) }),
    );
  });

  it('an agreement out of its dates or of its départements does not give the route', async () => {
    const expired = await submit(memberOfExpired, 'Réseau Expiré');
    expect(expired.route).not.toBe('reseau');
    expect(codes(expired)).toContain('network_membership_not_found');
    const outOfScope = await submit(memberOutOfScope, 'Réseau Breton'); // the place is in the 87
    expect(outOfScope.route).not.toBe('reseau');
    expect(codes(outOfScope)).toContain('network_membership_not_found');
  });

  it('an agreement not signed, or not covering the phase, does not give the route', async () => {
    const unsigned = await submit(memberUnsigned, 'Réseau Sans Signature');
    expect(unsigned.route).not.toBe('reseau');
    expect(codes(unsigned)).toContain('network_membership_not_found');
    const otherPhase = await submit(memberOtherPhase, 'Réseau Phase Trois'); // the example place is in phase 1
    expect(otherPhase.route).not.toBe('reseau');
    expect(codes(otherPhase)).toContain('network_membership_not_found');
  });

  it('rejects an agreement whose end precedes its start', async () => {
    const res = await app.call('POST', '/api/console/networks', {
      token: admin.token,
      body: {
        name: 'Réseau Inversé',
        agreement: { signedAt: '2026-01-01', startsAt: '2026-06-01', endsAt: '2026-01-01' },
      },
    });
    expect(res.status).toBe(400);
  });
});

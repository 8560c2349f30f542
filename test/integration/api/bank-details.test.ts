// Bank details over HTTP (docs/actor.md « Coordonnées bancaires »), with `commitments.bankDetailsRequired` on (the
// product default, written out so that the test keeps its meaning): the actor enters IBAN, BIC and holder after the
// staff review, everyone sees them masked, an admin reads them in full (audited) and validates them, and the final
// approval is refused with 409 until then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../shared/config/config.js';
import { ibanCheckDigits } from '../../../shared/domain/bank.js';
import { signInCodeIn } from '../../helpers/local-app.js';
import { TEST_SUBMISSION_LIMITS } from '../../helpers/test-config.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';

let app: ConsoleApp;
beforeAll(async () => {
  // Prepare: the product's defaults (bank details required), the test submission limits.
  app = await startConsoleApp({
    config: parseConfig({
      ...DEFAULT_CONFIG,
      submissionLimits: TEST_SUBMISSION_LIMITS,
      commitments: { ...DEFAULT_CONFIG.commitments, bankDetailsRequired: true },
    }),
  });
}, 60_000);
afterAll(() => app?.close());

const BBAN = '30006000011234567812345';
/** A valid FR IBAN built here (check digits computed), grouped by four as people paste it. */
const IBAN = `FR${ibanCheckDigits('FR', BBAN)}${BBAN}`;
const MASKED = `FR${IBAN.slice(2, 4)} •••• •••• •••• •••• ••12 345`;

async function decide(id: string, step: string, token: string, body: Record<string, unknown>) {
  const { taskId } = await app.waitForTask(id, step);
  return app.call('POST', `/api/console/tasks/${taskId}/decision`, { token, body });
}

async function toCommitments() {
  const { id, actorToken } = await app.submit();
  await app.confirmAddress(id);
  const reviewer = await app.staff('reviewer');
  expect((await decide(id, 'staff_review', reviewer.token, { decision: 'approve' })).status).toBe(200);
  await app.waitForStage(id, 'actor_commitments');
  return { id, actorToken: actorToken as string };
}

describe('bank details', () => {
  it('are refused before the staff review approved, and checked field by field in French', async () => {
    const { id, actorToken } = await app.submit();
    const early = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: IBAN, bic: 'BNPAFRPP', titulaire: 'Tiers-lieu du Plateau' },
    });
    expect(early.status).toBe(409);
    const bad = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: `${IBAN.slice(0, -1)}9`, bic: 'DEUTDEFF', titulaire: 'Tiers-lieu' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { path: string }) => f.path)).toEqual(['iban']);
    const badBic = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: IBAN, bic: 'DEUTDEFF', titulaire: 'Tiers-lieu' },
    });
    expect(badBic.status).toBe(400);
    expect(badBic.body.fields[0]).toMatchObject({ path: 'bic', message: expect.stringMatching(/pays « DE »/) });
  });

  it('are stored encrypted, shown masked, read in full by an admin (audited) and gate the final approval', async () => {
    const { id, actorToken } = await toCommitments();

    // Act: the actor enters them (pasted with spaces and in lower case).
    const put = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: IBAN.toLowerCase().replace(/(.{4})/g, '$1 '), bic: 'bnpafrpp', titulaire: 'Tiers-lieu du Plateau' },
    });
    // Assess: the masked view only.
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({
      iban: MASKED,
      bic: 'BNPAFRPP',
      titulaire: 'Tiers-lieu du Plateau',
      status: 'submitted',
    });
    const stored = await app.deps.store.applications.get(id);
    expect(JSON.stringify(stored)).not.toContain(BBAN);
    expect(JSON.stringify(stored)).not.toContain('Tiers-lieu du Plateau');
    expect(stored?.bankDetails).toMatchObject({ ibanCountry: 'FR', ibanLast: '12345', status: 'submitted' });

    const actorView = await app.call('GET', `/api/applications/${id}`, { token: actorToken });
    expect(actorView.body.bankDetails).toMatchObject({ iban: MASKED, status: 'submitted' });
    expect(actorView.text).not.toContain(BBAN);
    const reviewer = await app.staff('reviewer');
    const staffView = await app.call('GET', `/api/applications/${id}`, { token: reviewer.token });
    expect(staffView.body.bankDetails.iban).toBe(MASKED);
    expect(staffView.text).not.toContain(BBAN);

    // Only an admin reads them in full; a reviewer and the actor get 403.
    expect(
      (await app.call('GET', `/api/console/applications/${id}/bank-details`, { token: reviewer.token })).status,
    ).toBe(403);
    expect((await app.call('GET', `/api/console/applications/${id}/bank-details`, { token: actorToken })).status).toBe(
      403,
    );
    const admin = await app.staff('admin');
    const full = await app.call('GET', `/api/console/applications/${id}/bank-details`, { token: admin.token });
    expect(full.status, full.text).toBe(200);
    expect(full.body).toMatchObject({ iban: IBAN, bic: 'BNPAFRPP', titulaire: 'Tiers-lieu du Plateau' });
    const audit = await app.deps.store.audit.list({ entity: `application:${id}` });
    expect(audit).toContainEqual(expect.objectContaining({ who: admin.email, what: 'bank_details.reveal' }));

    // The commitments step completes; the final approval is refused until the details are validated.
    const signed = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui' },
    });
    expect(signed.status, signed.text).toBe(200);
    await app.waitForStage(id, 'final_approval');
    const approver = await app.staff('admin');
    const refused = await decide(id, 'final_approval', approver.token, { decision: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'bank_details_not_validated' });
    expect(refused.body.message).toMatch(/coordonnées bancaires/);

    // A reviewer cannot validate; an admin rejects with a comment, the actor corrects, the admin validates.
    const byReviewer = await app.call('POST', `/api/console/applications/${id}/bank-details/validation`, {
      token: reviewer.token,
      body: { valid: true },
    });
    expect(byReviewer.status).toBe(403);
    const noComment = await app.call('POST', `/api/console/applications/${id}/bank-details/validation`, {
      token: admin.token,
      body: { valid: false },
    });
    expect(noComment.status).toBe(400);
    const rejected = await app.call('POST', `/api/console/applications/${id}/bank-details/validation`, {
      token: admin.token,
      body: { valid: false, comment: 'Le titulaire doit être la structure.' },
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', review: { valid: false } });
    // The actor is told, once, in French: what to correct (the comment) and where (the actor space, no sign-in link).
    const refusals = async () =>
      (await app.deps.store.outbox.list(id)).filter((m) => m.subject === 'Vos coordonnées bancaires sont à corriger');
    const told = await refusals();
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('Le titulaire doit être la structure.');
    expect(told[0]!.text).toMatch(/\/espace \(demandez-y un lien de connexion/);
    expect(told[0]!.text).not.toMatch(/[?&#](?:token|code|t)=|act_|acs_/);
    expect(signInCodeIn(told[0]!.text)).toBeNull();
    expect((await decide(id, 'final_approval', approver.token, { decision: 'approve' })).status).toBe(409);
    const again = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: IBAN, bic: 'BNPAFRPPXXX', titulaire: 'Association Tiers-lieu du Plateau' },
    });
    expect(again.status, again.text).toBe(200);
    const validated = await app.call('POST', `/api/console/applications/${id}/bank-details/validation`, {
      token: admin.token,
      body: { valid: true },
    });
    expect(validated.body.status).toBe('validated');
    // A validation tells nothing more: still the one message of the one refusal.
    expect(await refusals()).toHaveLength(1);
    // Validated details are frozen: what the approval relies on cannot change under it.
    const late = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: IBAN, bic: 'BNPAFRPP', titulaire: 'Autre' },
    });
    expect(late.status).toBe(409);

    const approved = await decide(id, 'final_approval', approver.token, { decision: 'approve' });
    expect(approved.status, approved.text).toBe(200);
    await app.waitForStage(id, 'qualified');

    // « My data »: the export carries them masked, never the full IBAN (a downloaded file travels).
    const exported = await app.call('GET', `/api/applications/${id}/export`, { token: actorToken });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.body.bankDetails).toMatchObject({
      iban: MASKED,
      bic: 'BNPAFRPPXXX',
      titulaire: 'Association Tiers-lieu du Plateau',
      status: 'validated',
    });
    expect(exported.text).not.toContain(BBAN);
    expect(exported.text).not.toContain(IBAN);
    const sealed = (await app.deps.store.applications.get(id))!.bankDetails!.ciphertext;
    expect(exported.text).not.toContain(sealed.slice(0, 24));
  }, 60_000);
});

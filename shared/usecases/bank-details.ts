import * as z from 'zod';
import { checkBankDetails, ibanClearParts, maskIban } from '../domain/bank.js';
import { ValidationError } from '../domain/errors.js';
import { ConflictError } from '../store/errors.js';
import type { ApplicationItem, BankDetailsRecord } from '../store/store.js';
import { publicBase } from './actor-sign-in.js';
import { ApplicationNotFoundError, StepNotOpenError, UseCaseError } from './errors.js';
import { tellActor } from './notify.js';

// The final approval's gate lives apart (decisions.ts reads it; this file sends messages, which reach decisions.ts).
export { BankDetailsNotValidatedError, requireValidatedBankDetails } from './bank-details-gate.js';

import type { BankVault, Deps } from './ports.js';
import { actorApplication, type Principal, requireActor, type StaffPrincipal } from './principal.js';

/**
 * The actor's bank details (issue 10 § 2, docs/actor.md « Coordonnées bancaires »): entered in the actor space once
 * staff review approved the application (actor_commitments, and still during final_approval so that a rejected IBAN
 * can be corrected), stored encrypted, shown masked to everyone but the admin who reads them (audited), validated by
 * an admin; the final approval waits for that validation (`commitments.bankDetailsRequired`).
 */

/** Where the actor may enter or correct them: after staff review approved, until the final approval. */
const OPEN_STAGES = new Set(['actor_commitments', 'final_approval']);

export const BankDetailsBodySchema = z
  .object({
    iban: z.string({ error: "L'IBAN est obligatoire." }).max(64, { error: "L'IBAN est trop long." }),
    bic: z.string({ error: 'Le BIC est obligatoire.' }).max(20, { error: 'Le BIC est trop long.' }),
    titulaire: z
      .string({ error: 'Le nom du titulaire du compte est obligatoire.' })
      .max(200, { error: 'Le nom du titulaire est trop long.' }),
  })
  .strict();

export const BankValidationBodySchema = z
  .object({
    valid: z.boolean({ error: '« valid » doit valoir true ou false.' }),
    comment: z
      .string()
      .trim()
      .max(2000, { error: 'Le commentaire est trop long (2 000 caractères au plus).' })
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.valid && !v.comment) {
      ctx.addIssue({
        code: 'custom',
        path: ['comment'],
        message: 'Dites au demandeur ce qui ne va pas (commentaire).',
      });
    }
  });

/** What every screen shows: never the IBAN in full. */
export interface MaskedBankDetails {
  iban: string;
  bic: string;
  titulaire: string;
  status: BankDetailsRecord['status'];
  submittedAt: string;
  /** The staff decision; its comment is addressed to the actor (it says what to correct). */
  review: { valid: boolean; at: string; comment?: string } | null;
}

interface Sealed {
  iban: string;
  bic: string;
  titulaire: string;
}

export class BankVaultUnavailableError extends UseCaseError {
  override readonly name = 'BankVaultUnavailableError';
  override readonly httpStatus = 503;
  override readonly publicCode = 'bank_vault_unavailable';
  constructor() {
    super('Les coordonnées bancaires ne peuvent pas être enregistrées pour le moment : réessayez plus tard.');
  }
}

export class BankDetailsMissingError extends UseCaseError {
  override readonly name = 'BankDetailsMissingError';
  override readonly httpStatus = 404;
  override readonly publicCode = 'bank_details_missing';
  constructor() {
    super("Le demandeur n'a pas encore saisi ses coordonnées bancaires.");
  }
}

function vaultOf(deps: Deps): BankVault {
  if (!deps.bankVault) throw new BankVaultUnavailableError();
  return deps.bankVault;
}

/** The holder's name and BIC are encrypted too: only the masked IBAN parts are in clear. */
async function openSealed(deps: Deps, app: ApplicationItem, record: BankDetailsRecord): Promise<Sealed> {
  return JSON.parse(await vaultOf(deps).decrypt(record.ciphertext, app.id)) as Sealed;
}

/** The masked view; the BIC and holder are shown (not secret on their own), the IBAN masked. */
export async function maskedBankDetails(deps: Deps, app: ApplicationItem): Promise<MaskedBankDetails | null> {
  const record = app.bankDetails;
  if (!record) return null;
  let sealed: Pick<Sealed, 'bic' | 'titulaire'> = { bic: '', titulaire: '' };
  try {
    sealed = await openSealed(deps, app, record);
  } catch (err) {
    // A view must not fail because the vault does (key rotated away, KMS throttled): the masked IBAN still shows.
    deps.logger.warn({ err, applicationId: app.id }, 'bank details: could not decrypt for the masked view');
  }
  return {
    iban: maskIban({
      country: record.ibanCountry,
      checkDigits: record.ibanCheckDigits,
      length: record.ibanLength,
      last: record.ibanLast,
    }),
    bic: sealed.bic,
    titulaire: sealed.titulaire,
    status: record.status,
    submittedAt: record.submittedAt,
    review: record.review ? { valid: record.review.valid, at: record.review.at, comment: record.review.comment } : null,
  };
}

async function updateBankDetails(
  deps: Deps,
  first: ApplicationItem,
  make: (current: ApplicationItem) => BankDetailsRecord,
): Promise<ApplicationItem> {
  let current: ApplicationItem | null = first;
  for (let attempt = 0; ; attempt++) {
    if (!current) throw new ApplicationNotFoundError(first.id);
    try {
      return await deps.store.applications.update(current.id, current.version, {
        bankDetails: make(current),
        updatedAt: deps.clock().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      current = await deps.store.applications.get(first.id);
    }
  }
}

/** PUT /api/applications/:id/bank-details (the actor): 200 with the masked view. */
export async function submitBankDetails(
  deps: Deps,
  principal: Principal | null,
  id: string,
  body: unknown,
): Promise<MaskedBankDetails> {
  const parsed = BankDetailsBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { details, issues } = checkBankDetails(parsed.data);
  if (issues.length > 0) throw new ValidationError(issues);
  const actor = requireActor(principal, id);
  const app = actorApplication(actor, id) ?? (await deps.store.applications.get(id));
  if (!app) throw new ApplicationNotFoundError(id);
  if (!OPEN_STAGES.has(app.stage)) throw new StepNotOpenError('actor_commitments', app.stage);
  if (app.bankDetails?.status === 'validated') {
    // Validated details are what the final approval relies on; changing them now would approve unseen ones.
    throw new StepNotOpenError('bank details not yet validated', app.stage);
  }
  const ciphertext = await vaultOf(deps).encrypt(JSON.stringify(details satisfies Sealed), app.id);
  const clear = ibanClearParts(details.iban);
  const submittedAt = deps.clock().toISOString();
  const next = await updateBankDetails(deps, app, () => ({
    ciphertext,
    ibanCountry: clear.country,
    ibanCheckDigits: clear.checkDigits,
    ibanLength: clear.length,
    ibanLast: clear.last,
    status: 'submitted',
    submittedAt,
    review: null,
  }));
  await deps.store.history.append({
    applicationId: id,
    key: `r${next.round}#bank_details#submitted#${submittedAt}`,
    at: submittedAt,
    actor: { kind: 'actor', id },
    type: 'bank_details_submitted',
    stage: next.stage,
  });
  return (await maskedBankDetails(deps, next)) as MaskedBankDetails;
}

/** GET /api/console/applications/:id/bank-details (admin): the details in full; every read is audited. */
export async function revealBankDetails(
  deps: Deps,
  staff: StaffPrincipal,
  id: string,
): Promise<Sealed & { status: BankDetailsRecord['status']; submittedAt: string }> {
  const app = await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  if (!app.bankDetails) throw new BankDetailsMissingError();
  // Audit first: a read that fails after the decrypt is still a read someone attempted.
  await deps.store.audit.record({ who: staff.email, what: 'bank_details.reveal', entity: `application:${id}` });
  const sealed = await openSealed(deps, app, app.bankDetails);
  return { ...sealed, status: app.bankDetails.status, submittedAt: app.bankDetails.submittedAt };
}

/** POST /api/console/applications/:id/bank-details/validation (admin): `{ valid, comment? }`. */
export async function validateBankDetails(
  deps: Deps,
  staff: StaffPrincipal,
  id: string,
  body: unknown,
): Promise<MaskedBankDetails> {
  const parsed = BankValidationBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const app = await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  if (!app.bankDetails) throw new BankDetailsMissingError();
  if (!OPEN_STAGES.has(app.stage)) throw new StepNotOpenError('final_approval', app.stage);
  const at = deps.clock().toISOString();
  const { valid, comment } = parsed.data;
  const next = await updateBankDetails(deps, app, (current) => {
    if (!current.bankDetails) throw new BankDetailsMissingError();
    return {
      ...current.bankDetails,
      status: valid ? 'validated' : 'rejected',
      review: { valid, by: staff.email, at, ...(comment ? { comment } : {}) },
    };
  });
  await deps.store.audit.record({
    who: staff.email,
    what: valid ? 'bank_details.validate' : 'bank_details.reject',
    entity: `application:${id}`,
  });
  await deps.store.history.append({
    applicationId: id,
    key: `r${next.round}#bank_details#${valid ? 'validated' : 'rejected'}#${at}`,
    at,
    actor: { kind: 'staff', id: staff.email },
    type: valid ? 'bank_details_validated' : 'bank_details_rejected',
    stage: next.stage,
    ...(comment ? { comment } : {}),
  });
  if (!valid) await tellBankDetailsRejected(deps, next, at, comment);
  return (await maskedBankDetails(deps, next)) as MaskedBankDetails;
}

/**
 * The actor is told of a refusal (the comment says what to correct) and where to correct it: the actor space, reached
 * by asking a sign-in link there, as in every other message to the actor — never a link that signs in by itself.
 * Keyed like the history event (one message per refusal; a key already taken sends nothing twice).
 */
async function tellBankDetailsRejected(deps: Deps, app: ApplicationItem, at: string, comment: string | undefined) {
  const base = publicBase(deps);
  const what = comment ? `\n\nCe qu'il faut corriger, selon l'équipe :\n${comment}` : '';
  await tellActor(deps, app, {
    key: `r${app.round}#bank_details#rejected#${at}`,
    stage: app.stage,
    subject: 'Vos coordonnées bancaires sont à corriger',
    text:
      "Bonjour,\n\nL'équipe #APTIC n'a pas pu valider les coordonnées bancaires (IBAN, BIC, titulaire du compte) " +
      `saisies pour votre demande.${what}\n\nSaisissez des coordonnées corrigées dans votre espace demandeur, rubrique ` +
      `« Coordonnées bancaires » : ${base}/espace (demandez-y un lien de connexion, envoyé à cette adresse). ` +
      "L'approbation finale de votre demande attend des coordonnées bancaires validées.",
  });
}

import { checkBankDetails, ibanCheckDigits, ibanClearParts } from '../../shared/domain/bank.js';
import type { BankDetailsRecord } from '../../shared/store/store.js';
import type { Deps } from '../../shared/usecases/ports.js';

/**
 * The bank details step as the tests walk it: the final approval waits for bank details validated by an admin
 * (`commitments.bankDetailsRequired`, on by default), so every test that drives a qualification to the end has the
 * actor enter them (PUT /api/applications/:id/bank-details) and an admin validate them (POST …/validation) first.
 */
const BBAN = '30006000011234567890189';
/** A valid FR IBAN (checksum computed, not copied): the masked form ends with its last five characters. */
export const TEST_IBAN = `FR${ibanCheckDigits('FR', BBAN)}${BBAN}`;
export const TEST_BANK_DETAILS = { iban: TEST_IBAN, bic: 'BNPAFRPP', titulaire: 'Association Clic Solidaire' };

/** One HTTP exchange, whatever the harness's call style: `(method, path, body, bearer)` → status and text. */
export type BankCall = (
  method: string,
  path: string,
  body: unknown,
  bearer: string,
) => Promise<{ status: number; text?: string; body?: unknown }>;

/** The actor enters the test bank details, an admin validates them; throws with the answer when either refuses. */
export async function enterAndValidateBankDetails(
  call: BankCall,
  applicationId: string,
  actorToken: string,
  adminToken: string,
): Promise<void> {
  const put = await call('PUT', `/api/applications/${applicationId}/bank-details`, TEST_BANK_DETAILS, actorToken);
  if (put.status !== 200) throw new Error(`bank details: ${put.status} ${put.text ?? JSON.stringify(put.body)}`);
  const ok = await call(
    'POST',
    `/api/console/applications/${applicationId}/bank-details/validation`,
    { valid: true },
    adminToken,
  );
  if (ok.status !== 200) throw new Error(`bank details validation: ${ok.status} ${ok.text ?? JSON.stringify(ok.body)}`);
}

/**
 * A bank details record as the use case stores it (encrypted with the deps' vault), for seeds that skip the workflow:
 * a seeded application at the final approval (or past it) carries validated details, as one driven there would.
 */
export async function sealedBankDetails(
  deps: Deps,
  applicationId: string,
  status: BankDetailsRecord['status'] = 'validated',
): Promise<BankDetailsRecord> {
  if (!deps.bankVault) throw new Error('sealedBankDetails: the deps have no bank vault');
  const { details } = checkBankDetails(TEST_BANK_DETAILS);
  const at = deps.clock().toISOString();
  const clear = ibanClearParts(details.iban);
  return {
    ciphertext: await deps.bankVault.encrypt(JSON.stringify(details), applicationId),
    ibanCountry: clear.country,
    ibanCheckDigits: clear.checkDigits,
    ibanLength: clear.length,
    ibanLast: clear.last,
    status,
    submittedAt: at,
    review: status === 'submitted' ? null : { valid: status === 'validated', by: 'seed@aptic.test', at },
  };
}

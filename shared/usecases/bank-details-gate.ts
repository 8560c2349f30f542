import type { BankDetailsRecord } from '../store/store.js';
import { UseCaseError } from './errors.js';
import type { Deps } from './ports.js';

/**
 * The final approval's bank-details gate (docs/actor.md « Coordonnées bancaires »), apart from bank-details.ts: that
 * file tells the actor of a refusal (notify.ts), whose imports reach decisions.ts, which reads this gate — one module
 * each way would be an import circle.
 */

/** 409 on the final approval while the bank details are not validated. */
export class BankDetailsNotValidatedError extends UseCaseError {
  override readonly name = 'BankDetailsNotValidatedError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'bank_details_not_validated';
  constructor(readonly status: BankDetailsRecord['status'] | 'missing') {
    super(
      status === 'missing'
        ? "L'approbation finale attend les coordonnées bancaires du demandeur : elles n'ont pas encore été saisies."
        : "L'approbation finale attend la validation des coordonnées bancaires par un administrateur.",
    );
  }
  override publicDetails() {
    return { bankDetails: this.status };
  }
}

/** The final approval's precondition (decideTask): validated bank details, unless the configuration waives them. */
export async function requireValidatedBankDetails(deps: Deps, applicationId: string): Promise<void> {
  if (!(await deps.config()).commitments.bankDetailsRequired) return;
  const app = await deps.store.applications.get(applicationId);
  if (!app) return; // the claim answers 404
  const status = app.bankDetails?.status ?? 'missing';
  if (status !== 'validated') throw new BankDetailsNotValidatedError(status);
}

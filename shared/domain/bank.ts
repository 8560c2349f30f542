/**
 * Bank details of an actor (issue 10 § 2): IBAN (ISO 13616, mod-97 check, length per country), BIC (ISO 9362) and the
 * account holder's name. Pure functions; the messages are French (they reach the actor as field errors).
 *
 * Decision: a BIC whose country differs from the IBAN's is an error, not a warning. Inside SEPA a transfer to a FR
 * IBAN through a DE BIC is almost always a typing mistake, and a wrong BIC found at the first transfer costs a month.
 */

/** IBAN length per country: the SEPA countries and territories (EPC list) — a Kit subscription is paid in euros. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

export interface BankIssue {
  path: 'iban' | 'bic' | 'titulaire';
  message: string;
}

export interface BankDetails {
  /** Normalised: upper case, no spaces. */
  iban: string;
  bic: string;
  titulaire: string;
}

/** Upper case without spaces, dashes or dots (people copy IBANs grouped by four). */
export function normaliseIban(raw: string): string {
  return raw.replace(/[\s.-]/g, '').toUpperCase();
}

/** The ISO 7064 mod-97-10 remainder of an IBAN (country and check digits moved to the end, letters as 10..35). */
export function ibanRemainder(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** The check digits an IBAN of this country and BBAN must carry (used by tests to build valid numbers). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rest = ibanRemainder(`${country}00${bban}`);
  return String(98 - rest).padStart(2, '0');
}

/** Null when valid, else the French reason. */
export function ibanIssue(iban: string): string | null {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
    return "L'IBAN doit commencer par le code du pays et deux chiffres de contrôle (par exemple FR76…), suivis de lettres et de chiffres.";
  }
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined)
    return `Les IBAN du pays « ${country} » ne sont pas acceptés : il faut un compte dans la zone SEPA.`;
  if (iban.length !== length) {
    return `Un IBAN ${country} compte ${length} caractères ; celui-ci en compte ${iban.length}.`;
  }
  if (ibanRemainder(iban) !== 1)
    return "L'IBAN n'est pas valide (clé de contrôle incorrecte) : vérifiez-le sur votre RIB.";
  return null;
}

export function normaliseBic(raw: string): string {
  return raw.replace(/\s/g, '').toUpperCase();
}

/** ISO 9362: 4 letters (institution), 2 letters (country), 2 alphanumerics (location), optional 3 (branch). */
const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** The BIC country of IBANs of French overseas territories and Monaco is FR-compatible. */
const BIC_COUNTRY_ALIASES: Readonly<Record<string, readonly string[]>> = { MC: ['MC', 'FR'], FR: ['FR', 'MC'] };

export function bicIssue(bic: string, ibanCountry: string | null): string | null {
  if (!BIC.test(bic)) {
    return 'Le BIC compte 8 ou 11 caractères : 4 lettres (banque), 2 lettres (pays), 2 caractères (ville), et parfois 3 (agence).';
  }
  const country = bic.slice(4, 6);
  const allowed = ibanCountry ? (BIC_COUNTRY_ALIASES[ibanCountry] ?? [ibanCountry]) : null;
  if (allowed && !allowed.includes(country)) {
    return `Le BIC indique le pays « ${country} » mais l'IBAN est ${ibanCountry} : vérifiez les deux sur votre RIB.`;
  }
  return null;
}

export function normaliseHolder(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

export function holderIssue(name: string): string | null {
  if (name.length < 2) return 'Indiquez le nom du titulaire du compte, tel qu’il figure sur le RIB.';
  if (name.length > 70) return 'Le nom du titulaire est trop long (70 caractères au plus, comme sur un virement SEPA).';
  if (!/\p{L}/u.test(name)) return 'Le nom du titulaire doit contenir des lettres.';
  return null;
}

/** Normalises and checks the three fields; `issues` is empty when the details can be stored. */
export function checkBankDetails(input: { iban: string; bic: string; titulaire: string }): {
  details: BankDetails;
  issues: BankIssue[];
} {
  const details = {
    iban: normaliseIban(input.iban),
    bic: normaliseBic(input.bic),
    titulaire: normaliseHolder(input.titulaire),
  };
  const issues: BankIssue[] = [];
  const iban = ibanIssue(details.iban);
  if (iban) issues.push({ path: 'iban', message: iban });
  const bic = bicIssue(details.bic, iban ? null : details.iban.slice(0, 2));
  if (bic) issues.push({ path: 'bic', message: bic });
  const holder = holderIssue(details.titulaire);
  if (holder) issues.push({ path: 'titulaire', message: holder });
  return { details, issues };
}

/**
 * The masked IBAN as every screen shows it: country and check digits, bullets, and the last digits kept, grouped by
 * four like a RIB (`FR76 •••• •••• •••• •••• ••12 345` for a 27-character FR IBAN whose last 5 are 12345).
 * Built from what the store keeps in clear (country, check digits, length, last 5), never from the IBAN itself.
 */
export function maskIban(parts: { country: string; checkDigits: string; length: number; last: string }): string {
  const hidden = Math.max(0, parts.length - 4 - parts.last.length);
  const body = '•'.repeat(hidden) + parts.last;
  const groups = `${parts.country}${parts.checkDigits}${body}`.match(/.{1,4}/g) ?? [];
  return groups.join(' ');
}

/** What may be stored in clear beside the ciphertext: enough to mask, never enough to pay. */
export function ibanClearParts(iban: string): { country: string; checkDigits: string; length: number; last: string } {
  return { country: iban.slice(0, 2), checkDigits: iban.slice(2, 4), length: iban.length, last: iban.slice(-5) };
}

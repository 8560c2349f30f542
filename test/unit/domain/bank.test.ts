import { describe, expect, it } from 'vitest';
import {
  bicIssue,
  checkBankDetails,
  ibanCheckDigits,
  ibanClearParts,
  ibanIssue,
  maskIban,
  normaliseIban,
} from '../../../shared/domain/bank.js';

/** A valid IBAN of this country and BBAN: the check digits are computed here, never a real person's account. */
const iban = (country: string, bban: string) => `${country}${ibanCheckDigits(country, bban)}${bban}`;

describe('IBAN (ISO 13616)', () => {
  it('accepts IBANs whose check digits are right, for FR and other SEPA countries', () => {
    // Prepare: BBANs of the right length per country (FR 23, DE 18, BE 12, ES 20, IT 23 with its letter CIN).
    const valid = [
      iban('FR', '30006000011234567890189'),
      iban('DE', '370400440532013000'),
      iban('BE', '539007547034'),
      iban('ES', '21000418450200051332'),
      iban('IT', 'X0542811101000000123456'),
      iban('MC', '11222000010123456789030'),
    ];
    // Act + Assess
    for (const v of valid) expect(ibanIssue(v), v).toBeNull();
  });

  it('refuses a wrong check digit, a transposition, a wrong length, a country outside SEPA', () => {
    const good = iban('FR', '30006000011234567890189');
    const wrongCheck = `FR${good.slice(2, 4) === '00' ? '01' : '00'}${good.slice(4)}`;
    const swapped = `${good.slice(0, 15)}${good[16]}${good[15]}${good.slice(17)}`; // …23… → …32…
    expect(ibanIssue(wrongCheck)).toMatch(/clé de contrôle/);
    expect(ibanIssue(swapped)).toMatch(/clé de contrôle/);
    expect(ibanIssue(good.slice(0, -1))).toMatch(/compte 27 caractères/);
    expect(ibanIssue(iban('US', '123456789012345678'))).toMatch(/zone SEPA/);
    expect(ibanIssue('1234')).toMatch(/code du pays/);
  });

  it('normalises what people paste (spaces, lower case, dashes)', () => {
    const good = iban('FR', '30006000011234567890189');
    const grouped = good.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(normaliseIban(grouped)).toBe(good);
  });
});

describe('BIC (ISO 9362)', () => {
  it('takes 8 or 11 characters and refuses other shapes', () => {
    expect(bicIssue('BNPAFRPP', 'FR')).toBeNull();
    expect(bicIssue('BNPAFRPPXXX', 'FR')).toBeNull();
    expect(bicIssue('BNPAFRP', 'FR')).toMatch(/8 ou 11/);
    expect(bicIssue('BNPAFRPPXX', 'FR')).toMatch(/8 ou 11/);
    expect(bicIssue('1NPAFRPP', 'FR')).toMatch(/8 ou 11/);
  });

  it("refuses a BIC of another country than the IBAN's (Monaco and France go together)", () => {
    expect(bicIssue('DEUTDEFF', 'FR')).toMatch(/pays « DE »/);
    expect(bicIssue('BNPAMCMC', 'FR')).toBeNull();
  });
});

describe('checkBankDetails and the masked form', () => {
  it('returns field errors in French, one per wrong field', () => {
    const { issues } = checkBankDetails({ iban: 'FR00', bic: 'x', titulaire: ' ' });
    expect(issues.map((i) => i.path)).toEqual(['iban', 'bic', 'titulaire']);
  });

  it('masks a FR IBAN as the actor space shows it, from the clear parts only', () => {
    const good = iban('FR', '30006000011234567812345');
    const { details, issues } = checkBankDetails({ iban: good, bic: 'bnpa frpp', titulaire: '  Tiers  Lieu ' });
    expect(issues).toEqual([]);
    expect(details).toMatchObject({ bic: 'BNPAFRPP', titulaire: 'Tiers Lieu' });
    const masked = maskIban(ibanClearParts(details.iban));
    expect(masked).toBe(`FR${good.slice(2, 4)} •••• •••• •••• •••• ••12 345`);
    expect(masked).not.toContain('30006');
  });
});

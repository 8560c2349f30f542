// SIRET validation (14 digits, Luhn; La Poste establishments use a digit sum multiple of 5). Pure.
// A SIRET is a SIREN (9 digits, allocated by INSEE) followed by a NIC (5 digits). The SIREN 000000000 is never
// allocated, yet 00000000000000 passes Luhn: refused as impossible (issue 12), so nobody can claim it first.

export type SiretResult =
  | { ok: true; siret: string }
  | { ok: false; code: 'siren' | 'format' | 'checksum' | 'impossible'; message: string };

export const SIRET_MESSAGES = {
  siren: "C'est un numéro SIREN (9 chiffres) : il me faut le SIRET de l'établissement (14 chiffres).",
  format: 'Le SIRET doit comporter 14 chiffres (les espaces et les points sont acceptés).',
  checksum: "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres (un chiffre a peut-être été mal recopié).",
  impossible:
    "Ce numéro SIRET n'existe pas : le SIREN (ses 9 premiers chiffres) ne peut pas être 000 000 000. Indiquez le SIRET de l'établissement tel qu'il figure sur l'avis de situation INSEE.",
} as const;

const LA_POSTE_SIREN = '356000000';

/** Removes spaces (incl. non-breaking), dots, dashes and underscores users type inside the number. */
export function normaliseSiret(input: string): string {
  return input.replace(/[\s\u00A0\u202F\u2007.\-‐‑–—_]/g, '');
}

/** Luhn check over a digit string (doubling every second digit from the right). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let s = 0;
  for (let i = 0; i < digits.length; i++) s += digits.charCodeAt(i) - 48;
  return s;
}

export function validateSiret(input: string): SiretResult {
  const clean = normaliseSiret(input);
  if (/^0{9}(\d{5})?$/.test(clean)) return { ok: false, code: 'impossible', message: SIRET_MESSAGES.impossible };
  if (/^\d{9}$/.test(clean)) return { ok: false, code: 'siren', message: SIRET_MESSAGES.siren };
  if (!/^\d{14}$/.test(clean)) return { ok: false, code: 'format', message: SIRET_MESSAGES.format };
  if (luhnValid(clean)) return { ok: true, siret: clean };
  if (clean.startsWith(LA_POSTE_SIREN) && digitSum(clean) % 5 === 0) return { ok: true, siret: clean };
  return { ok: false, code: 'checksum', message: SIRET_MESSAGES.checksum };
}

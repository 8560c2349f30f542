// Phone numbers normalised to the national schema's pattern (+33… without the trunk 0; overseas country codes).

export const SCHEMA_PHONE = /^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$/;

// French overseas numbers dialled nationally as 0 + 9 digits, but internationally under their own country code.
const OVERSEAS_PREFIXES: [prefix: string, cc: string][] = [
  ['262', '+262'], // La Réunion (fixed)
  ['263', '+262'], // La Réunion
  ['692', '+262'], // La Réunion (mobile)
  ['693', '+262'],
  ['269', '+262'], // Mayotte (fixed)
  ['639', '+262'], // Mayotte (mobile)
  ['590', '+590'], // Guadeloupe, Saint-Barthélemy, Saint-Martin
  ['690', '+590'],
  ['691', '+590'],
  ['594', '+594'], // Guyane
  ['694', '+594'],
  ['596', '+596'], // Martinique
  ['696', '+596'],
  ['697', '+596'],
  ['508', '+508'], // Saint-Pierre-et-Miquelon
];

/** "05 55 00 00 00" → "+33555000000"; returns null when the result does not fit the schema pattern. */
export function normalisePhone(input: string): string | null {
  let s = input.replace(/[\s\u00A0\u202F.\-()/]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (s.startsWith('+330')) s = `+33${s.slice(4)}`;
  if (/^0\d{9}$/.test(s)) {
    const rest = s.slice(1);
    const overseas = OVERSEAS_PREFIXES.find(([p]) => rest.startsWith(p));
    s = overseas ? `${overseas[1]}${rest}` : `+33${rest}`;
  }
  return SCHEMA_PHONE.test(s) ? s : null;
}

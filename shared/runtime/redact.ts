/**
 * Personal data never reaches the logs: this is the one sanitiser every log line goes through (the logger's JSON
 * replacer, shared/runtime/logger.ts). JSON.stringify calls it for every key at every depth, inside arrays, inside
 * errors (the logger turns an Error into a plain object first, then its own fields come through here too), so no path
 * list has to guess where an application document, a staff member or a token sits in a logged object.
 *
 * Three rules:
 * - secrets and contact details by key name, whatever the depth or the case: e-mail (`courriel`, `email`, `to`…),
 *   phone (`telephone`, `phone`…), passwords, tokens (`token`, `taskToken`, `actorToken`…), secrets, authorization;
 * - names of persons by shape: an object that holds an e-mail (`courriel`/`email`) or a `prenom`, or sits under a
 *   person's key (`representant_legal`, `staff`…), is a person, so its `nom`/`prenom` go too; a structure's or a
 *   place's `nom` is not a person's and stays (it is what makes a log line useful);
 * - e-mail addresses and French phone numbers inside any text (an error message, a stack, a free comment).
 */

export const REDACTED = '[redacted]';

/** Key names (lower-cased, `_`/`-` removed) whose value is secret or personal, at any depth. */
const SECRET_KEY =
  /(courriel|courriels|e?mails?|telephones?|phones?|mobile|password|passwd|motdepasse|tokens?|secrets?|authorization|cookies?|iban|bic|titulaire|ciphertext)$/;
const EXACT_KEYS = new Set(['to', 'cc', 'bcc', 'tel']);
/** The fields of an object that name a person, once the object is known to be one. */
const PERSON_NAME_KEYS = ['nom', 'prenom', 'name', 'firstname', 'lastname', 'fullname'];
/** What makes an object a person's: an e-mail or a first name (a place has a phone and a `nom`, and is no person). */
const PERSON_MARKS = ['courriel', 'email', 'prenom', 'firstname'];
/** Keys whose value is a person whatever it holds. */
const PERSON_KEYS = new Set([
  'representantlegal',
  'representant',
  'demandeur',
  'contact',
  'person',
  'personne',
  'staff',
]);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// French numbers as people write them: 0X XX XX XX XX, +33 X XX…, 0033…, with spaces, dots or dashes.
const PHONE = /(?:\+33[\s.-]?|0033[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g;

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

export function isSecretKey(key: string): boolean {
  const k = normalise(key);
  return EXACT_KEYS.has(k) || SECRET_KEY.test(k);
}

/** E-mail addresses and phone numbers in a text, replaced. */
export function scrubText(text: string): string {
  if (!text.includes('@') && !/\d{2}/.test(text)) return text; // the common case costs two scans
  return text.replace(EMAIL, '[redacted-email]').replace(PHONE, '[redacted-phone]');
}

function isPerson(key: string, obj: Record<string, unknown>): boolean {
  return PERSON_KEYS.has(normalise(key)) || Object.keys(obj).some((k) => PERSON_MARKS.includes(normalise(k)));
}

/**
 * The JSON replacer form of the sanitiser (`JSON.stringify(value, redactReplacer)`): called with each key and value,
 * it returns what to write instead. Plain function (no `this`): the logger calls it that way.
 */
export function redactReplacer(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (key !== '' && isSecretKey(key)) return REDACTED;
  if (typeof value === 'string') return scrubText(value);
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Error)) {
    const obj = value as Record<string, unknown>;
    if (isPerson(key, obj)) {
      const copy: Record<string, unknown> = { ...obj };
      for (const k of Object.keys(copy)) if (PERSON_NAME_KEYS.includes(normalise(k))) copy[k] = REDACTED;
      return copy;
    }
  }
  return value;
}

/** A sanitised deep copy (for the rare caller that is not a logger, and for tests). */
export function redact<T>(value: T): unknown {
  const json = JSON.stringify(value, (k, v) => redactReplacer(k, v instanceof Error ? errorFields(v) : v));
  return json === undefined ? undefined : JSON.parse(json);
}

function errorFields(err: Error): Record<string, unknown> {
  return { ...err, name: err.name, message: err.message, stack: err.stack, cause: err.cause };
}

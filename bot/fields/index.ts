// The questionnaire's questions for the dialogs (bot/dialogs/). Where things are:
//   catalogue.ts  every question B1…F2: prompt, kind, path in the draft, gate, branch
//   kinds.ts      yes/no, choice, multi, number, text, e-mail, hours, SIRET: reading, re-prompts, summary line
//   field.ts      the Field contract and the typed answer paths (getAt / setAt)
//   options.ts    the numbered choices (values from the domain's enumerations)
//   commune.ts    postal code + commune (C5b)
//   prompts.ts    configuration values and place numbers shown in prompts
// Limits and the e-mail check are the document's: LIMITS and isValidEmail in shared/domain/application.ts.
export { FIELDS, type FieldKey, fieldByKey } from './catalogue.js';
export { parseCommune } from './commune.js';
export type { AnswerPath, Field, FieldContext } from './field.js';
export { FIND_SIRET, NO_SIRET } from './kinds.js';
export { PROFIL_OPTIONS } from './options.js';
export { lieuLabel, type PromptConfig, promptConfig, toPromptConfig } from './prompts.js';

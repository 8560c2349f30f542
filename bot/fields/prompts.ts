// What prompts show besides fixed text: configuration values (Kit price, partner networks) and the place number.
// Prompts are synchronous, so a dialog copies these into its variables when it starts (dialogs/form.ts, makeDialog).
import type { AppConfig } from '../../shared/config/config.js';
import type { ChatState } from '../state.js';

/** The configuration values prompts show, copied into the dialog variables (`_cfg`) when a dialog starts. */
export interface PromptConfig {
  kitPrice: number;
  kitPeriod: string;
  networks: string[];
  /** The versioned documents an actor accepts (Charte, CGU), with their links: asked once, linked (issue 14 item 5). */
  documents?: { charte: CommitmentDoc; cgu: CommitmentDoc };
}

export interface CommitmentDoc {
  title: string;
  version: string;
  url: string;
}

export const toPromptConfig = (config: AppConfig): PromptConfig => ({
  kitPrice: config.kit.priceHtEur,
  kitPeriod: config.kit.period,
  networks: config.networks.filter((n) => n.agreement).map((n) => n.name),
  documents: {
    charte: pickDoc(config.commitments.charte),
    cgu: pickDoc(config.commitments.cgu),
  },
});

const pickDoc = (d: CommitmentDoc): CommitmentDoc => ({ title: d.title, version: d.version, url: d.url });

/**
 * « la Charte #APTIC (version 2024-01 : https://…) et les Conditions générales… (version … : https://…) »: both documents
 * in one phrase, each with its version and link (the chat page turns the links into links).
 */
export function documentsPhrase(vars: Record<string, unknown>): string {
  const docs = promptConfig(vars).documents;
  if (!docs) return 'la Charte #APTIC et les conditions générales';
  const one = (d: CommitmentDoc) => `${d.title} (version ${d.version} : ${d.url})`;
  return `la ${one(docs.charte)} et les ${one(docs.cgu)}`;
}

export function promptConfig(vars: Record<string, unknown>): PromptConfig {
  return (vars._cfg as PromptConfig | undefined) ?? { kitPrice: 77, kitPeriod: 'an', networks: [] };
}

/** « n°2 » in the place prompts once there is, or will be, more than one place; nothing for a single place. */
export const lieuLabel = (s: ChatState) =>
  s.draft.lieux.length > 0 || (s.draft.activite.nombre_lieux ?? 1) > 1 ? ` n°${s.draft.lieux.length + 1}` : '';

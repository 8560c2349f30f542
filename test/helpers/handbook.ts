import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The handbook files tests read, from the copies in docs/handbook/ (see its README): the team's folder
 * `../shared/` is beside the checkout in CI but not in every clone, and a test must not skip or weaken without it.
 */
export const HANDBOOK_FILES = [
  'faq-topics.md',
  'domain.md',
  'application.md',
  'eligibility.md',
  'architecture.md',
  'territory.md',
] as const;
export type HandbookFile = (typeof HANDBOOK_FILES)[number];

/** Path of the in-repository copy of a handbook file. */
export function handbookPath(name: HandbookFile): string {
  return fileURLToPath(new URL(`../../docs/handbook/${name}`, import.meta.url));
}

/** Path of a file in the team's folder beside the checkout (`../shared/<name>`), or null when it is not there. */
export function besideCheckout(name: string): string | null {
  const p = fileURLToPath(new URL(`../../../shared/${name}`, import.meta.url));
  return existsSync(p) ? p : null;
}

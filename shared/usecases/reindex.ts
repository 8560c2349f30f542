import type { ApplicationItem } from '../store/types.js';
import { indexApplicationAddresses } from './actor-sign-in.js';
import type { Deps } from './ports.js';

/**
 * Writes the lookup items an application's document implies, as a submission or a corrected document does today: the
 * console's search entries and the address → application items that sign-in reads. Applications stored by a version
 * that did not write them (before the search index and the actor space) are otherwise invisible to both. Idempotent
 * (the search index puts what is missing and deletes what is stale; the address items are plain puts). An erased
 * application has no personal data left to index: skipped.
 */
export async function reindexApplication(deps: Deps, app: ApplicationItem): Promise<'indexed' | 'skipped'> {
  if (app.erasedAt) return 'skipped';
  await deps.store.search.index(app);
  await indexApplicationAddresses(deps, app);
  return 'indexed';
}

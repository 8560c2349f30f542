import { getDeps } from '../../shared/runtime/clients.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { runRetention } from '../../shared/usecases/retention.js';

/** Scheduled (EventBridge, daily): the retention job (docs/modules.md « Erasure and retention »). */
export const run = (deps: Deps, _event: unknown) => runRetention(deps);
export const handler = (event: unknown) => run(getDeps(), event);

import { fileURLToPath } from 'node:url';

/** Repository root, for entries given relative to it (`functions/api/health.ts`). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

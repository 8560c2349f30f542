import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STAGE_NAMES, STAGES } from '../../../shared/domain/path.js';

// The actor space is a plain script (no bundler): it carries its own copy of the stages' French labels.
describe('/espace stage labels', () => {
  it('match shared/domain/path.ts for every stage', () => {
    const js = readFileSync(new URL('../../../functions/web/espace/espace.js', import.meta.url), 'utf8');
    for (const stage of STAGE_NAMES) {
      const label = STAGES[stage].label;
      const quoted = label.includes("'") ? `"${label}"` : `'${label}'`;
      expect(js, stage).toContain(`${stage}: ${quoted}`);
    }
  });
});

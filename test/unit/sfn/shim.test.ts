// The shim (infra/local/sfn/shim.ts) relies on private shapes of aws-local-stepfunctions: these tests fail loudly when
// the installed version is not the one it was written for, or when a private shape it uses has gone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBRARY_VERSION, statesTimeout } from '../../../infra/local/sfn/shim.js';

const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

describe('aws-local-stepfunctions shim', () => {
  it('runs on the exact version it was written for, pinned in package.json and package-lock.json', () => {
    const installed = readJson('../../../node_modules/aws-local-stepfunctions/package.json').version;
    const hint = `aws-local-stepfunctions ${installed} is installed, the shim was written for ${LIBRARY_VERSION}: re-check every private shape listed at the top of infra/local/sfn/shim.ts, then update LIBRARY_VERSION and the pin`;
    expect(installed, hint).toBe(LIBRARY_VERSION);
    expect(readJson('../../../package.json').dependencies['aws-local-stepfunctions']).toBe(LIBRARY_VERSION);
    expect(readJson('../../../package-lock.json').packages[''].dependencies['aws-local-stepfunctions']).toBe(
      LIBRARY_VERSION,
    );
  });

  it("builds task timeouts from the library's own (unexported) States.Timeout class", async () => {
    const error = await statesTimeout('Task timed out');
    expect(error.name).toBe('States.Timeout');
    expect(error.message).toBe('Task timed out');
    // Without the captured prototype the fallback is a plain Error, which States.TaskFailed would wrongly match.
    expect(Object.getPrototypeOf(error)).not.toBe(Error.prototype);
    expect(error).toBeInstanceOf(Error);
  });
});

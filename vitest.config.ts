import { defineConfig } from 'vitest/config';

// On Node < 22 every AWS SDK client prints a NodeVersionSupportWarning once per process, i.e. once per test worker
// and per spawned server. Tests silence it with the SDK's own switch, set here so that workers and child processes
// inherit it, and say so once per run (docs/node.md). Production code does not set it.
const SDK_NOTICE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
if (Number(process.versions.node.split('.')[0]) < 22 && process.env[SDK_NOTICE] === undefined) {
  process.env[SDK_NOTICE] = 'true';
  console.log(`Node ${process.version}: the AWS SDK's Node 22 notice is silenced in tests (${SDK_NOTICE}=true).`);
}

export default defineConfig({
  test: {
    // The files are the projects' (below): an include here would be merged into both.
    setupFiles: ['./shared/runtime/polyfills.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only adds contention between dynalite instances.
    maxWorkers: 2,
    // A stubbed variable never outlives its test (a worker runs several files when isolation is off, below).
    unstubEnvs: true,
    // Pure tests (domain, bot units, infra templates) share their workers: aws-cdk-lib, the AWS SDK and Botkit are
    // loaded once per worker instead of once per file (unit 41 → 17 s, infra 32 → 21 s here). Integration and
    // browser tests start servers, dynalite and in-process workflows whose leftovers a later file must not meet:
    // each file keeps a fresh process.
    projects: [
      {
        extends: true,
        test: { name: 'pure', include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: { name: 'system', include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'] },
      },
    ],
  },
});

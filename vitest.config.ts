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
    include: ['test/**/*.test.ts'],
    setupFiles: ['./shared/runtime/polyfills.ts', './test/helpers/faq-classifiers.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only adds contention between dynalite instances.
    maxWorkers: 2,
    // A stubbed variable never outlives its test (a worker runs many files, below).
    unstubEnvs: true,
    // Workers are shared between test files: aws-cdk-lib, the AWS SDK, Botkit and Playwright load once per worker
    // instead of once per file (the whole suite 412 s with only unit and infra files sharing, 229 s with every file,
    // here). So a file leaves nothing behind: servers, dynalite, runtimes and browsers are closed in afterAll, SDK
    // class mocks restored (aws-sdk-client-mock `restore()`), spies and fake timers undone — a class mock left on
    // SFNClient once kept every later file's executions from starting.
    isolate: false,
  },
});

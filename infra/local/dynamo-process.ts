// The dynalite child process of dynamo-child.ts: prints its endpoint (or the start error) on the first stdout line,
// then serves until its stdin closes (the parent stopped) or a signal arrives.
import '../../shared/runtime/polyfills.js';
import { startDynamo } from './dynamo.js';

try {
  const dynamo = await startDynamo({
    dataDir: process.env.DYNAMO_DATA_DIR || null,
    port: Number(process.env.DYNAMO_PORT || 0),
  });
  process.stdout.write(`${dynamo.endpoint}\n`);
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void dynamo.close().finally(() => process.exit(0));
  };
  process.stdin.resume();
  process.stdin.on('end', stop);
  // Ctrl-C reaches the whole process group: let the parent finish its last writes first, then stop with it.
  process.on('SIGINT', () => setTimeout(stop, 1500).unref());
  process.on('SIGTERM', () => setTimeout(stop, 1500).unref());
} catch (err) {
  process.stdout.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
}

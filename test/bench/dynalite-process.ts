// dynalite in its own process, as DynamoDB is for the bot in production (never on the bot's event loop).
// Prints its endpoint on the first stdout line; exits when stdin closes.
import '../../shared/runtime/polyfills.js';
import { startDynamo } from '../../infra/local/dynamo.js';

const dynamo = await startDynamo({ dataDir: null });
process.stdout.write(`${dynamo.endpoint}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void dynamo.close().then(() => process.exit(0));
});

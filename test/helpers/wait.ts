/**
 * Waits until `read()` gives a value that `done` accepts, reading every `interval` ms, and fails after `timeout` ms
 * with `message` and the last value read. The harnesses use it instead of vitest's `expect.poll` because benchmarks
 * (plain scripts, no test runner) drive the same harnesses; tests keep `expect.poll` in their own bodies.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeout?: number; interval?: number; message: string },
): Promise<T> {
  const deadline = Date.now() + (options.timeout ?? 10_000);
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${options.message} (last seen: ${JSON.stringify(value)})`);
    await new Promise((ok) => setTimeout(ok, options.interval ?? 25));
  }
}

// Timers for the local Step Functions engine.
// Node's setTimeout takes at most 2^31-1 ms (24.8 days); a larger delay fires after 1 ms with a warning. Step Functions
// timeouts reach a year, so long delays are split into chunks and re-armed.

export const MAX_TIMER_MS = 2_147_483_647;

export interface Cancellable {
  cancel(): void;
}

/** Calls `fn` once after `ms` (any length, re-armed in chunks); `cancel()` clears whichever chunk is pending. */
export function longTimeout(fn: () => void, ms: number): Cancellable {
  let remaining = Math.max(0, ms);
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (): void => {
    const chunk = Math.min(remaining, MAX_TIMER_MS);
    remaining -= chunk;
    handle = setTimeout(() => {
      handle = undefined;
      if (cancelled) return;
      if (remaining > 0) arm();
      else fn();
    }, chunk);
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      if (handle) clearTimeout(handle);
      handle = undefined;
    },
  };
}

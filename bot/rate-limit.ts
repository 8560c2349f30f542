/**
 * Token bucket per key, in memory (per process: on Lambda each instance limits on its own, which still bounds a
 * single client's burst; API Gateway throttling is the global limit).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly burst: number;

  constructor(
    options: { perMinute: number; burst?: number },
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = options.perMinute / 60_000;
    this.burst = options.burst ?? options.perMinute;
  }

  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    if (this.buckets.size > 100_000) this.sweep(t);
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }

  /** Seconds until `key` has a token again (at least 1): the `Retry-After` of a refusal. */
  retryAfterSeconds(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 1;
    const tokens = Math.min(this.burst, b.tokens + (this.now() - b.at) * this.perMs);
    return Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  /** Full buckets carry no information: drop them. */
  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * this.perMs >= this.burst) this.buckets.delete(k);
  }
}

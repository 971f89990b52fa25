/**
 * A token bucket per client address, in memory: enough to make guessing verification codes and
 * passwords from one address hopeless. Replicas each keep their own (a client gets at most N times the
 * rate across N replicas, which is still far from useful for guessing 100-bit codes).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when the client must wait. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    // Forget idle clients so the map cannot grow without bound.
    if (this.buckets.size > 50_000) for (const [k, v] of this.buckets) if (t - v.at > 60_000) this.buckets.delete(k);
    return ok;
  }

  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(60 / this.perMinute));
  }
}

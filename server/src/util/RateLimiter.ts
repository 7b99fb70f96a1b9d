/** Sliding-window limit on events per key (a client's chat messages). */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly burst: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Records an event; false when the key is over its limit (the event is not counted). */
  allow(key: string): boolean {
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((x) => t - x < this.windowMs);
    if (recent.length >= this.burst) { this.hits.set(key, recent); return false; }
    recent.push(t);
    this.hits.set(key, recent);
    return true;
  }

  forget(key: string): void { this.hits.delete(key); }
}

/** A load started once and shared by everyone who asks; a failed one is forgotten, so the next ask retries. */
export class LoadOnce<T> {
  private current: Promise<T> | null = null;

  get(load: () => Promise<T>): Promise<T> {
    if (!this.current) {
      const p = load();
      this.current = p;
      p.catch(() => { if (this.current === p) this.current = null; });
    }
    return this.current;
  }

  /** Forgets the load (its resource is gone); resolves once a load in flight has settled. */
  async reset(): Promise<void> {
    const p = this.current;
    this.current = null;
    await p?.catch(() => undefined);
  }
}

/**
 * An abort signal that is renewed when it is used up: `interrupt()` aborts the
 * work listening now, and whatever starts afterwards gets a fresh signal (a
 * plan dropped for a new one; background work that yields to people).
 */
export class Renewable {
  private controller = new AbortController();

  get signal(): AbortSignal { return this.controller.signal; }

  interrupt(reason: string): void {
    this.controller.abort(reason);
    this.controller = new AbortController();
  }
}

/** A cancellable handle for one character's utterance: one AbortSignal stops every stage. */
export class Turn {
  private readonly controller = new AbortController();
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(readonly id: string, readonly characterId: string) {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get signal(): AbortSignal { return this.controller.signal; }
  get interrupted(): boolean { return this.controller.signal.aborted; }

  interrupt(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  finish(): void { this.resolveDone(); }
}

/**
 * Pause and resume for an utterance in flight: a person starting to speak pauses
 * the character at once (every client stops playback); if it was only noise or a
 * backchannel ("mm-hm"), the character resumes where it was heard to.
 */
export class PlaybackControl {
  private paused = false;
  private waiters: (() => void)[] = [];
  private listeners: ((paused: boolean) => void)[] = [];

  get isPaused(): boolean { return this.paused; }

  onChange(fn: (paused: boolean) => void): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const l of this.listeners) l(true);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const l of this.listeners) l(false);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once playing (at once if not paused), or when `signal` aborts. */
  whilePaused(signal: AbortSignal): Promise<void> {
    if (!this.paused || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => { signal.removeEventListener("abort", done); resolve(); };
      this.waiters.push(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

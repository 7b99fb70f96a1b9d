/** The last `ms` of a person's turn, across the pauses they resumed after. */
export class TurnAudio {
  private readonly buf: Int16Array;
  private length = 0;

  constructor(ms = 8000, sampleRate = 16000) { this.buf = new Int16Array((ms * sampleRate) / 1000); }

  clear(): void { this.length = 0; }

  push(pcm: Int16Array): void {
    const cap = this.buf.length;
    if (pcm.length >= cap) { this.buf.set(pcm.subarray(pcm.length - cap)); this.length = cap; return; }
    const keep = Math.min(this.length, cap - pcm.length);
    this.buf.copyWithin(0, this.length - keep, this.length);
    this.buf.set(pcm, keep);
    this.length = keep + pcm.length;
  }

  /** a copy of what is kept, oldest first */
  samples(): Int16Array { return this.buf.slice(0, this.length); }
}

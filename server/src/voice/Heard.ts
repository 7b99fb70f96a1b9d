/** What one page was sent, as band energies on the server's clock, and the search for its echo in what the page's microphone heard. */
import type { ECHO_DEFAULTS } from "./EchoGuard.js";
import { BAND_COUNT, correlate } from "./echoBands.js";

/** a page known to play D ms late is searched up to D plus this, ms */
const LATE_MARGIN_MS = 1000;

/** What one page was sent: band energies on the server's clock, every source added up. */
export class Heard {
  /**
   * the steps from `startStep` on: `len` used of a buffer with room for twice what is kept,
   * so a frame's few new steps go at the end in place; what falls out is dropped only when
   * the room runs out (one copy per `keepMs` of sound, not one per frame)
   */
  private buf = new Float32Array(0);
  private len = 0;
  private startStep = 0;

  constructor(private readonly o: typeof ECHO_DEFAULTS) {}

  get steps(): number { return this.len; }

  private get feats(): Float32Array { return this.buf.subarray(0, this.len * BAND_COUNT); }

  /** Adds a sound that plays from `atMs` (server clock), `scale` times (-1 takes back one added before). */
  add(atMs: number, feats: Float32Array, scale = 1): void {
    const first = Math.round(atMs / this.o.stepMs);
    const n = feats.length / BAND_COUNT;
    const keep = Math.ceil(this.o.keepMs / this.o.stepMs);
    const oldStart = this.startStep;
    const oldEnd = oldStart + this.len;
    const end = this.len > 0 ? Math.max(oldEnd, first + n) : first + n;
    if (this.len === 0 || first < oldStart || end - oldStart > this.buf.length / BAND_COUNT) {
      // the first sound, one before what is kept, or no room left: keep the latest `keepMs` in a fresh buffer
      const start = Math.max(this.len > 0 ? Math.min(oldStart, first) : first, end - keep);
      const next = new Float32Array(2 * keep * BAND_COUNT);
      for (let s = Math.max(start, oldStart); s < oldEnd; s++) next.set(this.buf.subarray((s - oldStart) * BAND_COUNT, (s - oldStart + 1) * BAND_COUNT), (s - start) * BAND_COUNT);
      this.buf = next;
      this.startStep = start;
      this.len = end - start;
    } else if (end > oldEnd) {
      // the buffer's room past what is used may hold what was dropped before: silence there
      this.buf.fill(0, this.len * BAND_COUNT, (end - oldStart) * BAND_COUNT);
      this.len = end - oldStart;
    }
    for (let i = 0; i < n; i++) {
      const s = first + i;
      if (s < this.startStep) continue;
      for (let b = 0; b < BAND_COUNT; b++) {
        const k = (s - this.startStep) * BAND_COUNT + b;
        this.buf[k] = Math.max(0, this.buf[k]! + scale * feats[i * BAND_COUNT + b]!);
      }
    }
  }

  /** how much later than sent the last best match was heard, ms (diagnostics) */
  lastLagMs = 0;

  /** The best correlation of `mic` (starting at `atMs`) with what was sent around then; `behindMs`: how late the page is known to play. */
  match(atMs: number, mic: Float32Array, behindMs = 0): number {
    const n = mic.length / BAND_COUNT;
    const latest = Math.max(this.o.latestMs, behindMs + LATE_MARGIN_MS);
    const from = Math.round((atMs - latest) / this.o.stepMs) - this.startStep;
    const to = Math.round((atMs + this.o.earliestMs) / this.o.stepMs) - this.startStep;
    // silence before the first sound and after the last: a microphone that began hearing
    // the echo of the first sound partway through its window matches it there (over at
    // least the shortest judged stretch: a few steps match anything by chance)
    const pad = n - Math.min(n, Math.ceil(this.o.minMs / this.o.stepMs));
    const lo = Math.max(-pad, from);
    const hi = Math.min(to, this.steps - n + pad);
    if (hi < lo) return 0;
    // only the searched stretch (a few hundred steps of the 12 s kept), silence where nothing was sent
    const ref = new Float32Array((hi - lo + n) * BAND_COUNT);
    const first = Math.max(0, lo);
    ref.set(this.feats.subarray(first * BAND_COUNT, Math.min(this.steps, hi + n) * BAND_COUNT), (first - lo) * BAND_COUNT);
    let best = 0;
    for (let at = lo; at <= hi; at++) {
      const r = correlate(mic, ref, at - lo);
      if (r > best) { best = r; this.lastLagMs = atMs - (at + this.startStep) * this.o.stepMs; }
    }
    return best;
  }
}

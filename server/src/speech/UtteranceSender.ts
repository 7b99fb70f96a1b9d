/**
 * Sends one utterance's chunks to the room: utt:start when it may begin, chunks
 * paced to real time plus a lead, pause (clients stop at the heard position) and
 * resume (the rest is sent again from there), then utt:end, or utt:cancel. It
 * knows how much every client has played, so it knows what was heard.
 */
import type { UttChunk, UttStart, UttEnd, UttCancel, UttPause, EmotionCue, VisemeCue } from "@parley/shared";
import { heardText, type SpokenSegment } from "./heard.js";
import type { PlaybackReports } from "./PlaybackReports.js";
import type { TurnHandle } from "../turn/TurnHandle.js";

export interface UtteranceSink {
  start(m: UttStart): void;
  chunk(m: UttChunk): void;
  end(m: UttEnd): void;
  cancel(m: UttCancel): void;
  pause?(m: UttPause): void;
}

export interface OutgoingChunk { pcm: Int16Array; cues: VisemeCue[]; emotions: EmotionCue[]; text?: string; segmentText: string; newSegment: boolean }

interface Sent { start: number; pcm: Int16Array; cues: VisemeCue[]; emotions: EmotionCue[]; text?: string }

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(() => { signal.removeEventListener("abort", done); resolve(); }, ms);
    const done = (): void => { clearTimeout(t); resolve(); };
    signal.addEventListener("abort", done, { once: true });
  });

export class UtteranceSender {
  private sent = 0;
  private seq = 0;
  /** when sample 0 would have played, if playback had never paused (ms) */
  private clock = -1;
  private pausedAt = -1;
  private readonly log: Sent[] = [];
  readonly spoken: SpokenSegment[] = [];
  started = false;
  private unlisten: () => void = () => {};

  private readonly id: string;
  private readonly signal: AbortSignal;

  constructor(
    private readonly turn: TurnHandle,
    private readonly start0: Omit<UttStart, "utteranceId">,
    private readonly sink: UtteranceSink,
    private readonly leadMs: number,
    private readonly now: () => number,
    private readonly reports?: PlaybackReports,
  ) {
    this.id = turn.id;
    this.signal = turn.signal;
    this.unlisten = turn.onPauseChange((p) => (p ? this.onPause() : undefined));
  }

  private get sr(): number { return this.start0.sampleRate; }

  /** Samples played by now: the clients' own reports where there are some, else the server's clock. */
  played(): number {
    if (this.pausedAt >= 0) return this.pausedAt;
    if (this.clock < 0) return 0;
    const estimate = Math.max(0, Math.min(this.sent, Math.floor(((this.now() - this.clock) * this.sr) / 1000)));
    return this.reports ? this.reports.playedBy(this.id, this.sr, estimate) : estimate;
  }

  heard(): string { return this.started ? heardText(this.spoken, this.played()) : ""; }

  begin(): void {
    if (this.started) return;
    this.started = true;
    // a reply to a person tells its stages, its first audio being ready now
    this.sink.start({ utteranceId: this.id, ...this.start0, ...(this.turn.trace ? { latency: this.turn.trace.stages(this.now()) } : {}) });
  }

  private onPause(): void {
    if (!this.started || this.pausedAt >= 0) return;
    this.pausedAt = this.played();
    this.sink.pause?.({ utteranceId: this.id, atSample: this.pausedAt });
  }

  /**
   * True while paused, or after a pause whose audio has not been sent again yet:
   * a pause and its resume may both happen while this sender sleeps or waits for
   * the voice, and the resume must still start from the paused sample.
   */
  private get held(): boolean { return this.turn.paused || this.pausedAt >= 0; }

  /** Waits out a pause; after it, what was sent past the paused point goes again. */
  private async afterPause(): Promise<void> {
    await this.turn.untilPlaying();
    if (this.pausedAt < 0 || this.signal.aborted) return;
    const at = this.pausedAt;
    this.pausedAt = -1;
    this.clock = this.now() - (at * 1000) / this.sr;
    const replay = this.log.filter((s) => s.start + s.pcm.length > at);
    this.sent = at;
    for (const s of replay) {
      const skip = Math.max(0, at - s.start);
      const cues = s.cues.filter((c) => c.t >= skip).map((c) => ({ t: c.t - skip, w: c.w }));
      const carried = [...s.cues].reverse().find((c) => c.t < skip);
      if (skip > 0 && carried && (cues.length === 0 || cues[0]!.t > 0)) cues.unshift({ t: 0, w: carried.w });
      this.emit(s.pcm.subarray(skip), cues, skip > 0 ? [] : s.emotions, skip > 0 ? undefined : s.text, false);
    }
  }

  private emit(pcm: Int16Array, cues: VisemeCue[], emotions: EmotionCue[], text: string | undefined, record: boolean): void {
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    this.sink.chunk({ utteranceId: this.id, seq: this.seq++, sampleRate: this.sr, startSample: this.sent, pcm: bytes, cues, emotions, ...(text !== undefined ? { text } : {}) });
    if (record) this.log.push({ start: this.sent, pcm, cues, emotions, text });
    if (this.clock < 0) this.clock = this.now();
    this.sent += pcm.length;
  }

  /** Sends one chunk, paced; returns false when the utterance was stopped meanwhile. */
  async send(c: OutgoingChunk): Promise<boolean> {
    this.begin();
    if (this.held) await this.afterPause();
    if (this.clock >= 0) {
      const aheadMs = (this.sent * 1000) / this.sr - (this.now() - this.clock);
      if (aheadMs > this.leadMs) await sleep(aheadMs - this.leadMs, this.signal);
      if (this.held) await this.afterPause();
    }
    if (this.signal.aborted) return false;
    if (c.newSegment) this.spoken.push({ startSample: this.sent, endSample: this.sent, text: c.segmentText });
    this.emit(c.pcm, c.cues, c.emotions, c.text, true);
    this.spoken[this.spoken.length - 1]!.endSample = this.sent;
    return true;
  }

  get firstAudioSent(): boolean { return this.clock >= 0; }
  get totalSamples(): number { return this.sent; }

  /** utt:end, then waits until every client has played it all (pauses included); false if cut meanwhile. */
  async finish(text: string): Promise<boolean> {
    this.begin();
    this.sink.end({ utteranceId: this.id, text, totalSamples: this.sent });
    for (;;) {
      if (this.signal.aborted) return false;
      if (this.held) { await this.afterPause(); continue; }
      const remaining = this.clock < 0 ? 0 : (this.sent * 1000) / this.sr - (this.now() - this.clock);
      if (remaining <= 0) return true;
      // short naps, so a pause during the playout is noticed at once
      await sleep(Math.min(remaining, 40), this.signal);
    }
  }

  cancel(reason: string): void {
    if (this.started) this.sink.cancel({ utteranceId: this.id, reason });
  }

  close(): void { this.unlisten(); }
}

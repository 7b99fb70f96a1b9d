/**
 * The other people's voices, relayed by the server: 16 kHz frames scheduled
 * back to back on the page's AudioContext behind a small jitter buffer, each
 * person's through their own chain (volume, HRTF panner at their seat). A frame
 * that comes late restarts the buffer; each such underrun makes that person's
 * buffer a little deeper (a busy page or a jittery network), and it shrinks back
 * a little with each new utterance, so the voice plays on without holes.
 */
import type { VoiceAudio } from "@parley/shared";
import { int16ToFloat32 } from "./pcm.js";

/** how far ahead of now a person's first frame is scheduled: room for network jitter, s */
const JITTER_S = 0.06;
/** each underrun deepens the buffer by this much, up to the most, s */
const GROW_S = 0.04;
const MAX_JITTER_S = 0.4;
/** each new utterance keeps this share of the depth above the least */
const SHRINK = 0.75;
/** a frame due closer than this to now has come late: start over with a fresh buffer, s */
const LATE_S = 0.005;
const RATE = 16_000;

interface Peer { nextAt: number; lastEnd: number; lagMs: number; lastSeq: number; startedAt: number; jitterS: number; underruns: number }

export interface PeerView { playing: boolean; lagMs: number; bufferMs: number; underruns: number }

export class PeerVoices {
  private readonly peers = new Map<string, Peer>();
  /** when each person's speech began to play (performance.now() ms), for measurements */
  readonly onsets: { from: string; at: number }[] = [];

  /** @param onGap told when a person's playout ran dry at frame `seq` and goes on `gapMs` later (the room's echo guard follows) */
  constructor(private readonly ctx: AudioContext, private readonly input: (id: string) => AudioNode, private readonly onGap: (from: string, seq: number, gapMs: number) => void = () => {}) {}

  start(from: string): void {
    const had = this.peers.get(from);
    const jitterS = had ? JITTER_S + (had.jitterS - JITTER_S) * SHRINK : JITTER_S;
    this.peers.set(from, { nextAt: 0, lastEnd: had?.lastEnd ?? 0, lagMs: 0, lastSeq: -1, startedAt: 0, jitterS, underruns: had?.underruns ?? 0 });
  }

  audio(m: VoiceAudio): void {
    let p = this.peers.get(m.from);
    if (!p) { this.start(m.from); p = this.peers.get(m.from)!; }
    // frames only go forward (a duplicate or a straggler is dropped)
    if (m.seq <= p.lastSeq) return;
    p.lastSeq = m.seq;
    const samples = int16ToFloat32(m.pcm);
    if (samples.length === 0) return;
    const now = this.ctx.currentTime;
    let when = p.nextAt;
    if (when < now + LATE_S) {
      // late in the middle of speech: an underrun
      const dry = p.nextAt > 0;
      if (dry) { p.underruns++; p.jitterS = Math.min(MAX_JITTER_S, p.jitterS + GROW_S); }
      when = now + p.jitterS;
      if (dry) this.onGap(m.from, m.seq, (when - p.nextAt) * 1000);
      if (p.lastEnd <= now) {
        p.startedAt = performance.now() + (when - now) * 1000;
        this.onsets.push({ from: m.from, at: p.startedAt });
        if (this.onsets.length > 100) this.onsets.shift();
      }
    }
    const buf = this.ctx.createBuffer(1, samples.length, RATE);
    buf.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const src = this.ctx.createBufferSource();
    src.buffer = buf;
    src.connect(this.input(m.from));
    src.start(when);
    p.lagMs = (when - now) * 1000;
    p.nextAt = when + samples.length / RATE;
    p.lastEnd = p.nextAt;
  }

  end(from: string): void {
    const p = this.peers.get(from);
    if (p) p.nextAt = 0;
  }

  /** each person heard lately: whether their voice plays now, and how far ahead it is scheduled */
  view(): Record<string, PeerView> {
    const now = this.ctx.currentTime;
    const out: Record<string, PeerView> = {};
    for (const [id, p] of this.peers) out[id] = { playing: now < p.lastEnd, lagMs: Math.round(p.lagMs), bufferMs: Math.round(p.jitterS * 1000), underruns: p.underruns };
    return out;
  }

  forget(from: string): void { this.peers.delete(from); }
}

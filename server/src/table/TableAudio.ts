/**
 * Every sound a table sends to its pages, in one place: characters' utterances
 * (to everyone) and people's voices (to everyone but the speaker). Each is noted
 * in the echo guard with when it plays, so a page's microphone picking it up
 * again is known for echo.
 */
import { ServerMessage, type PlayoutGapPayload, type UttChunk, type VoiceAudio, type VoiceEdge } from "@parley/shared";
import type { UtteranceSink } from "../speech/UtteranceSender.js";
import type { TableDoor } from "./TableDoor.js";
import { EchoGuard } from "../voice/EchoGuard.js";
import { ASR_SAMPLE_RATE } from "../asr/types.js";
import { log } from "../util/log.js";

/** a page starts an utterance this long after its first chunk arrives, ms (AudioEngine's START_DELAY_S) */
const PAGE_START_DELAY_MS = 80;
/** a page plays a relayed voice frame about this long after it arrives, ms (its jitter buffer) */
const PAGE_VOICE_DELAY_MS = 60;
/** recent frames of a voice whose start is kept, for the pages' reports of stalls (32 ms each: 8 s) */
const VOICE_FRAMES_KEPT = 256;

const pcmOf = (bytes: Uint8Array): Int16Array => new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~1)));

export class TableAudio {
  readonly echo: EchoGuard;
  private readonly now: () => number;
  /** per utterance: when its sample 0 plays at the pages (server clock) and the next sample expected */
  private readonly timeline = new Map<string, { t0: number; next: number }>();
  private seq = 0;

  constructor(private readonly door: TableDoor, now?: () => number) {
    this.now = now ?? (() => performance.now());
    this.echo = new EchoGuard({}, this.now);
  }

  private pages(except?: string): string[] { return this.door.sessions().filter((id) => id !== except); }

  /** The characters' sink: broadcast, and note what plays when. */
  readonly sink: UtteranceSink = {
    start: (m) => this.door.broadcast(ServerMessage.uttStart, m),
    chunk: (m) => { this.door.broadcast(ServerMessage.uttChunk, m); this.noteChunk(m); },
    end: (m) => { this.door.broadcast(ServerMessage.uttEnd, m); this.forgetUtterance(m.utteranceId); },
    cancel: (m) => { this.door.broadcast(ServerMessage.uttCancel, m); this.forgetUtterance(m.utteranceId); },
    pause: (m) => this.door.broadcast(ServerMessage.uttPause, m),
  };

  private forgetUtterance(id: string): void {
    this.timeline.delete(id);
  }

  private noteChunk(m: UttChunk): void {
    let t = this.timeline.get(m.utteranceId);
    // a first chunk, or one sent again from an earlier sample (after a pause): pages start it anew
    if (!t || m.startSample < t.next) {
      t = { t0: this.now() + PAGE_START_DELAY_MS - (m.startSample / m.sampleRate) * 1000, next: m.startSample };
      this.timeline.set(m.utteranceId, t);
    }
    const pcm = pcmOf(m.pcm);
    this.clocks.set(m.utteranceId, { t0: t.t0, rate: m.sampleRate });
    if (this.clocks.size > 32) this.clocks.delete(this.clocks.keys().next().value!);
    t.next = m.startSample + pcm.length;
    this.echo.sentStream(m.utteranceId, this.pages(), t.t0, m.startSample, pcm, m.sampleRate);
  }

  /** A person's speech, for the others to hear. */
  readonly relay = {
    start: (from: string): void => {
      this.voices.set(from, { t0: this.now() + PAGE_VOICE_DELAY_MS, samples: 0, frames: new Map(), open: true });
      const e: VoiceEdge = { from };
      this.door.broadcast(ServerMessage.voiceStart, e, from);
    },
    audio: (from: string, bytes: Uint8Array): void => {
      const m: VoiceAudio = { from, seq: this.seq++, pcm: bytes };
      this.door.broadcast(ServerMessage.voiceAudio, m, from);
      const v = this.voices.get(from);
      if (!v?.open) return;
      const pcm = pcmOf(bytes);
      // a page plays a person's frames back to back from the first one; where its buffer ran
      // dry (the voice came late, the page was busy) it says so, and only its picture moves
      v.frames.set(m.seq, v.samples);
      if (v.frames.size > VOICE_FRAMES_KEPT) v.frames.delete(v.frames.keys().next().value!);
      this.echo.sentStream(`voice:${from}`, this.pages(from), v.t0, v.samples, pcm, ASR_SAMPLE_RATE);
      v.samples += pcm.length;
    },
    end: (from: string): void => {
      // its frames stay known (a page may still be playing them, and report a stall) until the person speaks again
      const v = this.voices.get(from);
      if (v) v.open = false;
      const e: VoiceEdge = { from };
      this.door.broadcast(ServerMessage.voiceEnd, e, from);
    },
  };
  /** each speaking person's voice at the pages: when its sample 0 plays, samples so far, and where each recent frame (by seq) begins */
  private readonly voices = new Map<string, { t0: number; samples: number; frames: Map<number, number>; open: boolean }>();

  /**
   * A page's playout ran dry (a person's voice at frame `seq`, an utterance at a
   * sample) and went on `gapMs` later: what it plays from there (and its echo) is
   * that much later than reckoned.
   */
  gap(page: string, g: PlayoutGapPayload): void {
    const [stream, at] = "from" in g ? [`voice:${g.from}`, this.voices.get(g.from)?.frames.get(g.seq)] : [g.utteranceId, g.atSample];
    log.trace(() => `${stream} at ${page}: stalled at ${at ?? "a frame no longer kept"}, ${Math.round(g.gapMs)} ms later`);
    if (at !== undefined) this.echo.shiftStream(page, stream, at, g.gapMs);
  }

  /** A page's playback report: how far it has got in an utterance tells how late it plays. */
  played(sessionId: string, utteranceId: string, playedSamples: number): void {
    const c = this.clocks.get(utteranceId);
    if (!c) return;
    this.echo.playsLate(sessionId, this.now() - (c.t0 + (playedSamples / c.rate) * 1000));
  }
  /** the latest utterances' sample 0 on the server's clock and their rate (pages report on them until they finish playing) */
  private readonly clocks = new Map<string, { t0: number; rate: number }>();

  forget(sessionId: string): void { this.echo.forget(sessionId); this.voices.delete(sessionId); }
}

/**
 * Plays characters' voices: one AudioContext, each utterance's chunks scheduled
 * back to back on the context clock, and the mouth cues looked up on that same
 * clock so lips follow what is heard. Cancel stops an utterance at once.
 */
import { Howler } from "howler";
import type { UttStart, UttChunk, UttEnd, UttCancel, UttPause, VisemeWeights, PlayoutGapPayload } from "@parley/shared";
import { int16ToFloat32 } from "./pcm.js";
import { CueTimeline, type TimedEmotion } from "./cueTimeline.js";
import { OutputMeter } from "./outputMeter.js";
import { noteFirstPlay, noteReplyStart } from "./replyLatency.js";
import { PeerVoices } from "./PeerVoices.js";
import { AecLoopback } from "./AecLoopback.js";

/** first chunk plays this long after it arrives, s: room for the next chunk to arrive */
const START_DELAY_S = 0.08;
/** a chunk scheduled closer than this to "now" is late, s */
const MIN_SLACK_S = 0.01;
const REPORT_EVERY_MS = 500;

interface Utterance {
  id: string;
  characterId: string;
  sampleRate: number;
  /** context time at which the utterance's sample 0 plays */
  t0: number | null;
  receivedSamples: number;
  sources: Set<AudioBufferSourceNode>;
  cues: CueTimeline;
  ended: boolean;
  finished: boolean;
  lastReport: number;
  /** its first sample has been scheduled to play */
  firstPlayed: boolean;
}

export interface MouthFrame {
  /** cue in force now */
  current: VisemeWeights;
  /** the next cue and how far ahead it is, s */
  next: VisemeWeights | null;
  nextInS: number;
  emotion: TimedEmotion | null;
  utteranceId: string;
  /** where the current cue began on the utterance timeline, samples */
  cueStart: number;
  /** how long ago (audio clock) the current cue began, s */
  sinceCueS: number;
}

export interface PlaybackReporter {
  (utteranceId: string, playedSamples: number, done: boolean): void;
}

/** A character's voice chain: volume (and mute) then a panner at its seat. */
interface VoiceChain { gain: GainNode; panner: PannerNode; volume: number; muted: boolean }

export class AudioEngine {
  readonly ctx: AudioContext;
  private readonly master: GainNode;
  private readonly utterances = new Map<string, Utterance>();
  private readonly chains = new Map<string, VoiceChain>();
  /** scheduling slack of the latest chunk, ms (negative = it arrived late) */
  lagMs = 0;
  /** when playback of an utterance was stopped (Date.now()), for barge-in measurements */
  readonly stops: { utteranceId: string; at: number; reason: string }[] = [];
  /** when each utterance's first sample played (wall clock ms, from the audio clock), for latency measurements */
  readonly firstPlays: { utteranceId: string; characterId: string; at: number }[] = [];
  /** the output turning audible and silent, observed on the audio graph */
  readonly output: OutputMeter;
  private frame: MouthFrame = { current: {}, next: null, nextInS: 0, emotion: null, utteranceId: "", cueStart: 0, sinceCueS: 0 };
  /** the other people's voices, each from their seat */
  readonly peers: PeerVoices;
  /** the output through a local WebRTC loop, where Chrome's echo canceller hears it */
  readonly loopback: AecLoopback;

  /** @param reportGap told when playout here ran dry and goes on later: a character's utterance, another person's voice (see PeerVoices) */
  constructor(private readonly report: PlaybackReporter = () => {}, private readonly reportGap: (gap: PlayoutGapPayload) => void = () => {}) {
    // one AudioContext for the page: howler's global one (it also unlocks audio on mobile);
    // howler would suspend it after 30 s without a Howl playing, freezing our clock
    Howler.autoSuspend = false;
    Howler.volume(Howler.volume());
    const ctx = Howler.ctx as AudioContext | null;
    this.ctx = ctx ?? new AudioContext({ latencyHint: "interactive" });
    this.master = this.ctx.createGain();
    this.loopback = new AecLoopback(this.ctx, this.master, (Howler.masterGain as GainNode | null) ?? this.ctx.destination);
    this.output = new OutputMeter(this.ctx, this.master, (t) => performance.timeOrigin + this.performanceTimeOf(t));
    this.peers = new PeerVoices(this.ctx, (id) => this.chainFor(id).gain, (from, seq, gapMs) => reportGap({ from, seq, gapMs }));
  }

  /**
   * When a context time is (or was) at the speakers, on performance.now()'s clock,
   * from the browser's own pairing of the two clocks (output latency included),
   * plus the echo-cancelling loop's delay when the output goes through it.
   */
  performanceTimeOf(contextTime: number): number {
    const loop = this.loopback.delayS * 1000;
    const ts = this.ctx.getOutputTimestamp?.();
    if (ts && ts.performanceTime !== undefined && ts.contextTime !== undefined && ts.performanceTime > 0) return ts.performanceTime + (contextTime - ts.contextTime) * 1000 + loop;
    return performance.now() + (contextTime - this.ctx.currentTime + (this.ctx.outputLatency || 0)) * 1000 + loop;
  }

  /** Browsers start audio suspended until a user gesture; call on any gesture. */
  resume(): void {
    if (this.ctx.state === "suspended") void this.ctx.resume().catch(() => {});
  }

  private chainFor(characterId: string): VoiceChain {
    let c = this.chains.get(characterId);
    if (!c) {
      const gain = this.ctx.createGain();
      // each voice comes from its seat: HRTF panning, with distance kept gentle at table scale
      const panner = new PannerNode(this.ctx, { panningModel: "HRTF", distanceModel: "inverse", refDistance: 1, maxDistance: 20, rolloffFactor: 0.6 });
      gain.connect(panner).connect(this.master);
      c = { gain, panner, volume: 1, muted: false };
      this.chains.set(characterId, c);
    }
    return c;
  }

  /** Where a character's voice comes from (its head), world space, m. */
  placeVoice(characterId: string, x: number, y: number, z: number): void {
    const p = this.chainFor(characterId).panner;
    if (Math.abs(p.positionX.value - x) + Math.abs(p.positionY.value - y) + Math.abs(p.positionZ.value - z) < 0.01) return;
    p.positionX.value = x;
    p.positionY.value = y;
    p.positionZ.value = z;
  }

  /** The listener is my camera: its position and where it looks. */
  placeListener(x: number, y: number, z: number, fx: number, fy: number, fz: number): void {
    const l = this.ctx.listener;
    if (l.positionX) {
      l.positionX.value = x; l.positionY.value = y; l.positionZ.value = z;
      l.forwardX.value = fx; l.forwardY.value = fy; l.forwardZ.value = fz;
      l.upX.value = 0; l.upY.value = 1; l.upZ.value = 0;
    }
  }

  onStart(m: UttStart): void {
    noteReplyStart(m);
    this.utterances.set(m.utteranceId, {
      id: m.utteranceId, characterId: m.characterId, sampleRate: m.sampleRate, t0: null, receivedSamples: 0,
      sources: new Set(), cues: new CueTimeline(), ended: false, finished: false, lastReport: 0, firstPlayed: false,
    });
  }

  onChunk(m: UttChunk): void {
    const u = this.utterances.get(m.utteranceId);
    if (!u || u.finished) return;
    this.resume();
    const samples = int16ToFloat32(m.pcm);
    if (samples.length === 0) return;
    const now = this.ctx.currentTime;
    if (u.t0 === null) u.t0 = now + START_DELAY_S - m.startSample / m.sampleRate;
    let when = u.t0 + m.startSample / m.sampleRate;
    if (when < now + MIN_SLACK_S) {
      // late chunk: shift the rest of the utterance rather than drop audio
      const shift = now + MIN_SLACK_S - when;
      u.t0 += shift;
      when += shift;
      // the room's echo guard follows: from here on this page plays the utterance that much later
      this.reportGap({ utteranceId: u.id, atSample: m.startSample, gapMs: shift * 1000 });
    }
    this.lagMs = (when - now) * 1000;
    const buf = this.ctx.createBuffer(1, samples.length, m.sampleRate);
    buf.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const src = this.ctx.createBufferSource();
    src.buffer = buf;
    src.connect(this.chainFor(u.characterId).gain);
    src.onended = () => {
      u.sources.delete(src);
      if (u.ended && u.sources.size === 0) this.finish(u);
    };
    src.start(when);
    u.sources.add(src);
    if (!u.firstPlayed) {
      u.firstPlayed = true;
      const at = this.performanceTimeOf(when);
      this.firstPlays.push({ utteranceId: u.id, characterId: u.characterId, at: performance.timeOrigin + at });
      if (this.firstPlays.length > 50) this.firstPlays.shift();
      noteFirstPlay(u.id, at);
    }
    u.cues.addVisemes(m.startSample, m.cues);
    u.cues.addEmotions(m.startSample, m.emotions);
    u.receivedSamples = Math.max(u.receivedSamples, m.startSample + samples.length);
  }

  onEnd(m: UttEnd): void {
    const u = this.utterances.get(m.utteranceId);
    if (!u) return;
    u.ended = true;
    if (u.sources.size === 0) this.finish(u);
  }

  private silence(u: Utterance, reason: string): void {
    const audible = u.sources.size > 0;
    for (const s of u.sources) {
      s.onended = null;
      try { s.stop(); } catch { /* never started */ }
      s.disconnect();
    }
    u.sources.clear();
    if (audible) {
      this.stops.push({ utteranceId: u.id, at: Date.now(), reason });
      if (this.stops.length > 50) this.stops.shift();
    }
  }

  onCancel(m: UttCancel): void {
    const u = this.utterances.get(m.utteranceId);
    if (!u) return;
    this.silence(u, m.reason);
    this.finish(u);
  }

  /** Someone started speaking: stop at `atSample`; if it resumes, chunks come again from there. */
  onPause(m: UttPause): void {
    const u = this.utterances.get(m.utteranceId);
    if (!u) return;
    this.silence(u, "pause");
    u.t0 = null;
    u.receivedSamples = m.atSample;
    u.cues.truncate(m.atSample);
  }

  private finish(u: Utterance): void {
    if (u.finished) return;
    u.finished = true;
    this.report(u.id, this.playedSamples(u), true);
    this.utterances.delete(u.id);
  }

  private playedSamples(u: Utterance): number {
    if (u.t0 === null) return 0;
    return Math.max(0, Math.min(u.receivedSamples, Math.floor((this.playbackTime() - u.t0) * u.sampleRate)));
  }

  /** the context time of the sound now leaving the speakers */
  playbackTime(): number {
    return this.ctx.currentTime - (this.ctx.outputLatency || 0) - this.loopback.delayS;
  }

  /** The first character whose voice is audible now, or "" (no allocation: runs every frame). */
  firstPlaying(): string {
    const t = this.playbackTime();
    for (const u of this.utterances.values()) if (u.t0 !== null && t >= u.t0 && t < u.t0 + u.receivedSamples / u.sampleRate) return u.characterId;
    return "";
  }

  /** ids of characters whose voice is audible now */
  playing(): string[] {
    const t = this.playbackTime();
    const out: string[] = [];
    for (const u of this.utterances.values()) {
      if (u.t0 !== null && t >= u.t0 && t < u.t0 + u.receivedSamples / u.sampleRate && !out.includes(u.characterId)) out.push(u.characterId);
    }
    return out;
  }

  /** Mouth cues for a character at the current playback time (reused object: read it, don't keep it). */
  mouthFor(characterId: string): MouthFrame | null {
    const t = this.playbackTime();
    for (const u of this.utterances.values()) {
      if (u.characterId !== characterId || u.t0 === null) continue;
      const s = (t - u.t0) * u.sampleRate;
      if (s < 0 || s >= u.receivedSamples) continue;
      const i = u.cues.indexAt(s);
      const f = this.frame;
      f.current = i >= 0 ? u.cues.visemes[i]!.w : {};
      f.cueStart = i >= 0 ? u.cues.visemes[i]!.s : 0;
      f.sinceCueS = i >= 0 ? (s - u.cues.visemes[i]!.s) / u.sampleRate : 0;
      const next = u.cues.visemes[i + 1];
      f.next = next ? next.w : null;
      f.nextInS = next ? (next.s - s) / u.sampleRate : 0;
      f.emotion = u.cues.emotionAt(s);
      f.utteranceId = u.id;
      return f;
    }
    return null;
  }

  /** Sends playback progress now and then, so the server knows what was heard. */
  tick(nowMs: number): void {
    for (const u of this.utterances.values()) {
      if (u.t0 !== null && nowMs - u.lastReport >= REPORT_EVERY_MS) {
        u.lastReport = nowMs;
        this.report(u.id, this.playedSamples(u), false);
      }
    }
  }

  /** Per-character volume 0..1 and mute, as set in the UI. */
  setVolume(characterId: string, volume: number, muted: boolean): void {
    const c = this.chainFor(characterId);
    c.volume = volume;
    c.muted = muted;
    c.gain.gain.value = muted ? 0 : volume;
  }


  /** Plays a finished clip (a voice preview) from a character's seat. */
  async playClip(characterId: string, data: ArrayBuffer): Promise<void> {
    this.resume();
    const buf = await this.ctx.decodeAudioData(data);
    const src = this.ctx.createBufferSource();
    src.buffer = buf;
    src.connect(this.chainFor(characterId).gain);
    src.start();
  }
}

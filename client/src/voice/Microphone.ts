/**
 * The person's microphone: capture with echo cancellation, noise suppression and
 * auto gain (so characters' voices from the speakers do not interrupt them), voice
 * activity detection with Silero VAD in the browser, or push-to-talk; speech
 * onset is reported at once, then 16 kHz 16-bit frames stream to the room until
 * the speech ends.
 */
import type { MicVAD } from "@ricky0123/vad-web";
import { api, forTable } from "../net/place.js";
import { voiceStatus, type MicMode } from "./voiceStore.js";
import { serverClock } from "../net/serverClock.js";

export interface MicLink {
  speechStart(ptt: boolean): void;
  speechAudio(pcm: Uint8Array): void;
  /** `silenceMs`: how long the detector heard silence before it ended the speech; absent for push-to-talk */
  /** `endedAt`: the speech's last sound, on the server's clock as this page reckons it (for the latency panel) */
  speechEnd(end: { ptt: true } | { silenceMs: number; endedAt?: number }): void;
  speechCancel(): void;
}

/** where the VAD's model, worklet and WebAssembly files are served */
const VAD_ASSETS = "/vad/";
/** frames kept from before the detected onset, so the first word is not clipped (32 ms each) */
const PRE_ROLL_FRAMES = 6;
/** one detector frame: 512 samples at 16 kHz, ms */
const FRAME_MS = 32;
/** a frame this likely to be speech counts as speech (the onset threshold) */
const SPEECH_PROB = 0.3;
/** samples below this (full scale 1) are quiet, for locating sound in the stream; frames of quiet before a sound onset */
const SOUND_LEVEL = 500 / 32768;
const QUIET_FRAMES = 10;
/** the speech's last sound is looked for this many frames back from the detector's last speech frame (its tail is shorter) */
const TAIL_FRAMES = 16;
/** how late this page handles frames is judged against the promptest of the last this many (10 s: clock drift stays under a ms) */
const LAG_WINDOW_FRAMES = 312;

function toPcm16(frame: Float32Array): Uint8Array {
  const out = new Int16Array(frame.length);
  for (let i = 0; i < frame.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(frame[i]! * 32767)));
  return new Uint8Array(out.buffer);
}

export class Microphone {
  private vad: MicVAD | null = null;
  private stream: MediaStream | null = null;
  private streaming = false;
  private ring: Uint8Array[] = [];
  private muted = false;
  /** the last frame the detector heard speech in (frame count), for the silence reported at the end */
  private lastSpeechFrame = 0;
  /** frames in a row without a sample above SOUND_LEVEL */
  private quietFrames = 0;
  /** each recent frame's arrival less its place in the stream, ms (a ring, no per-frame allocation) */
  private readonly arrivals = new Float64Array(LAG_WINDOW_FRAMES);
  /** each recent frame's last sample above SOUND_LEVEL, in stream samples (-1: none), a ring like `arrivals` */
  private readonly lastLoud = new Float64Array(LAG_WINDOW_FRAMES);

  /** `onStream` hears of the microphone stream opening and closing (null), e.g. to read mouth shapes from it */
  constructor(private readonly link: MicLink, private readonly options: { silenceMs?: number; onStream?: (stream: MediaStream | null) => void } = {}) {}

  /**
   * The end-of-speech silence the server asks for (PARLEY_VAD_SILENCE_MS, or the
   * short PARLEY_TURN_VAD_SILENCE_MS once its end-of-turn model decides).
   */
  private async silenceMs(): Promise<number> {
    if (this.options.silenceMs) return this.options.silenceMs;
    try {
      const s = (await (await api(forTable("/api/status"))).json()) as { voice?: { vadSilenceMs?: number } };
      return s.voice?.vadSilenceMs ?? 500;
    } catch {
      return 500;
    }
  }

  async start(mode: MicMode): Promise<void> {
    if (this.vad) { this.setMode(mode); return; }
    voiceStatus.mic = "starting";
    voiceStatus.mode = mode;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
      });
      voiceStatus.micOpenedAt = Date.now();
      const stream = this.stream;
      this.options.onStream?.(stream);
      // the detector and its ONNX runtime load only when someone turns the microphone on
      const { MicVAD } = await import("@ricky0123/vad-web");
      const silenceMs = await this.silenceMs();
      voiceStatus.silenceMs = silenceMs;
      voiceStatus.frames = 0;
      voiceStatus.captureStartAt = 0;
      this.vad = await MicVAD.new({
        model: "v5",
        baseAssetPath: VAD_ASSETS,
        onnxWASMBasePath: VAD_ASSETS,
        getStream: async () => stream,
        pauseStream: async () => {},
        resumeStream: async () => stream,
        // a low onset threshold: a false start only pauses the speaker briefly (it resumes)
        positiveSpeechThreshold: 0.3,
        negativeSpeechThreshold: 0.25,
        redemptionMs: silenceMs,
        minSpeechMs: 200,
        preSpeechPadMs: 200,
        onFrameProcessed: (probs, frame) => this.onFrame(frame, probs.isSpeech),
        onSpeechStart: () => { if (voiceStatus.mode === "handsfree") this.begin(false); },
        onSpeechEnd: () => { if (voiceStatus.mode === "handsfree") this.finish(); },
        onVADMisfire: () => { if (voiceStatus.mode === "handsfree" && this.streaming) { this.streaming = false; voiceStatus.speaking = false; this.link.speechCancel(); } },
      });
      await this.vad.start();
      voiceStatus.mic = this.muted ? "muted" : "on";
      voiceStatus.error = "";
      voiceStatus.errorName = "";
    } catch (err) {
      voiceStatus.mic = "error";
      voiceStatus.error = err instanceof Error ? err.message : String(err);
      voiceStatus.errorName = err instanceof Error ? err.name : "";
      await this.stop();
    }
  }

  private onFrame(frame: Float32Array, speechProb: number): void {
    // frames come in capture order: the earliest arrival, less its place in the stream, dates the stream's start
    const k = voiceStatus.frames++;
    const start = performance.timeOrigin + performance.now() - (k + 1) * FRAME_MS;
    if (k === 0 || start < voiceStatus.captureStartAt) voiceStatus.captureStartAt = start;
    this.arrivals[k % LAG_WINDOW_FRAMES] = start;
    let loud = -1;
    for (let i = 0; i < frame.length; i++) if (Math.abs(frame[i]!) > SOUND_LEVEL) { loud = i; break; }
    if (loud >= 0 && this.quietFrames >= QUIET_FRAMES) {
      voiceStatus.soundOnsets.push(k * frame.length + loud);
      if (voiceStatus.soundOnsets.length > 100) voiceStatus.soundOnsets.shift();
    }
    this.quietFrames = loud >= 0 ? 0 : this.quietFrames + 1;
    let lastLoud = -1;
    if (loud >= 0) for (let i = frame.length - 1; i >= loud; i--) if (Math.abs(frame[i]!) > SOUND_LEVEL) { lastLoud = k * frame.length + i; break; }
    this.lastLoud[k % LAG_WINDOW_FRAMES] = lastLoud;
    if (speechProb >= SPEECH_PROB) this.lastSpeechFrame = k;
    let sum = 0;
    for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!;
    voiceStatus.level = Math.min(1, Math.sqrt(sum / frame.length) * 6);
    if (this.muted) return;
    const pcm = toPcm16(frame);
    if (this.streaming) {
      this.link.speechAudio(pcm);
      voiceStatus.framesSent++;
      return;
    }
    this.ring.push(pcm);
    if (this.ring.length > PRE_ROLL_FRAMES) this.ring.shift();
  }

  private begin(ptt: boolean): void {
    if (this.muted || this.streaming) return;
    this.streaming = true;
    voiceStatus.speaking = true;
    voiceStatus.onsets.push(Date.now());
    if (voiceStatus.onsets.length > 100) voiceStatus.onsets.shift();
    this.link.speechStart(ptt);
    for (const f of this.ring) { this.link.speechAudio(f); voiceStatus.framesSent++; }
    this.ring = [];
  }

  private finish(): void {
    if (!this.streaming) return;
    this.streaming = false;
    voiceStatus.speaking = false;
    if (voiceStatus.mode === "ptt") { this.link.speechEnd({ ptt: true }); return; }
    // the silence the detector heard (frames on the audio clock), and how much later than its promptest
    // frames this page handled the last one (a busy main thread, a software-rendered scene): the person
    // has been silent that long too; the server counts its wait from the speech's end
    const heard = Math.max(0, voiceStatus.frames - 1 - this.lastSpeechFrame) * FRAME_MS;
    const silenceMs = Math.min(10_000, heard + Math.round(this.handlingLagMs()));
    voiceStatus.endSilences.push(silenceMs);
    if (voiceStatus.endSilences.length > 100) voiceStatus.endSilences.shift();
    // the latency panel starts where the person went quiet: the speech's last sound, on the stream's clock
    const soundAt = voiceStatus.captureStartAt + this.soundEndSample() / 16;
    const sentAt = performance.timeOrigin + performance.now();
    voiceStatus.speechEnds.push({ soundAt, detectedAt: voiceStatus.captureStartAt + ((this.lastSpeechFrame + 1) * FRAME_MS), sentAt });
    if (voiceStatus.speechEnds.length > 100) voiceStatus.speechEnds.shift();
    this.link.speechEnd({ silenceMs, ...(serverClock.synced ? { endedAt: Math.round(serverClock.toServer(soundAt) * 10) / 10 } : {}) });
  }

  /**
   * Where the speech's last sound ended (stream samples): the last loud sample up
   * to the end of the detector's last speech frame (its probability lingers a few
   * frames after the sound stops); that frame's end when none is loud (a quiet voice).
   */
  private soundEndSample(): number {
    const last = this.lastSpeechFrame;
    for (let f = last; f > last - TAIL_FRAMES && f >= 0 && f > voiceStatus.frames - LAG_WINDOW_FRAMES; f--) {
      const s = this.lastLoud[f % LAG_WINDOW_FRAMES]!;
      if (s >= 0) return s + 1;
    }
    return (last + 1) * (16 * FRAME_MS);
  }

  /** How much later than the promptest recent frame the latest one was handled, ms. */
  private handlingLagMs(): number {
    const n = Math.min(voiceStatus.frames, LAG_WINDOW_FRAMES);
    if (n === 0) return 0;
    let min = Infinity;
    for (let i = 0; i < n; i++) min = Math.min(min, this.arrivals[i]!);
    return Math.max(0, this.arrivals[(voiceStatus.frames - 1) % LAG_WINDOW_FRAMES]! - min);
  }

  /** Push-to-talk pressed / released. */
  pressTalk(): void { if (voiceStatus.mode === "ptt") this.begin(true); }
  releaseTalk(): void { if (voiceStatus.mode === "ptt") this.finish(); }

  setMode(mode: MicMode): void {
    if (this.streaming) this.finish();
    voiceStatus.mode = mode;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (muted && this.streaming) this.finish();
    if (voiceStatus.mic === "on" || voiceStatus.mic === "muted") voiceStatus.mic = muted ? "muted" : "on";
  }

  async stop(): Promise<void> {
    this.finish();
    await this.vad?.destroy().catch(() => {});
    this.vad = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    if (this.stream) this.options.onStream?.(null);
    this.stream = null;
    if (voiceStatus.mic !== "error") voiceStatus.mic = "off";
    voiceStatus.level = 0;
  }
}

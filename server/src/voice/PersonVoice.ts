/**
 * One person's microphone in the room: speech onset, 16 kHz PCM frames, speech
 * end, as their client's voice activity detection reports them. It pauses the
 * table at onset, streams the audio to the recognizer, shows partial words, and
 * at the end decides: a message for the director, a real interruption, or noise
 * and backchannels after which the paused character carries on. A "yes" said
 * over a character is a backchannel; said to a quiet table it is an answer.
 * A pause never outlives the audio: speech whose frames stop coming ends.
 */
import type { AsrProvider, AsrStream, AsrResult } from "../asr/types.js";
import { ASR_SAMPLE_RATE } from "../asr/types.js";
import { isBackchannel, isFiller, trailsOff } from "./turnEnd.js";
import { errorMessage } from "../util/errors.js";

export const VOICE_DEFAULTS = {
  /** speech shorter than this is noise, ms */
  minSpeechMs: 200,
  /** speech this long is an interruption even before its words are known, ms */
  confirmAfterMs: 700,
  /** after words that trail off, wait this long for the person to go on, ms */
  trailingWaitMs: 700,
  /** an utterance is cut and committed at this length, ms */
  maxUtteranceMs: 30_000,
  /** largest audio frame accepted, bytes (256 ms at 16 kHz) */
  maxFrameBytes: 8192,
  /** audio arriving faster than real time by this factor (after a 1 s burst) is dropped */
  rateSlack: 1.5,
  /** the recognizer must give its final text within this long after the end, ms */
  finalTimeoutMs: 15_000,
  /** speech whose audio stops arriving for this long ends there (a lost client must not hold the table), ms */
  audioTimeoutMs: 1500,
  language: "auto",
};

export interface VoiceEvents {
  /** speech began: pause whoever talks; returns whether a character was audible (then "yes" is a backchannel) */
  started(): boolean;
  /** long enough to be an interruption */
  confirmed(): void;
  partial(text: string): void;
  /** the person's words, to be answered */
  message(text: string): void;
  /** noise or a backchannel: whoever was paused carries on */
  dismissed(reason: "noise" | "backchannel" | "empty", text: string): void;
  /** something the sender should know (bad frames, no rights, recognizer failure) */
  error(code: "bad_message" | "too_fast" | "no_speaking_rights" | "asr_failed", message: string): void;
}

type State = "idle" | "speaking" | "ending";

/** A recognizer stream that may not exist yet (its model still loading): audio waits for it. */
class PendingStream implements AsrStream {
  private real: AsrStream | null = null;
  private queue: Int16Array[] = [];
  private ended = false;
  readonly results: AsyncIterable<AsrResult>;

  constructor(make: Promise<AsrStream>) {
    const ready = make.then((s) => {
      this.real = s;
      for (const q of this.queue) s.push(q);
      this.queue = [];
      if (this.ended) s.end();
      return s;
    });
    this.results = { [Symbol.asyncIterator]: () => (async function* () { yield* (await ready).results; })() };
    ready.catch(() => {});
  }

  push(pcm: Int16Array): void { if (this.real) this.real.push(pcm); else this.queue.push(pcm); }
  end(): void { if (this.real) this.real.end(); else this.ended = true; }
}

export class PersonVoice {
  private state: State = "idle";
  private stream: AsrStream | null = null;
  /** the current stream's final words, once the recognizer gives them */
  private final: Promise<string> = Promise.resolve("");
  private abort: AbortController | null = null;
  private samples = 0;
  private startedAt = 0;
  private confirmed = false;
  private prefix = "";
  private trailing: NodeJS.Timeout | null = null;
  /** ends speech whose audio stopped coming */
  private stall: NodeJS.Timeout | null = null;
  /** the speech began while a character was audible */
  private overSpeech = false;
  private lastErrorAt = new Map<string, number>();
  private readonly o: typeof VOICE_DEFAULTS;

  constructor(
    private readonly asr: AsrProvider | null,
    private readonly ev: VoiceEvents,
    opts: Partial<typeof VOICE_DEFAULTS> = {},
    /** resolves when the recognizer's model is loaded (it may be downloading) */
    private readonly ready: () => Promise<void> = () => Promise.resolve(),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.o = { ...VOICE_DEFAULTS, ...opts };
  }

  get speaking(): boolean { return this.state === "speaking"; }

  /** An error at most once a second per kind, so a misbehaving client cannot flood itself. */
  private complain(code: Parameters<VoiceEvents["error"]>[0], message: string): void {
    const t = this.now();
    if (t - (this.lastErrorAt.get(code) ?? -Infinity) < 1000) return;
    this.lastErrorAt.set(code, t);
    this.ev.error(code, message);
  }

  start(): void {
    if (!this.asr) { this.complain("asr_failed", "Voice input is off: no speech recognizer is configured (set PARLEY_ASR)."); return; }
    if (this.state === "speaking") return;
    const continuing = this.state === "ending" && this.trailing !== null;
    if (this.trailing) { clearTimeout(this.trailing); this.trailing = null; }
    if (!continuing) { this.prefix = ""; this.confirmed = false; this.overSpeech = false; }
    this.state = "speaking";
    this.samples = 0;
    this.startedAt = this.now();
    this.abort = new AbortController();
    const asr = this.asr;
    const signal = this.abort.signal;
    // speech is heard at once; the words wait for the recognizer if its model is still loading
    this.stream = new PendingStream(this.ready().then(() => asr.start({ language: this.o.language, signal })));
    this.final = this.listen(this.stream);
    // a failure is reported when the final is awaited; unawaited (cancelled) it is moot
    this.final.catch(() => {});
    this.armStall();
    if (!continuing) this.overSpeech = this.ev.started();
  }

  /** (Re)starts the wait for the next audio frame. */
  private armStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = setTimeout(() => {
      this.stall = null;
      if (this.state !== "speaking") return;
      // no audio at all: it was never speech; some audio: what was said so far counts
      if (this.samples === 0) this.cancel();
      else void this.end();
    }, this.o.audioTimeoutMs);
  }

  private clearStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = null;
  }

  /** Shows partial words; resolves to the final words. */
  private async listen(stream: AsrStream): Promise<string> {
    let final = "";
    for await (const r of stream.results) {
      if (r.kind === "final") final = r.text;
      else if (stream === this.stream && r.text.trim()) this.ev.partial(this.join(r.text));
    }
    return final;
  }

  private join(text: string): string { return [this.prefix, text.trim()].filter(Boolean).join(" "); }

  /** One frame of 16 kHz mono 16-bit PCM. */
  audio(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) {
      this.complain("bad_message", "Audio frames must be sent as binary messages.");
      return;
    }
    if (this.state !== "speaking" || !this.stream) {
      this.complain("no_speaking_rights", "Audio was sent without speaking rights: send speech:start first.");
      return;
    }
    if (bytes.byteLength === 0 || bytes.byteLength % 2 !== 0 || bytes.byteLength > this.o.maxFrameBytes) {
      this.complain("bad_message", `Audio frames must be 16-bit PCM at ${ASR_SAMPLE_RATE} Hz, at most ${this.o.maxFrameBytes} bytes.`);
      return;
    }
    const elapsedMs = this.now() - this.startedAt;
    const allowed = ((elapsedMs / 1000) * this.o.rateSlack + 1) * ASR_SAMPLE_RATE;
    if (this.samples + bytes.byteLength / 2 > allowed) {
      this.complain("too_fast", "Audio is arriving faster than real time; frames were dropped.");
      return;
    }
    // copy: the frame's buffer belongs to the transport
    const pcm = new Int16Array(bytes.byteLength / 2);
    new Uint8Array(pcm.buffer).set(bytes);
    this.samples += pcm.length;
    this.stream.push(pcm);
    this.armStall();
    const ms = (this.samples * 1000) / ASR_SAMPLE_RATE;
    if (!this.confirmed && ms >= this.o.confirmAfterMs) { this.confirmed = true; this.ev.confirmed(); }
    if (ms >= this.o.maxUtteranceMs) void this.end();
  }

  /** Speech ended (silence): get the final words and decide what they were. */
  async end(): Promise<void> {
    if (this.state !== "speaking" || !this.stream) return;
    this.state = "ending";
    this.clearStall();
    const stream = this.stream;
    const ms = (this.samples * 1000) / ASR_SAMPLE_RATE;
    stream.end();
    let text = "";
    try {
      text = await this.finalOf();
    } catch (err) {
      this.complain("asr_failed", `Speech recognition failed: ${errorMessage(err)}`);
    }
    if (this.stream !== stream || this.state !== "ending") return;
    this.stream = null;
    const words = this.join(text);
    if (!this.prefix && (ms < this.o.minSpeechMs || !words)) { this.finish("dismissed", ms < this.o.minSpeechMs ? "noise" : "empty", words); return; }
    // over a speaking character "yes"/"okay" is a backchannel; to a quiet table it is an answer
    // (a bare "um" or "hmm" says nothing either way)
    if (!this.prefix && !this.confirmed && (this.overSpeech ? isBackchannel(words) : isFiller(words))) { this.finish("dismissed", "backchannel", words); return; }
    if (trailsOff(words)) {
      // they may go on: wait a little before answering
      this.prefix = words;
      this.trailing = setTimeout(() => { this.trailing = null; if (this.state === "ending") this.finish("message", "", this.prefix); }, this.o.trailingWaitMs);
      return;
    }
    this.finish("message", "", words);
  }

  private finish(kind: "message" | "dismissed", reason: "noise" | "backchannel" | "empty" | "", words: string): void {
    this.state = "idle";
    this.prefix = "";
    this.abort = null;
    if (kind === "message") this.ev.message(words);
    else this.ev.dismissed(reason as "noise" | "backchannel" | "empty", words);
  }

  private finalOf(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("no final result in time")), this.o.finalTimeoutMs); });
    return Promise.race([this.final, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * The client's detector took it back (too short to be speech). Speech the
   * server already heard long enough to count (a busy browser's detector can
   * misjudge) is ended instead: the recognizer's words decide.
   */
  cancel(): void {
    if (this.state === "idle") return;
    if (this.state === "speaking" && this.confirmed) { void this.end(); return; }
    this.clearStall();
    this.abort?.abort();
    this.stream = null;
    if (this.trailing) { clearTimeout(this.trailing); this.trailing = null; }
    this.finish("dismissed", "noise", "");
  }

  close(): void {
    this.abort?.abort();
    this.clearStall();
    if (this.trailing) clearTimeout(this.trailing);
    this.stream = null;
    this.state = "idle";
  }
}

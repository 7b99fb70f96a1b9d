/**
 * One person's microphone in the room: speech onset, 16 kHz PCM frames, speech
 * end, as their client's voice activity detection reports them. It pauses the
 * table at onset, streams the audio to the recognizer, shows partial words, and
 * at the end decides: a message for the director, a real interruption, or noise
 * and backchannels after which the paused character carries on. A "yes" said
 * over a character is a backchannel; said to a quiet table it is an answer.
 * A pause never outlives the audio: speech whose frames stop coming ends.
 *
 * The client reports the end of speech after a short silence and says how long
 * it was; the TurnEndJudge decides how much longer to wait (the end-of-turn model,
 * or the silence thresholds without it). Speech that resumes before the turn is
 * over continues it: the words of every part are joined into one message.
 */
import type { AsrProvider, AsrStream } from "../asr/types.js";
import { ASR_SAMPLE_RATE } from "../asr/types.js";
import { isBackchannel, isFiller, trailsOff } from "./turnEnd.js";
import { errorMessage } from "../util/errors.js";
import type { EndOfTurnModel } from "./EndOfTurnModel.js";
import { TurnEndJudge, type TurnVerdict } from "./TurnEndJudge.js";
import { TurnAudio } from "./TurnAudio.js";
import { PendingStream } from "./PendingStream.js";

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
  /** silence that ends a turn when no end-of-turn model decides; a client that does not say how long it waited waited this long, ms */
  silenceMs: 500,
  /** the end-of-turn model hears an unfinished sentence: answer anyway after this much silence, ms */
  incompleteMs: 1200,
  language: "auto",
};

/**
 * How a client reports the end of speech: after `silenceMs` of silence, or with
 * push-to-talk released (`ptt`: the turn is over, nothing more is waited for).
 */
export interface SpeechEnd {
  ptt?: boolean;
  silenceMs?: number;
  /** when the page captured the speech's last sound, on this process's clock since the epoch as the page reckons it (for the latency panel only) */
  endedAt?: number;
}

/** a page's dated end of speech is believed only this much before its report's own reckoning (the detector's tail and transport are far shorter), ms */
const DATED_END_SLACK_MS = 2000;

/** When the turn ended, on this process's clock (performance.now() ms), for the latency panel. */
export interface TurnTiming {
  /**
   * the person's speech ended: where their page dated its last sound, else the
   * report's arrival minus its silence (which starts after the detector's tail and
   * leaves out the report's transport)
   */
  speechEndAt: number;
  /** the end of speech was reported */
  reportedAt: number;
  /** the turn was judged over */
  turnEndAt: number;
  /** the recognizer's final words were in */
  finalAt: number;
  by: TurnVerdict["by"];
  probability?: number;
}

export interface VoiceEvents {
  /** speech began: pause whoever talks; returns whether a character was audible (then "yes" is a backchannel) */
  started(): boolean;
  /** long enough to be an interruption */
  confirmed(): void;
  partial(text: string): void;
  /** the person's words, to be answered */
  message(text: string, timing?: TurnTiming): void;
  /** noise or a backchannel: whoever was paused carries on */
  dismissed(reason: "noise" | "backchannel" | "empty", text: string): void;
  /** something the sender should know (bad frames, no rights, recognizer failure) */
  error(code: "bad_message" | "too_fast" | "no_speaking_rights" | "asr_failed", message: string): void;
}

type State = "idle" | "speaking" | "ending";

export class PersonVoice {
  private state: State = "idle";
  private stream: AsrStream | null = null;
  /** the current part's final words, once the recognizer gives them */
  private final: Promise<string> = Promise.resolve("");
  /** the final words of every part of this turn that has ended, in order (a pause and a resumption make two parts) */
  private parts: Promise<string>[] = [];
  /** the parts' words known so far, for partial lines */
  private heard: string[] = [];
  private aborts: AbortController[] = [];
  /** samples of the current part (rate and length limits) */
  private samples = 0;
  /** samples of the whole turn */
  private turnSamples = 0;
  private startedAt = 0;
  private confirmed = false;
  /** the decision under way (a message now, a wait for more, a dismissal): speech resuming, a cancel or leaving aborts it */
  private deciding: AbortController | null = null;
  /** waiting for the person to go on before the turn is over */
  private waiting: NodeJS.Timeout | null = null;
  private speechEndAt = 0;
  /** the page's own dating of the end (the latency panel's start) and the report's arrival */
  private datedEnd = { at: 0, reportedAt: 0 };
  /** ends speech whose audio stopped coming */
  private stall: NodeJS.Timeout | null = null;
  /** the speech began while a character was audible */
  private overSpeech = false;
  private lastErrorAt = new Map<string, number>();
  private readonly audioOfTurn = new TurnAudio();
  private readonly judge: TurnEndJudge;
  private readonly o: typeof VOICE_DEFAULTS;

  constructor(
    private readonly asr: AsrProvider | null,
    private readonly ev: VoiceEvents,
    opts: Partial<typeof VOICE_DEFAULTS> = {},
    /** resolves when the recognizer's model is loaded (it may be downloading) */
    private readonly ready: () => Promise<void> = () => Promise.resolve(),
    private readonly now: () => number = () => performance.now(),
    /** decides whether a sentence is finished; without one the silence thresholds do */
    turnModel: EndOfTurnModel | null = null,
  ) {
    this.o = { ...VOICE_DEFAULTS, ...opts };
    this.judge = new TurnEndJudge(turnModel, { silenceMs: this.o.silenceMs, incompleteMs: this.o.incompleteMs });
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
    // the turn is not over yet: this speech goes on with it
    const continuing = this.state === "ending";
    this.dropDecision();
    this.clearWaiting();
    if (!continuing) {
      this.parts = [];
      this.heard = [];
      this.turnSamples = 0;
      this.confirmed = false;
      this.overSpeech = false;
      this.audioOfTurn.clear();
      this.judge.reset();
    }
    this.state = "speaking";
    this.samples = 0;
    this.startedAt = this.now();
    const abort = new AbortController();
    this.aborts.push(abort);
    const asr = this.asr;
    // speech is heard at once; the words wait for the recognizer if its model is still loading
    this.stream = new PendingStream(this.ready().then(() => asr.start({ language: this.o.language, signal: abort.signal })));
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
      // no audio at all: it was never speech; some audio: what was said so far counts, at once
      if (this.samples === 0 && this.parts.length === 0) this.cancel();
      else void this.end({ ptt: true, silenceMs: this.o.audioTimeoutMs });
    }, this.o.audioTimeoutMs);
  }

  private clearStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = null;
  }

  private clearWaiting(): void {
    if (this.waiting) clearTimeout(this.waiting);
    this.waiting = null;
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

  private join(text: string): string { return [...this.heard, text.trim()].filter(Boolean).join(" "); }

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
    this.turnSamples += pcm.length;
    this.audioOfTurn.push(pcm);
    this.judge.hear(pcm, this.audioOfTurn);
    this.stream.push(pcm);
    this.armStall();
    const ms = (this.samples * 1000) / ASR_SAMPLE_RATE;
    if (!this.confirmed && (this.turnSamples * 1000) / ASR_SAMPLE_RATE >= this.o.confirmAfterMs) { this.confirmed = true; this.ev.confirmed(); }
    // cut at the longest utterance: answered as it is, without waiting for more
    if (ms >= this.o.maxUtteranceMs) void this.end({ ptt: true });
  }

  /**
   * Speech ended: after `silenceMs` of silence (a client that does not say waited
   * the old fixed silence), or push-to-talk was released. The turn's words and
   * the judge decide what follows; speech resuming meanwhile continues the turn.
   */
  async end(e: SpeechEnd = {}): Promise<void> {
    if (this.state !== "speaking" || !this.stream) return;
    this.state = "ending";
    this.clearStall();
    const stream = this.stream;
    this.stream = null;
    stream.end();
    const part = this.finalOf(this.final);
    const index = this.parts.length;
    this.parts.push(part);
    void part.then((t) => { this.heard[index] = t.trim(); }, () => {});
    const reportedAt = this.now();
    this.speechEndAt = reportedAt - Math.max(0, e.silenceMs ?? this.o.silenceMs);
    // the page's date is on this process's wall clock (performance.timeOrigin + performance.now())
    const dated = e.endedAt !== undefined ? e.endedAt - performance.timeOrigin : NaN;
    this.datedEnd = { at: dated <= reportedAt && dated >= this.speechEndAt - DATED_END_SLACK_MS ? dated : this.speechEndAt, reportedAt };
    await this.decide(this.newDecision(), e.ptt === true);
  }

  /** A new decision; the one under way, if any, is dropped. */
  private newDecision(): AbortSignal {
    this.dropDecision();
    this.deciding = new AbortController();
    return this.deciding.signal;
  }

  private dropDecision(): void {
    this.deciding?.abort();
    this.deciding = null;
  }

  /** The turn's words and the judge's verdict: a message now, after a wait for more, or a dismissal. */
  private async decide(signal: AbortSignal, released: boolean): Promise<void> {
    const speechEndAt = this.speechEndAt;
    const dated = this.datedEnd;
    const verdict = released ? Promise.resolve<TurnVerdict>({ by: "released", until: speechEndAt }) : this.judge.judge(this.audioOfTurn.samples(), speechEndAt);
    let verdictAt = 0;
    let finalAt = 0;
    const [v, words] = await Promise.all([
      verdict.then((x) => { verdictAt = this.now(); return x; }),
      this.words().then((w) => { finalAt = this.now(); return w; }),
    ]);
    // the person went on, cancelled, or left meanwhile
    if (signal.aborted || this.state !== "ending") return;
    const ms = (this.turnSamples * 1000) / ASR_SAMPLE_RATE;
    if (ms < this.o.minSpeechMs || !words) { this.finish("dismissed", ms < this.o.minSpeechMs ? "noise" : "empty", words); return; }
    // over a speaking character "yes"/"okay" is a backchannel; to a quiet table it is an answer
    // (a bare "um" or "hmm" says nothing either way)
    if (!this.confirmed && (this.overSpeech ? isBackchannel(words) : isFiller(words))) { this.finish("dismissed", "backchannel", words); return; }
    // without the model, words that trail off ("and then...") get a while longer
    const until = v.by === "silence" && trailsOff(words) ? v.until + this.o.trailingWaitMs : v.until;
    const timing = (): TurnTiming => ({ speechEndAt: dated.at, reportedAt: dated.reportedAt, turnEndAt: Math.max(verdictAt, Math.min(this.now(), until)), finalAt, by: v.by, ...(v.probability !== undefined ? { probability: v.probability } : {}) });
    const wait = until - this.now();
    if (wait <= 0) { this.finish("message", "", words, timing()); return; }
    this.waiting = setTimeout(() => {
      this.waiting = null;
      if (!signal.aborted && this.state === "ending") this.finish("message", "", words, timing());
    }, wait);
  }

  /** Every part's final words, joined; a part the recognizer failed on counts as silence (and is reported). */
  private async words(): Promise<string> {
    const texts = await Promise.all(this.parts.map((p) => p.catch((err: unknown) => {
      this.complain("asr_failed", `Speech recognition failed: ${errorMessage(err)}`);
      return "";
    })));
    return texts.map((t) => t.trim()).filter(Boolean).join(" ");
  }

  private finish(kind: "message" | "dismissed", reason: "noise" | "backchannel" | "empty" | "", words: string, timing?: TurnTiming): void {
    this.state = "idle";
    this.parts = [];
    this.heard = [];
    this.aborts = [];
    this.clearWaiting();
    if (kind === "message") this.ev.message(words, timing);
    else this.ev.dismissed(reason as "noise" | "backchannel" | "empty", words);
  }

  private finalOf(final: Promise<string>): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("no final result in time")), this.o.finalTimeoutMs); });
    const p = Promise.race([final, timeout]).finally(() => clearTimeout(timer));
    p.catch(() => {});
    return p;
  }

  /**
   * The client's detector took it back (too short to be speech). Speech the
   * server already heard long enough to count (a busy browser's detector can
   * misjudge) is ended instead: the recognizer's words decide. A false start
   * after a pause drops only itself: the turn so far still counts.
   */
  cancel(): void {
    if (this.state === "idle") return;
    if (this.state === "speaking" && this.confirmed) { void this.end(); return; }
    this.clearStall();
    if (this.state === "speaking" && this.parts.length > 0) {
      this.aborts.pop()?.abort();
      this.stream = null;
      this.state = "ending";
      void this.decide(this.newDecision(), false);
      return;
    }
    for (const a of this.aborts) a.abort();
    this.stream = null;
    this.dropDecision();
    this.finish("dismissed", "noise", "");
  }

  close(): void {
    for (const a of this.aborts) a.abort();
    this.aborts = [];
    this.clearStall();
    this.clearWaiting();
    this.dropDecision();
    this.stream = null;
    this.state = "idle";
  }
}

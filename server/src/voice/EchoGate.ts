/**
 * Sits in front of a person's voice: at the onset of speech it looks at the
 * first audio (the page's pre-roll arrives with the onset) and asks the echo
 * guard whether it is only what the page is playing coming back. Real speech
 * goes on at once (the character pauses, words are recognized, friends hear it);
 * echo is held back: no pause, no words, nothing relayed. Audio too quiet to
 * tell while something plays is held too. While it holds, it keeps listening:
 * a person who starts talking over the echo is let through (once four judgements, 400 ms of audio,
 * in a row say so: a playout hiccup at the page can make one look unlike what
 * was sent) with the audio of the last moments.
 */
import { ASR_SAMPLE_RATE } from "../asr/types.js";

/** What the echo guard says about the latest audio. */
export type Verdict = "echo" | "speech" | "unsure";

/** `E`: what the end of speech carries to the voice (the silence the page heard) */
export interface GateTarget<E = void> {
  start(): void;
  audio(bytes: Uint8Array): void;
  end(info?: E): void;
  cancel(): void;
}

export const ECHO_GATE_DEFAULTS = {
  /**
   * decide once this much audio is in, ms: a whole judged window. The page's pre-roll
   * (192 ms) is mostly from before the onset, so echo that just began fills little of
   * it and can look like no sound that was sent; 130 ms more of it tells.
   */
  decideAtMs: 320,
  /**
   * or on this much (the pre-roll) when the page has played sound for a while
   * without a break: any echo then fills the whole pre-roll and is told at once.
   * A person barging in mid-sentence is let through this much sooner, ms
   */
  steadyDecideAtMs: 190,
  /** or once this long has passed since the onset (a page sends its pre-roll at once; this is for one that does not), ms */
  decideAfterMs: 400,
  /** while holding echo, keep this much of the latest audio (it goes on with a person let through), ms */
  windowMs: 600,
  /** and judge this much of the latest of it, ms */
  judgeMs: 320,
  /** again after each this much new audio, ms */
  recheckMs: 100,
  /** let through after this many "speech" judgements in a row: more audio than one judged window, so a single hiccup in the page's playout cannot do it */
  speechToPass: 4,
};

type State = "idle" | "deciding" | "holding" | "open";

/** a frame larger than this is not judged (the voice refuses it), bytes */
const MAX_FRAME_BYTES = 8192;

const msOf = (bytes: number): number => (bytes / 2 / ASR_SAMPLE_RATE) * 1000;

export class EchoGate<E = void> {
  private state: State = "idle";
  private frames: Uint8Array[] = [];
  private bytes = 0;
  private sinceCheck = 0;
  private speechInRow = 0;
  private timer: NodeJS.Timeout | null = null;
  /** bytes of this speech received so far, and when its first sample was captured (see capturedUntil) */
  private received = 0;
  private captureStart = Infinity;
  /** how much audio this onset's decision waits for, ms */
  private decideAt = 0;
  private readonly o: typeof ECHO_GATE_DEFAULTS;
  /** speech held back as echo so far (diagnostics, tests) */
  echoes = 0;

  /**
   * @param judge judges 16 kHz audio whose last sample was captured at `endMs` (performance.now() clock)
   * @param mayEcho false when nothing played at the page lately: no need to wait;
   *   "steady" when the page has played sound without a break for longer than the pre-roll
   */
  constructor(
    private readonly target: GateTarget<E>,
    private readonly judge: (pcm: Int16Array, endMs: number) => Verdict,
    private readonly mayEcho: () => boolean | "steady",
    opts: Partial<typeof ECHO_GATE_DEFAULTS> = {},
    /** told each time speech is held back as echo */
    private readonly onEcho: () => void = () => {},
  ) {
    this.o = { ...ECHO_GATE_DEFAULTS, ...opts };
  }

  /** the gate let this speech through: the person is speaking */
  get open(): boolean { return this.state === "open"; }

  start(): void {
    // speech going on (a detector that blinked): the voice decides whether it continues
    if (this.state === "open") { this.target.start(); return; }
    if (this.state === "deciding") return;
    this.reset();
    const may = this.mayEcho();
    if (!may) { this.pass(); return; }
    this.decideAt = may === "steady" ? this.o.steadyDecideAtMs : this.o.decideAtMs;
    this.state = "deciding";
    this.timer = setTimeout(() => { this.timer = null; this.decide(); }, this.o.decideAfterMs);
  }

  audio(bytes: Uint8Array): void {
    if (this.state === "open" || this.state === "idle") { this.target.audio(bytes); return; }
    // only real frames are judged; anything else is not echo: the voice hears it, and says what is wrong with it
    if (!(bytes instanceof Uint8Array) || bytes.byteLength % 2 !== 0 || bytes.byteLength === 0 || bytes.byteLength > MAX_FRAME_BYTES) {
      this.pass();
      this.target.audio(bytes);
      return;
    }
    this.keep(bytes);
    if (this.state === "deciding") {
      if (msOf(this.bytes) >= this.decideAt) this.decide();
      return;
    }
    this.sinceCheck += bytes.byteLength;
    if (msOf(this.sinceCheck) >= this.o.recheckMs) {
      this.sinceCheck = 0;
      this.speechInRow = this.judge(this.latest(), this.capturedUntil()) === "speech" ? this.speechInRow + 1 : 0;
      if (this.speechInRow >= this.o.speechToPass) this.pass();
    }
  }

  end(info?: E): void {
    if (this.state === "deciding") this.decide();
    if (this.state === "open") this.target.end(info);
    // echo ends as it began: unheard
    this.reset();
  }

  cancel(): void {
    if (this.state === "open") this.target.cancel();
    this.reset();
  }

  close(): void { this.reset(); }

  private decide(): void {
    if (this.state !== "deciding") return;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const verdict = this.bytes > 0 ? this.judge(this.latest(), this.capturedUntil()) : "speech";
    if (verdict === "speech") { this.pass(); return; }
    this.state = "holding";
    this.speechInRow = 0;
    if (verdict === "echo") {
      this.echoes++;
      this.onEcho();
    }
  }

  /** Lets the speech through, with what was held. */
  private pass(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const held = this.frames;
    this.frames = [];
    this.bytes = 0;
    this.state = "open";
    this.target.start();
    for (const f of held) this.target.audio(f);
  }

  /**
   * When the latest sample was captured. A microphone's frames are captured in real time
   * but may arrive in bursts (a page busy for a moment sends what it held all at once):
   * no frame arrives before it was captured, so the earliest arrival, less the audio
   * before it, sets the capture clock of this speech and the rest follows it.
   */
  private capturedUntil(): number { return this.captureStart + msOf(this.received); }

  private noteArrival(bytes: number): void {
    this.received += bytes;
    this.captureStart = Math.min(this.captureStart, performance.now() - msOf(this.received));
  }

  /** Keeps the latest `windowMs` of audio. */
  private keep(bytes: Uint8Array): void {
    this.noteArrival(bytes.byteLength);
    this.frames.push(bytes.slice());
    this.bytes += bytes.byteLength;
    while (this.frames.length > 1 && msOf(this.bytes - this.frames[0]!.byteLength) >= this.o.windowMs) this.bytes -= this.frames.shift()!.byteLength;
  }

  /** The latest `judgeMs` of what is kept. */
  private latest(): Int16Array {
    const out = new Int16Array(this.bytes / 2);
    const view = new Uint8Array(out.buffer);
    let at = 0;
    for (const f of this.frames) { view.set(f, at); at += f.byteLength; }
    const want = Math.round((this.o.judgeMs / 1000) * ASR_SAMPLE_RATE);
    return out.length > want ? out.subarray(out.length - want) : out;
  }

  private reset(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.state = "idle";
    this.frames = [];
    this.bytes = 0;
    this.received = 0;
    this.captureStart = Infinity;
    this.sinceCheck = 0;
    this.speechInRow = 0;
  }
}

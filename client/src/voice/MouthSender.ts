/**
 * My mouth, as others see it: an analyser on my microphone read every 60 ms
 * (~16 Hz), turned into mouth shapes in this browser and sent to the table as
 * 5-byte frames while my mouth is open (and one closing frame after). Nothing is
 * sent while the microphone is muted, or in push-to-talk while the key is up.
 */
import { encodeVisemes, VISEME_FRAME_BYTES, VISEMES, type Viseme } from "@parley/shared";
import { MouthEstimator } from "./MouthEstimator.js";
import { voiceStatus } from "./voiceStore.js";

/** between analyser reads, ms */
export const MOUTH_FRAME_MS = 60;
/** a mouth this little open counts as shut */
const SHUT = 0.02;

/** My mouth shapes as last estimated (what the others' copies of my avatar show). */
export const myMouth: Record<Viseme, number> = { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 };

export class MouthSender {
  private readonly estimator = new MouthEstimator();
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private spectrum = new Float32Array(0);
  private wave = new Float32Array(0);
  private readonly bytes = new Uint8Array(VISEME_FRAME_BYTES);
  private wasOpen = false;

  constructor(private readonly context: () => AudioContext | null, private readonly send: (frame: Uint8Array) => void) {}

  /** Listens to a microphone stream (or stops listening: null). */
  attach(stream: MediaStream | null): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.source?.disconnect();
    this.source = null;
    this.analyser = null;
    this.close();
    const ctx = this.context();
    if (!stream || !ctx) return;
    this.source = ctx.createMediaStreamSource(stream);
    // 1024 points at 48 kHz: 47 Hz bins, 21 ms windows; light smoothing keeps the lips lively
    this.analyser = new AnalyserNode(ctx, { fftSize: 1024, smoothingTimeConstant: 0.3 });
    this.source.connect(this.analyser);
    this.spectrum = new Float32Array(this.analyser.frequencyBinCount);
    this.wave = new Float32Array(this.analyser.fftSize);
    this.timer = setInterval(() => this.tick(), MOUTH_FRAME_MS);
  }

  private tick(): void {
    const a = this.analyser;
    if (!a) return;
    const silent = voiceStatus.mic !== "on" || (voiceStatus.mode === "ptt" && !voiceStatus.speaking);
    if (silent) { this.close(); return; }
    a.getFloatTimeDomainData(this.wave);
    let sum = 0;
    for (let i = 0; i < this.wave.length; i++) sum += this.wave[i]! * this.wave[i]!;
    const levelDb = 10 * Math.log10(sum / this.wave.length + 1e-12);
    a.getFloatFrequencyData(this.spectrum);
    const w = this.estimator.update(this.spectrum, a.context.sampleRate / a.fftSize, levelDb);
    let open = false;
    for (const v of VISEMES) { myMouth[v] = w[v]; open ||= w[v] > SHUT; }
    if (open || this.wasOpen) this.send(encodeVisemes(w, this.bytes));
    this.wasOpen = open;
  }

  /** Shuts my mouth for everyone (one closing frame if it was open). */
  private close(): void {
    for (const v of VISEMES) myMouth[v] = 0;
    if (this.wasOpen) this.send(encodeVisemes(myMouth, this.bytes));
    this.wasOpen = false;
  }
}

/**
 * The page's voice detector, in Node: Silero VAD v5 (the file @ricky0123/vad-web
 * ships, with its 64-sample context) and vad-web's frame rules as Parley's
 * Microphone sets them (onset at 0.3, silence under 0.25, `redemptionMs` of
 * silence ends speech, shorter than `minSpeechMs` is a misfire, 6 frames of
 * pre-roll). Tests feed it WAV audio to get the same start / audio / end
 * reports a browser would send, with the silence it measured.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";

export const VAD_FRAME = 512;
/** one frame at 16 kHz, ms */
export const VAD_FRAME_MS = 32;
const CONTEXT = 64;

export class NodeSileroVad {
  private state: ort.Tensor = new ort.Tensor("float32", new Float32Array(2 * 128), [2, 1, 128]);
  private context = new Float32Array(CONTEXT);
  private readonly sr = new ort.Tensor("int64", BigInt64Array.of(16000n), []);

  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(): Promise<NodeSileroVad> {
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve("@ricky0123/vad-web/package.json")), "dist", "silero_vad_v5.onnx");
    return new NodeSileroVad(await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 }));
  }

  /** Speech probability of one 512-sample frame. */
  async prob(frame: Int16Array): Promise<number> {
    const x = new Float32Array(CONTEXT + frame.length);
    x.set(this.context, 0);
    for (let i = 0; i < frame.length; i++) x[CONTEXT + i] = frame[i]! / 32768;
    this.context = x.slice(-CONTEXT);
    const out = await this.session.run({ input: new ort.Tensor("float32", x, [1, x.length]), state: this.state, sr: this.sr });
    this.state = out.stateN as ort.Tensor;
    return (out.output!.data as Float32Array)[0]!;
  }

  async release(): Promise<void> { await this.session.release(); }
}

export interface VadReport {
  /** the frame's index: it plays at index × 32 ms of the audio */
  frame: number;
  kind: "start" | "audio" | "end" | "misfire";
  pcm?: Int16Array;
  /** with "end": silence since the last speech frame, ms */
  silenceMs?: number;
}

export interface BrowserVadOptions { redemptionMs: number; minSpeechMs: number; positive: number; negative: number; preRollFrames: number }
export const BROWSER_VAD_DEFAULTS: BrowserVadOptions = { redemptionMs: 200, minSpeechMs: 200, positive: 0.3, negative: 0.25, preRollFrames: 6 };

/** What the page would send for this 16 kHz audio, frame by frame (pre-roll frames come right after "start"). */
export async function browserVadReports(vad: NodeSileroVad, audio: Int16Array, opts: Partial<BrowserVadOptions> = {}): Promise<VadReport[]> {
  const o = { ...BROWSER_VAD_DEFAULTS, ...opts };
  const redemption = Math.floor(o.redemptionMs / VAD_FRAME_MS);
  const minSpeech = Math.floor(o.minSpeechMs / VAD_FRAME_MS);
  const out: VadReport[] = [];
  const ring: Int16Array[] = [];
  let speaking = false;
  let quiet = 0;
  let speechFrames = 0;
  let lastSpeech = -1;
  for (let f = 0; (f + 1) * VAD_FRAME <= audio.length; f++) {
    const pcm = audio.slice(f * VAD_FRAME, (f + 1) * VAD_FRAME);
    const p = await vad.prob(pcm);
    const isSpeech = p >= o.positive;
    if (isSpeech) { speechFrames++; quiet = 0; lastSpeech = f; }
    if (isSpeech && !speaking) {
      speaking = true;
      out.push({ frame: f, kind: "start" });
      for (const r of ring) out.push({ frame: f, kind: "audio", pcm: r });
      ring.length = 0;
    }
    if (speaking) out.push({ frame: f, kind: "audio", pcm });
    else { ring.push(pcm); if (ring.length > o.preRollFrames) ring.shift(); }
    if (speaking && p < o.negative && ++quiet >= redemption) {
      speaking = false;
      quiet = 0;
      out.push({ frame: f, kind: speechFrames >= minSpeech ? "end" : "misfire", silenceMs: (f - lastSpeech) * VAD_FRAME_MS });
      speechFrames = 0;
    }
  }
  return out;
}

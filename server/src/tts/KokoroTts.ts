/**
 * Kokoro-82M (StyleTTS 2) ONNX export, run with onnxruntime-node, 24 kHz.
 * Inputs (onnx-community/Kokoro-82M-v1.0-ONNX, as kokoro.js feeds them):
 * `input_ids` int64 [1,T] (0-padded at both ends, T <= 512), `style` float32
 * [1,256] (row <token count> of the voice's [510,1,256] style table), `speed`
 * float32 [1]; output `waveform` float32 [N]. The "timestamped" export also
 * outputs `durations` (frames per token, 600 samples each at 24 kHz), which give
 * real phoneme timings; without it the pipeline estimates mouth shapes from the
 * audio. Styles blend as weighted sums ("af_heart*0.6+am_michael*0.4"); the
 * vocabulary is read from the model's tokenizer.json (or config.json "vocab").
 */
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import type { ModelStatus } from "../models/ModelStatus.js";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import type { VoiceTimings } from "./withAudioVisemes.js";
import { fetchModelFile, isRemote } from "../models/fetchModelFile.js";
import { phonemesFromSymbolDurations } from "../lipsync/symbolDurations.js";
import { TtsError } from "../util/errors.js";
import { KOKORO_DEFAULT_MODEL, KOKORO_MODELS, KOKORO_VOICES, splitRevision } from "./catalog.js";
import type { Phonemizer } from "./espeakPhonemes.js";
import { blendStyles, kokoroTokenRuns, parseStyleBlend } from "./kokoroText.js";
import { ModelPool, OnnxRunner, float32Of, float32Tensor, int64Tensor, numbersOf, type OnnxSession } from "./onnxModel.js";
import { MAX_PIECE_SAMPLES, floatToInt16, piecesOf } from "./pcm.js";

export const KOKORO_SAMPLE_RATE = 24000;
const STYLE_DIM = 256;

export interface KokoroOptions {
  phonemizer: Phonemizer;
  models: ModelStatus;
  cacheDir: string;
  offline: boolean;
  threads: number;
  /** a download with no data for this long fails, ms */
  stallMs: number;
  maxPieceSamples: number;
}

export const KOKORO_DEFAULTS: Omit<KokoroOptions, "phonemizer" | "models" | "cacheDir"> = { offline: false, threads: 1, stallMs: 60_000, maxPieceSamples: MAX_PIECE_SAMPLES };

interface KokoroModel {
  name: string;
  session: OnnxSession;
  vocab: Map<string, number>;
  padId: number;
  /** input name of the token ids ("input_ids"; "tokens" in kokoro-onnx's export) */
  tokens: string;
  audio: string;
  durations: string | null;
  /** where voices/<name>.bin live: a URI prefix or a directory */
  assets: string;
  /** an hf: revision ("#v1.0") the asset URIs keep */
  revision: string;
}

type KokoroVoice = Extract<VoiceConfig, { provider: "kokoro" }>;

export class KokoroTts implements TtsProvider, VoiceTimings {
  readonly label = "kokoro";
  /** the standard export has no durations; see timingsFor */
  readonly hasTimings = false;
  private readonly o: KokoroOptions;
  private readonly models = new ModelPool<KokoroModel>();
  private readonly styles = new Map<string, Promise<Float32Array>>();
  /** inference runs off the main thread */
  private readonly onnx = new OnnxRunner();

  constructor(opts: Partial<KokoroOptions> & Pick<KokoroOptions, "phonemizer" | "models" | "cacheDir">) {
    this.o = { ...KOKORO_DEFAULTS, ...opts };
    if (!this.o.phonemizer) throw new TtsError("KokoroTts needs a phonemizer (the espeak-ng voice)");
    if (!this.o.models) throw new TtsError("KokoroTts needs the ModelStatus to report downloads to");
    if (!this.o.cacheDir) throw new TtsError("KokoroTts needs a cacheDir for downloaded models");
  }

  async prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void> {
    const v = this.kokoro(voice);
    const model = await this.load(v.model ?? KOKORO_DEFAULT_MODEL, signal);
    await this.style(model, v.voice, signal);
  }

  timingsFor(voice: VoiceConfig): boolean {
    return voice.provider === "kokoro" && this.models.get(voice.model ?? KOKORO_DEFAULT_MODEL)?.durations != null;
  }

  sampleRate(voice: VoiceConfig): number {
    this.kokoro(voice);
    return KOKORO_SAMPLE_RATE;
  }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    return KOKORO_VOICES.map((id) => ({ provider: "kokoro", id, name: `Kokoro ${id}`, languages: id.startsWith("b") ? ["en-GB", "en"] : ["en-US", "en"], sampleRate: KOKORO_SAMPLE_RATE }));
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    const v = this.kokoro(voice);
    const model = await this.load(v.model ?? KOKORO_DEFAULT_MODEL, signal);
    const styles = await this.style(model, v.voice, signal);
    const rows = Math.floor(styles.length / STYLE_DIM);
    let offset = 0;
    for await (const run of kokoroTokenRuns(text, v.language, model.vocab, this.o.phonemizer)) {
      if (signal.aborted) return;
      // kokoro.js picks the style row by token count (pads excluded)
      const row = Math.min(run.ids.length, rows - 1);
      const ids = [model.padId, ...run.ids, model.padId];
      const out = await model.session.run({
        [model.tokens]: int64Tensor(ids, [1, ids.length]),
        style: float32Tensor(styles.subarray(row * STYLE_DIM, (row + 1) * STYLE_DIM), [1, STYLE_DIM]),
        speed: float32Tensor([v.speed], [1]),
      });
      if (signal.aborted) return;
      const wave = float32Of(out[model.audio]!, `Kokoro ${model.name} waveform`);
      const pcm = floatToInt16(wave);
      let phonemes: TtsPiece["phonemes"] = [];
      if (model.durations) {
        const frames = numbersOf(out[model.durations]!);
        const total = frames.reduce((s, f) => s + f, 0);
        if (frames.length === ids.length && total > 0) {
          // nominally 600 samples a frame; scaling to the real length absorbs any trim in the export
          const perFrame = wave.length / total;
          phonemes = phonemesFromSymbolDurations(["", ...run.symbols, ""], frames.map((f) => f * perFrame), { extend: new Set(), silent: new Set([""]) });
        }
      }
      for (const piece of piecesOf(pcm, phonemes, offset, this.o.maxPieceSamples)) {
        if (signal.aborted) return;
        yield piece;
      }
      offset += pcm.length;
    }
  }

  async close(): Promise<void> {
    await this.models.close();
    this.styles.clear();
    await this.onnx.close();
  }

  private kokoro(voice: VoiceConfig): KokoroVoice {
    if (voice.provider !== "kokoro") throw new TtsError(`Kokoro cannot speak a ${voice.provider} voice`);
    return voice;
  }

  private fetch(uriOrPath: string, id: string, name: string, signal?: AbortSignal): Promise<string> {
    return fetchModelFile(uriOrPath, { cacheDir: this.o.cacheDir, offline: this.o.offline, status: this.o.models, id, kind: "tts", name, stallMs: this.o.stallMs, ...(signal ? { signal } : {}) });
  }

  private unavailable(what: string, err: unknown): TtsError {
    const why = err instanceof Error ? err.message : String(err);
    const hint = this.o.offline ? "Parley is offline: set the voice's model to the path of a downloaded Kokoro .onnx (tokenizer.json and voices/ next to it or one folder up)" : "check the model name, path or URI";
    // it may be there later (a download that failed, a file the user puts in place)
    return new TtsError(`Kokoro ${what} is not available: ${hint} (${why})`, true, { cause: err });
  }

  /** A style table: one voice, or a weighted blend of several. */
  private style(model: KokoroModel, spec: string, signal?: AbortSignal): Promise<Float32Array> {
    const key = `${model.name}|${spec}`;
    let p = this.styles.get(key);
    if (!p) {
      p = (async () => {
        const blend = parseStyleBlend(spec);
        const tables = await Promise.all(blend.map(async ({ name }) => {
          const src = isRemote(model.assets) ? `${model.assets}/voices/${name}.bin${model.revision}` : join(model.assets, "voices", `${name}.bin`);
          let path: string;
          try { path = await this.fetch(src, `tts:kokoro:voice:${name}`, `Kokoro style ${name}`, signal); } catch (err) {
            throw this.unavailable(`style "${name}" (known: ${KOKORO_VOICES.slice(0, 6).join(", ")}, ...)`, err);
          }
          const bytes = await readFile(path);
          if (bytes.byteLength % (STYLE_DIM * 4) !== 0 || bytes.byteLength === 0) throw new TtsError(`${path} is not a Kokoro style file (float32 [rows, 1, 256])`);
          return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
        }));
        return blendStyles(tables, blend.map((w) => w.weight));
      })();
      this.styles.set(key, p);
      p.catch(() => this.styles.delete(key));
    }
    return p;
  }

  private load(spec: string, signal?: AbortSignal): Promise<KokoroModel> {
    // a failed load is retried on the next prepare (the user may have fixed the path)
    return this.models.load(spec, () => this.open(spec, signal));
  }

  private async open(spec: string, signal?: AbortSignal): Promise<KokoroModel> {
    const entry = KOKORO_MODELS[spec];
    const modelUri = entry?.model ?? spec;
    const [modelBase, revision] = splitRevision(modelUri);
    const name = entry ? spec : basename(modelBase).replace(/\.onnx$/, "");
    let modelPath: string;
    let assets: string;
    let vocabPath: string;
    try {
      modelPath = await this.fetch(modelUri, `tts:kokoro:${name}`, `Kokoro model ${name}`, signal);
      if (entry || isRemote(modelUri)) {
        // repository root: the part before "/onnx/<file>" (onnx-community layout) or the file's folder
        assets = entry?.assets ?? modelBase.replace(/\/onnx\/[^/]+$/, "").replace(/\/[^/]+\.onnx$/, "");
        vocabPath = await this.fetch(`${assets}/tokenizer.json${revision}`, `tts:kokoro:${name}:tokenizer`, `Kokoro tokenizer`, signal);
      } else {
        ({ assets, vocabPath } = await localAssets(modelPath));
      }
    } catch (err) {
      throw err instanceof TtsError ? err : this.unavailable(`model ${name}`, err);
    }
    const vocab = await readVocab(vocabPath);
    const session = await this.onnx.load(modelPath, this.o.threads, `Kokoro model ${name}`);
    const tokens = ["input_ids", "tokens"].find((n) => session.inputNames.includes(n));
    if (!tokens || !session.inputNames.includes("style") || !session.inputNames.includes("speed")) {
      throw new TtsError(`${modelPath} is not a Kokoro export: expected inputs input_ids, style, speed (it has ${session.inputNames.join(", ")})`);
    }
    const audio = session.outputNames.includes("waveform") ? "waveform" : session.outputNames[0]!;
    return { name, session, vocab, padId: vocab.get("$") ?? 0, tokens, audio, durations: session.outputNames.includes("durations") ? "durations" : null, assets, revision };
  }
}

/** A local model's tokenizer.json (or config.json) and voices/ folder: next to it or one folder up. */
async function localAssets(modelPath: string): Promise<{ assets: string; vocabPath: string }> {
  for (const dir of [dirname(modelPath), dirname(dirname(modelPath))]) {
    for (const file of ["tokenizer.json", "config.json"]) {
      const p = join(dir, file);
      if (await stat(p).then((s) => s.isFile(), () => false)) return { assets: dir, vocabPath: p };
    }
  }
  throw new TtsError(`no tokenizer.json or config.json next to ${modelPath} or one folder up: put Kokoro's tokenizer.json there`);
}

/** The symbol -> id map: tokenizer.json `model.vocab` (onnx-community) or config.json `vocab` (hexgrad). */
async function readVocab(path: string): Promise<Map<string, number>> {
  let json: { model?: { vocab?: unknown }; vocab?: unknown };
  try { json = JSON.parse(await readFile(path, "utf8")) as typeof json; } catch (err) {
    throw new TtsError(`cannot read Kokoro vocabulary ${path}`, false, { cause: err });
  }
  const raw = json.model?.vocab ?? json.vocab;
  if (!raw || typeof raw !== "object") throw new TtsError(`${path} has no Kokoro vocabulary (model.vocab or vocab)`);
  const vocab = new Map<string, number>();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "number") vocab.set(k, v);
  if (vocab.size < 20) throw new TtsError(`${path} has only ${vocab.size} symbols: not a Kokoro vocabulary`);
  return vocab;
}

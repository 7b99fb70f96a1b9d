/**
 * Piper voices: a VITS `.onnx` plus its `.onnx.json`, run with onnxruntime-node.
 * Text is phonemized by espeak-ng and turned into ids exactly as Piper does
 * (see piperPhonemes.ts); each sentence is one model run, so the first sentence
 * plays while the next is computed. Inputs `input` int64 [1,T], `input_lengths`
 * int64 [1], `scales` float32 [3] (noise, length, noise_w) and, for multi-speaker
 * models, `sid` int64 [1]; output `output` float32 [1,1,1,N] (piper_train
 * export_onnx.py). Standard exports give no timings (the pipeline estimates mouth
 * shapes from the audio); a model patched with piper's patch_voice_with_alignment
 * has a second output, the frames per id, which become phoneme timings.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import type { ModelStatus } from "../models/ModelStatus.js";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import type { VoiceTimings } from "./withAudioVisemes.js";
import { fetchModelFile, isRemote } from "../models/fetchModelFile.js";
import { phonemesFromSymbolDurations } from "../lipsync/symbolDurations.js";
import { TtsError } from "../util/errors.js";
import { PIPER_VOICES, piperCatalog, splitRevision } from "./catalog.js";
import { BOS, EOS, PAD, parsePiperConfig, piperPhonemeIds, piperSentences, type PiperConfig } from "./piperPhonemes.js";
import type { Phonemizer } from "./espeakPhonemes.js";
import { ModelPool, OnnxRunner, float32Of, float32Tensor, int64Tensor, numbersOf, type OnnxSession, type OnnxTensor } from "./onnxModel.js";
import { MAX_PIECE_SAMPLES, peakNormalizedInt16, piecesOf } from "./pcm.js";

export interface PiperOptions {
  /** espeak-ng, for text -> IPA */
  phonemizer: Phonemizer;
  models: ModelStatus;
  cacheDir: string;
  offline: boolean;
  /** ONNX Runtime intra-op threads */
  threads: number;
  /** a download with no data for this long fails, ms */
  stallMs: number;
  maxPieceSamples: number;
}

export const PIPER_DEFAULTS: Omit<PiperOptions, "phonemizer" | "models" | "cacheDir"> = { offline: false, threads: 1, stallMs: 60_000, maxPieceSamples: MAX_PIECE_SAMPLES };

interface PiperModel {
  name: string;
  config: PiperConfig;
  session: OnnxSession;
  /** the alignment output (frames per id), when the graph has one */
  durations: string | null;
  audio: string;
}

type PiperVoice = Extract<VoiceConfig, { provider: "piper" }>;

/** "<model>#<speaker>" for catalog names and paths; a URI keeps its "#revision", so its speaker goes in `speaker`. */
export function parsePiperVoice(v: PiperVoice): { model: string; speaker: string | number | undefined } {
  const hash = isRemote(v.voice) ? -1 : v.voice.lastIndexOf("#");
  const model = hash > 0 ? v.voice.slice(0, hash) : v.voice;
  return { model, speaker: v.speaker ?? (hash > 0 ? v.voice.slice(hash + 1) : undefined) };
}

export class PiperTts implements TtsProvider, VoiceTimings {
  readonly label = "piper";
  /** standard Piper exports have no duration output; see timingsFor */
  readonly hasTimings = false;
  private readonly o: PiperOptions;
  private readonly models = new ModelPool<PiperModel>();
  /** inference runs off the main thread */
  private readonly onnx = new OnnxRunner();

  constructor(opts: Partial<PiperOptions> & Pick<PiperOptions, "phonemizer" | "models" | "cacheDir">) {
    this.o = { ...PIPER_DEFAULTS, ...opts };
    if (!this.o.phonemizer) throw new TtsError("PiperTts needs a phonemizer (the espeak-ng voice)");
    if (!this.o.models) throw new TtsError("PiperTts needs the ModelStatus to report downloads to");
    if (!this.o.cacheDir) throw new TtsError("PiperTts needs a cacheDir for downloaded voices");
  }

  async prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void> {
    const v = this.piper(voice);
    const model = await this.load(parsePiperVoice(v).model, signal);
    this.speakerId(model, v);
  }

  timingsFor(voice: VoiceConfig): boolean {
    return voice.provider === "piper" && this.models.get(parsePiperVoice(voice).model)?.durations != null;
  }

  sampleRate(voice: VoiceConfig): number {
    return this.ready(this.piper(voice)).config.sampleRate;
  }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    const out: TtsVoiceInfo[] = [];
    for (const m of this.models.values()) {
      const languages = [m.config.espeakVoice];
      const names = Object.keys(m.config.speakerIdMap);
      const speakers = m.config.numSpeakers <= 1 ? [""] : names.length ? names : Array.from({ length: m.config.numSpeakers }, (_, i) => String(i));
      for (const s of speakers) out.push({ provider: "piper", id: s ? `${m.name}#${s}` : m.name, name: s ? `${m.name} (${s})` : m.name, languages, sampleRate: m.config.sampleRate });
    }
    for (const name of PIPER_VOICES) {
      const c = piperCatalog(name)!;
      if (!this.models.get(name)) out.push({ provider: "piper", id: name, name: `${name} (download)`, languages: c.languages, sampleRate: c.sampleRate });
    }
    return out;
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    const v = this.piper(voice);
    const model = await this.load(parsePiperVoice(v).model, signal);
    const sid = this.speakerId(model, v);
    const c = model.config;
    let offset = 0;
    for await (const phonemes of piperSentences(text, c, this.o.phonemizer)) {
      if (signal.aborted) return;
      const { ids, symbols } = piperPhonemeIds(phonemes, c.phonemeIdMap);
      const feeds: Record<string, OnnxTensor> = {
        input: int64Tensor(ids, [1, ids.length]),
        input_lengths: int64Tensor([ids.length], [1]),
        // length_scale > 1 is slower speech: the voice's own pace divided by the character's speed
        scales: float32Tensor([v.noiseScale ?? c.noiseScale, c.lengthScale / v.speed, v.noiseW ?? c.noiseW], [3]),
      };
      if (sid !== null) feeds.sid = int64Tensor([sid], [1]);
      const out = await model.session.run(feeds);
      if (signal.aborted) return;
      const pcm = peakNormalizedInt16(float32Of(out[model.audio]!, `Piper ${model.name} output`));
      const frames = model.durations ? numbersOf(out[model.durations]!) : null;
      const phonemeTimes = frames && frames.length === symbols.length
        ? phonemesFromSymbolDurations(symbols, frames.map((f) => f * c.hopLength), { extend: new Set([PAD]), silent: new Set([BOS, EOS]) })
        : [];
      for (const piece of piecesOf(pcm, phonemeTimes, offset, this.o.maxPieceSamples)) {
        if (signal.aborted) return;
        yield piece;
      }
      offset += pcm.length;
    }
  }

  async close(): Promise<void> {
    await this.models.close();
    await this.onnx.close();
  }

  private piper(voice: VoiceConfig): PiperVoice {
    if (voice.provider !== "piper") throw new TtsError(`Piper cannot speak a ${voice.provider} voice`);
    return voice;
  }

  private ready(v: PiperVoice): PiperModel {
    const m = this.models.get(parsePiperVoice(v).model);
    if (!m) throw new TtsError(`Piper voice ${v.voice} is not loaded yet: prepare() it first`);
    return m;
  }

  private speakerId(m: PiperModel, v: PiperVoice): number | null {
    const { speaker } = parsePiperVoice(v);
    if (m.config.numSpeakers <= 1) {
      if (speaker !== undefined && String(speaker) !== "0") throw new TtsError(`Piper voice ${m.name} has one speaker; remove speaker "${speaker}"`);
      return null;
    }
    if (speaker === undefined) return 0;
    const byName = m.config.speakerIdMap[String(speaker)];
    const id = byName ?? (/^\d+$/.test(String(speaker)) ? Number(speaker) : NaN);
    if (!(id >= 0 && id < m.config.numSpeakers)) {
      const some = Object.keys(m.config.speakerIdMap).slice(0, 8).join(", ");
      throw new TtsError(`Piper voice ${m.name} has no speaker "${speaker}"; it has ${m.config.numSpeakers}${some ? `, e.g. ${some}` : ` (ids 0-${m.config.numSpeakers - 1})`}`);
    }
    return id;
  }

  private load(spec: string, signal?: AbortSignal): Promise<PiperModel> {
    // a failed load is retried on the next prepare (the user may have fixed the path)
    return this.models.load(spec, () => this.fetchAndOpen(spec, signal));
  }

  private async fetchAndOpen(spec: string, signal?: AbortSignal): Promise<PiperModel> {
    const entry = piperCatalog(spec);
    const onnxUri = entry?.onnx ?? spec;
    const [onnxBase, revision] = splitRevision(onnxUri);
    const name = entry?.name ?? basename(onnxBase).replace(/\.onnx$/, "");
    const fetchOpts = { cacheDir: this.o.cacheDir, offline: this.o.offline, status: this.o.models, kind: "tts" as const, stallMs: this.o.stallMs, ...(signal ? { signal } : {}) };
    let onnxPath: string;
    let configPath: string;
    try {
      configPath = await fetchModelFile(`${onnxBase}.json${revision}`, { ...fetchOpts, id: `tts:piper:${name}.json`, name: `Piper voice ${name} (config)` });
      onnxPath = await fetchModelFile(onnxUri, { ...fetchOpts, id: `tts:piper:${name}`, name: `Piper voice ${name}` });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const hint = this.o.offline && isRemote(onnxUri)
        ? `Piper voice ${name} is not in the cache and Parley is offline: set the voice to the path of a downloaded .onnx (its .onnx.json next to it)`
        : `Piper voice ${name} is not available: give a catalog name like "en_US-lessac-medium", a path to the .onnx (its .onnx.json next to it), or an http(s)/hf: URI`;
      // it may be there later (a download that failed, a file the user puts in place)
      throw new TtsError(`${hint} (${why})`, true, { cause: err });
    }
    let json: unknown;
    try { json = JSON.parse(await readFile(configPath, "utf8")); } catch (err) {
      throw new TtsError(`cannot read Piper config ${configPath}: ${err instanceof Error ? err.message : String(err)}`, false, { cause: err });
    }
    const config = parsePiperConfig(json, configPath);
    const session = await this.onnx.load(onnxPath, this.o.threads, `Piper voice ${name}`);
    for (const input of ["input", "input_lengths", "scales"]) {
      if (!session.inputNames.includes(input)) throw new TtsError(`${onnxPath} is not a Piper voice: it has no "${input}" input (inputs: ${session.inputNames.join(", ")})`);
    }
    if (config.numSpeakers > 1 && !session.inputNames.includes("sid")) throw new TtsError(`${onnxPath} declares ${config.numSpeakers} speakers but has no "sid" input`);
    const audio = session.outputNames.includes("output") ? "output" : session.outputNames[0]!;
    return { name, config, session, audio, durations: session.outputNames.find((n) => n !== audio) ?? null };
  }
}

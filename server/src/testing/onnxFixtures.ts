/**
 * Tiny ONNX graphs with the real input/output names, types and shapes of Piper
 * and Kokoro voices, written with onnx-proto so onnxruntime-node really loads and
 * runs them; plus the files that go with them (`.onnx.json`, `tokenizer.json`,
 * `voices/*.bin`). Their audio is a tone, deterministic and easy to check:
 * - Piper (piper_train export_onnx.py): inputs `input` int64 [1,T],
 *   `input_lengths` int64 [1], `scales` float32 [3], optional `sid` int64 [1];
 *   output `output` float32 [1,1,1,N]; optional alignment output `w_ceil`
 *   float32 [1,1,T] (frames per id, as piper's patch_voice_with_alignment adds).
 *   Each id lasts ceil(length_scale * (2 + id mod 3)) frames of 256 samples; the
 *   tone is 220 Hz + 110 Hz * sid.
 * - Kokoro (onnx-community/Kokoro-82M-v1.0-ONNX, kokoro.js): inputs `input_ids`
 *   int64 [1,T], `style` float32 [1,256], `speed` float32 [1]; output `waveform`
 *   float32 [N] at 24 kHz; the timestamped variant adds `durations` int64 [T].
 *   Each token lasts max(1, round((2 + id mod 3) / speed)) frames of 600 samples;
 *   the tone is 200 Hz + 400 Hz * style[0] with amplitude style[1].
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const ATTR = onnx.AttributeProto.AttributeType;

type Attr = number | { ints: number[] };

class Graph {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly inits: Onnx.ITensorProto[] = [];
  private n = 0;

  /** a constant tensor; dims [] is a scalar */
  const(values: number[], type: "int64" | "float", dims: number[] = [values.length]): string {
    const name = `c${this.n++}`;
    this.inits.push(type === "int64" ? { name, dataType: DT.INT64, dims, int64Data: values } : { name, dataType: DT.FLOAT, dims, floatData: values });
    return name;
  }

  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, output = `t${this.n++}`): string {
    const attribute = Object.entries(attrs).map(([name, v]) =>
      typeof v === "number" ? (Number.isInteger(v) ? { name, type: ATTR.INT, i: v } : { name, type: ATTR.FLOAT, f: v }) : { name, type: ATTR.INTS, ints: v.ints });
    this.nodes.push({ opType: type, input: inputs, output: [output], attribute });
    return output;
  }

  encode(inputs: Onnx.IValueInfoProto[], outputs: Onnx.IValueInfoProto[]): Uint8Array {
    const graph = { name: "fixture", node: this.nodes, initializer: this.inits, input: inputs, output: outputs };
    const model = onnx.ModelProto.create({ irVersion: 8, producerName: "parley-fixture", opsetImport: [{ domain: "", version: 13 }], graph });
    return onnx.ModelProto.encode(model).finish();
  }
}

const valueInfo = (name: string, elemType: number, dims: (number | string)[]): Onnx.IValueInfoProto =>
  ({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } });

/** frames per symbol: the id, so the durations (and the audio length) reveal which ids the provider sent */
function framesFromIds(g: Graph, ids: string): string {
  const mod = g.op("Mod", [ids, g.const([3], "int64", [])], { fmod: 0 });
  return g.op("Cast", [g.op("Add", [mod, g.const([2], "int64", [])])], { to: DT.FLOAT });
}

/** sin(2 pi f t / rate) * amp over `samples` samples; f and amp are [1] tensors */
function tone(g: Graph, samples: string, hz: string, amp: string, rate: number): string {
  const t = g.op("Range", [g.const([0], "float", []), samples, g.const([1], "float", [])]);
  const omega = g.op("Mul", [hz, g.const([(2 * Math.PI) / rate], "float", [1])]);
  return g.op("Mul", [g.op("Sin", [g.op("Mul", [t, omega])]), amp]);
}

export interface PiperFixture {
  /** speaker names; more than one makes a multi-speaker model with a `sid` input */
  speakers?: string[];
  /** add the alignment output (frames per id) */
  durations?: boolean;
  sampleRate?: number;
  espeakVoice?: string;
  name?: string;
}

export const PIPER_FIXTURE_HOP = 256;
/** every symbol espeak-ng's English, Russian and Chinese IPA uses, plus Piper's specials (ids are this fixture's own) */
const PIPER_SYMBOLS = [..."_^$ !'(),-.:;?abcdefghijklmnopqrstuvwxyzæçðøħŋœɐɑɒɔɕɖəɚɛɜɟɡɣɤɥɨɪɫɬɭɯɲɳɵɸɹɻɽɾʀʁʂʃʈʉʊʋʌʎʏʐʑʒʔʝʲˈˌːˑ˞βθχᵻ0123456789\u0303\u0329\u032aʰ"];

export async function writePiperFixture(dir: string, f: PiperFixture = {}): Promise<string> {
  const speakers = f.speakers ?? [];
  const rate = f.sampleRate ?? 22050;
  const multi = speakers.length > 1;
  const g = new Graph();
  const lengthScale = g.op("Gather", ["scales", g.const([1], "int64", [])], { axis: 0 });
  const frames = g.op("Ceil", [g.op("Mul", [framesFromIds(g, "input"), lengthScale])]);
  const samples = g.op("Mul", [g.op("ReduceSum", [frames], { keepdims: 0 }), g.const([PIPER_FIXTURE_HOP], "float", [])]);
  const hz = multi
    ? g.op("Add", [g.op("Mul", [g.op("Cast", ["sid"], { to: DT.FLOAT }), g.const([110], "float", [1])]), g.const([220], "float", [1])])
    : g.const([220], "float", [1]);
  const audio = tone(g, samples, hz, g.const([0.5], "float", [1]), rate);
  g.op("Reshape", [audio, g.const([1, 1, 1, -1], "int64")], {}, "output");
  const outputs = [valueInfo("output", DT.FLOAT, [1, 1, 1, "time"])];
  if (f.durations) {
    g.op("Unsqueeze", [frames, g.const([1], "int64")], {}, "w_ceil");
    outputs.push(valueInfo("w_ceil", DT.FLOAT, [1, 1, "phonemes"]));
  }
  const inputs = [valueInfo("input", DT.INT64, [1, "phonemes"]), valueInfo("input_lengths", DT.INT64, [1]), valueInfo("scales", DT.FLOAT, [3])];
  if (multi) inputs.push(valueInfo("sid", DT.INT64, [1]));
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${f.name ?? "fixture"}.onnx`);
  await writeFile(path, g.encode(inputs, outputs));
  const phonemeIdMap = Object.fromEntries(PIPER_SYMBOLS.map((s, i) => [s, [i]]));
  await writeFile(`${path}.json`, JSON.stringify({
    audio: { sample_rate: rate, quality: "fixture" },
    espeak: { voice: f.espeakVoice ?? "en-us" },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    phoneme_type: "espeak",
    phoneme_id_map: phonemeIdMap,
    num_symbols: PIPER_SYMBOLS.length,
    num_speakers: Math.max(1, speakers.length),
    speaker_id_map: multi ? Object.fromEntries(speakers.map((s, i) => [s, i])) : {},
    hop_length: PIPER_FIXTURE_HOP,
    piper_version: "fixture",
  }, null, 1));
  return path;
}

export interface KokoroFixture {
  /** add the `durations` output, like the timestamped export */
  durations?: boolean;
  /** style files to write: name -> style[0], which sets the tone (200 + 400 * style[0] Hz) */
  voices?: Record<string, number>;
}

export const KOKORO_FIXTURE_FRAME = 600;
export const KOKORO_STYLE_ROWS = 510;
/** a voice file row's amplitude (style[1]) depends on the row, so the audio shows which row was used */
export const kokoroFixtureAmplitude = (row: number): number => 0.1 + row / 1000;
/** Kokoro's symbol inventory: punctuation, space, IPA letters and marks (ids are this fixture's own; real ones come from tokenizer.json) */
const KOKORO_SYMBOLS = [...";:,.!?—…\"()“” \u0303ʣʥʦʨᵝAIOQSTWYᵊabcdefhijklmnopqrstuvwxyzɑɐɒæβɔɕçɖðʤəɚɛɜɟɡɥɨɪʝɯɰŋɳɲɴøɸθœɹɾɻʁɽʂʃʈʧʊʋʌɣɤχʎʒʔˈˌːʰʲ↓→↗↘ᵻ"];

/** Writes `onnx/model.onnx`, `tokenizer.json` and `voices/<name>.bin` under `dir`; returns the model path. */
export async function writeKokoroFixture(dir: string, f: KokoroFixture = {}): Promise<string> {
  const g = new Graph();
  const frames = g.op("Max", [g.op("Round", [g.op("Div", [framesFromIds(g, "input_ids"), "speed"])]), g.const([1], "float", [])]);
  const samples = g.op("Mul", [g.op("ReduceSum", [frames], { keepdims: 0 }), g.const([KOKORO_FIXTURE_FRAME], "float", [])]);
  const style = (i: number): string => g.op("Gather", ["style", g.const([i], "int64", [])], { axis: 1 });
  const hz = g.op("Add", [g.op("Mul", [style(0), g.const([400], "float", [1])]), g.const([200], "float", [1])]);
  g.op("Identity", [tone(g, samples, hz, style(1), 24000)], {}, "waveform");
  const outputs = [valueInfo("waveform", DT.FLOAT, ["num_samples"])];
  if (f.durations) {
    g.op("Cast", [g.op("Reshape", [frames, g.const([-1], "int64")])], { to: DT.INT64 }, "durations");
    outputs.push(valueInfo("durations", DT.INT64, ["num_tokens"]));
  }
  const inputs = [valueInfo("input_ids", DT.INT64, [1, "sequence_length"]), valueInfo("style", DT.FLOAT, [1, 256]), valueInfo("speed", DT.FLOAT, [1])];
  await mkdir(join(dir, "onnx"), { recursive: true });
  await mkdir(join(dir, "voices"), { recursive: true });
  const path = join(dir, "onnx", "model.onnx");
  await writeFile(path, g.encode(inputs, outputs));
  const vocab = Object.fromEntries([["$", 0], ...KOKORO_SYMBOLS.map((s, i) => [s, i + 1] as const)]);
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify({ version: "1.0", model: { type: "WordLevel", vocab, unk_token: "$" } }));
  for (const [name, style0] of Object.entries(f.voices ?? { af_fixture: 0.2, am_fixture: 0.6 })) {
    const data = new Float32Array(KOKORO_STYLE_ROWS * 256);
    for (let r = 0; r < KOKORO_STYLE_ROWS; r++) { data[r * 256] = style0; data[r * 256 + 1] = kokoroFixtureAmplitude(r); }
    await writeFile(join(dir, "voices", `${name}.bin`), new Uint8Array(data.buffer));
  }
  return path;
}

/**
 * Which instruct model to download when none is configured: multilingual
 * (Russian and Chinese included), Q4_K_M, and the largest that fits the
 * machine together with the KV cache of every sequence the tables hold.
 *
 * On a GPU (CUDA, Vulkan, Metal) the model and its KV cache must fit in the
 * GPU's free memory; on the CPU in a part of the RAM, and the CPU's speed caps
 * the size (generation on a CPU is bound by memory bandwidth: a 7B model gives
 * a few tokens a second, too slow to talk).
 */
import { totalmem, availableParallelism } from "node:os";
import { loadLlama } from "./llamaBinary.js";

export interface ModelSpec {
  /** what the machine profile calls it */
  id: string;
  uri: string;
  name: string;
  /** the GGUF file, GiB (weights in memory take about as much) */
  fileGb: number;
  /** f16 KV cache per token of context: 2 (K and V) × layers × KV heads × head size × 2 bytes */
  kvBytesPerToken: number;
}

const kv = (layers: number, kvHeads: number, headDim: number): number => 2 * layers * kvHeads * headDim * 2;

/** Files checked on Hugging Face (see README, "System requirements"); smallest first. */
export const DEFAULT_MODELS: readonly ModelSpec[] = [
  { id: "qwen2.5-0.5b", uri: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf", name: "Qwen2.5 0.5B Instruct (Q4_K_M)", fileGb: 0.46, kvBytesPerToken: kv(24, 2, 64) },
  { id: "qwen2.5-1.5b", uri: "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf", name: "Qwen2.5 1.5B Instruct (Q4_K_M)", fileGb: 1.04, kvBytesPerToken: kv(28, 2, 128) },
  { id: "qwen2.5-3b", uri: "hf:Qwen/Qwen2.5-3B-Instruct-GGUF/qwen2.5-3b-instruct-q4_k_m.gguf", name: "Qwen2.5 3B Instruct (Q4_K_M)", fileGb: 1.95, kvBytesPerToken: kv(36, 2, 128) },
  { id: "qwen2.5-7b", uri: "hf:bartowski/Qwen2.5-7B-Instruct-GGUF/Qwen2.5-7B-Instruct-Q4_K_M.gguf", name: "Qwen2.5 7B Instruct (Q4_K_M)", fileGb: 4.36, kvBytesPerToken: kv(28, 4, 128) },
  { id: "qwen2.5-14b", uri: "hf:bartowski/Qwen2.5-14B-Instruct-GGUF/Qwen2.5-14B-Instruct-Q4_K_M.gguf", name: "Qwen2.5 14B Instruct (Q4_K_M)", fileGb: 8.37, kvBytesPerToken: kv(48, 8, 128) },
];

export interface Hardware {
  ramGb: number;
  cores: number;
  /** free memory of the GPU node-llama-cpp would use, GiB (0: none, or PARLEY_GPU=off) */
  gpuVramGb: number;
}

/** What the tables hold at once: node-llama-cpp allocates every sequence's KV cache when the model loads. */
export interface TableNeeds { sequences: number; contextSize: number }

export interface ModelChoice {
  model: ModelSpec;
  where: "gpu" | "cpu";
  /** memory the model takes with its KV cache, GiB */
  needGb: number;
  /** why this one, in a sentence */
  reason: string;
}

/** compute buffers and what the runtime keeps besides the weights and the KV cache, GiB */
const RUNTIME_GB = 0.5;
/** left free on the GPU for the desktop and the browser drawing the room, GiB */
const GPU_SPARE_GB = 0.5;
/** on the CPU the model may take at most this share of the RAM (the OS, the browser, the voices need the rest) */
const CPU_RAM_SHARE = 0.5;

export const gb = (n: number): string => `${n.toFixed(1)} GB`;

/** The model's memory with the KV cache of every sequence, GiB. */
export function memoryNeed(m: ModelSpec, needs: TableNeeds): number {
  return m.fileGb + (m.kvBytesPerToken * needs.contextSize * needs.sequences) / 2 ** 30 + RUNTIME_GB;
}

/** The largest model a CPU of this many cores keeps quick enough to talk with. */
function cpuCap(hw: Hardware): string {
  if (hw.cores >= 8 && hw.ramGb >= 16) return "qwen2.5-3b";
  if (hw.ramGb >= 4) return "qwen2.5-1.5b";
  return "qwen2.5-0.5b";
}

/**
 * The largest default model that fits: on a GPU with free memory for it and
 * its KV cache, else on the CPU within its share of the RAM and its speed.
 * `tooSlow`: models this machine measured too slow for the latency budget.
 */
export function chooseDefaultModel(hw: Hardware, needs: TableNeeds, tooSlow: ReadonlySet<string> = new Set()): ModelChoice {
  const kvText = `the KV cache of ${needs.sequences} sequences × ${needs.contextSize} tokens`;
  const candidates = DEFAULT_MODELS.filter((m) => !tooSlow.has(m.id));
  const slowNote = tooSlow.size > 0 ? ` (${DEFAULT_MODELS.filter((m) => tooSlow.has(m.id)).map((m) => m.name.replace(/ Instruct.*/, "")).join(", ")} measured too slow here)` : "";
  const onGpu = [...candidates].reverse().find((m) => memoryNeed(m, needs) + GPU_SPARE_GB <= hw.gpuVramGb);
  if (onGpu) {
    const bigger = DEFAULT_MODELS[DEFAULT_MODELS.indexOf(onGpu) + 1];
    const why = `the GPU has ${gb(hw.gpuVramGb)} free and ${onGpu.name} with ${kvText} takes ${gb(memoryNeed(onGpu, needs))}` +
      (bigger ? `; ${bigger.name.replace(/ Instruct.*/, "")} would take ${gb(memoryNeed(bigger, needs))}` : "");
    return { model: onGpu, where: "gpu", needGb: memoryNeed(onGpu, needs), reason: why + slowNote };
  }
  const cap = DEFAULT_MODELS.findIndex((m) => m.id === cpuCap(hw));
  const onCpu = [...candidates].reverse().find((m) => DEFAULT_MODELS.indexOf(m) <= cap && memoryNeed(m, needs) <= hw.ramGb * CPU_RAM_SHARE) ?? candidates[0] ?? DEFAULT_MODELS[0]!;
  const gpuText = hw.gpuVramGb > 0 ? `the GPU's ${gb(hw.gpuVramGb)} free holds no default model with ${kvText}` : "no GPU is used";
  return {
    model: onCpu, where: "cpu", needGb: memoryNeed(onCpu, needs),
    reason: `${gpuText}, so it runs on the CPU (${hw.cores} cores, ${gb(hw.ramGb)} RAM), where a larger model would answer too slowly${slowNote}`,
  };
}

/** How to pick another model, for the terminal and the page. */
export const CHOOSE_ANOTHER = "Choose another with `--model <file.gguf or hf:… URI>` (PARLEY_MODEL), or `--llm-url` for Ollama or LM Studio.";

/** Free memory of the GPU node-llama-cpp would use, GiB (0 with no usable GPU). */
export async function gpuMemoryGb(): Promise<number> {
  try {
    const llama = await loadLlama("auto");
    if (!llama.gpu) return 0;
    const vram = await llama.getVramState();
    return vram.free / 2 ** 30;
  } catch {
    return 0;
  }
}

export function detectHardware(gpuVramGb = 0): Hardware {
  return { ramGb: totalmem() / 2 ** 30, cores: availableParallelism(), gpuVramGb };
}

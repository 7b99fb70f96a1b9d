/**
 * Which instruct model to download when none is configured: multilingual
 * (Russian and Chinese included), and small enough for the machine.
 */
import { totalmem, availableParallelism } from "node:os";
import { getLlama } from "node-llama-cpp";

export interface ModelChoice { uri: string; name: string; sizeGb: number }

const QWEN = (size: string, file: string, sizeGb: number): ModelChoice => ({
  uri: `hf:Qwen/Qwen2.5-${size}-Instruct-GGUF/${file}`,
  name: `Qwen2.5 ${size} Instruct (Q4_K_M)`,
  sizeGb,
});

export const DEFAULT_MODELS = {
  tiny: QWEN("0.5B", "qwen2.5-0.5b-instruct-q4_k_m.gguf", 0.5),
  small: QWEN("1.5B", "qwen2.5-1.5b-instruct-q4_k_m.gguf", 1.1),
  medium: QWEN("3B", "qwen2.5-3b-instruct-q4_k_m.gguf", 2.1),
} as const;

export interface Hardware { ramGb: number; cores: number; gpuVramGb: number }

/** Free memory of the GPU node-llama-cpp would use, GiB (0 with no usable GPU). */
export async function gpuMemoryGb(): Promise<number> {
  try {
    const llama = await getLlama({ gpu: "auto", build: "never", logLevel: "error" as never });
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

export function chooseDefaultModel(hw: Hardware): ModelChoice {
  if (hw.ramGb < 4) return DEFAULT_MODELS.tiny;
  if (hw.gpuVramGb >= 4 || (hw.cores >= 8 && hw.ramGb >= 16)) return DEFAULT_MODELS.medium;
  return DEFAULT_MODELS.small;
}

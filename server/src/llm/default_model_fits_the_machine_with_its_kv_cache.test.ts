import { describe, it, expect } from "vitest";
import { chooseDefaultModel, memoryNeed, DEFAULT_MODELS, gpuMemoryGb, type Hardware } from "./defaultModel.js";
import { LLAMA_CPP_DEFAULTS } from "./LlamaCppProvider.js";

const NEEDS = { sequences: LLAMA_CPP_DEFAULTS.sequences, contextSize: 4096 };

/** machines people have, and the model each gets */
const MACHINES: [string, Hardware, string, "gpu" | "cpu"][] = [
  ["old laptop, 3 GB", { ramGb: 3, cores: 2, gpuVramGb: 0 }, "qwen2.5-0.5b", "cpu"],
  ["office laptop, 8 GB, 4 cores", { ramGb: 8, cores: 4, gpuVramGb: 0 }, "qwen2.5-1.5b", "cpu"],
  ["desktop, 32 GB, 8 cores, no GPU", { ramGb: 32, cores: 8, gpuVramGb: 0 }, "qwen2.5-3b", "cpu"],
  ["workstation, 128 GB, 32 cores, no GPU", { ramGb: 128, cores: 32, gpuVramGb: 0 }, "qwen2.5-3b", "cpu"],
  ["GTX 1650, 4 GB (3.6 free)", { ramGb: 16, cores: 6, gpuVramGb: 3.6 }, "qwen2.5-1.5b", "gpu"],
  ["RTX 3050, 6 GB (5.2 free)", { ramGb: 16, cores: 6, gpuVramGb: 5.2 }, "qwen2.5-3b", "gpu"],
  ["RTX 4060, 8 GB (7.3 free)", { ramGb: 16, cores: 8, gpuVramGb: 7.3 }, "qwen2.5-7b", "gpu"],
  ["RTX 3060, 12 GB (11.2 free)", { ramGb: 32, cores: 8, gpuVramGb: 11.2 }, "qwen2.5-7b", "gpu"],
  ["RTX 4070 Ti Super, 16 GB (15.1 free)", { ramGb: 32, cores: 12, gpuVramGb: 15.1 }, "qwen2.5-14b", "gpu"],
  ["RTX 4090, 24 GB (22.8 free)", { ramGb: 64, cores: 16, gpuVramGb: 22.8 }, "qwen2.5-14b", "gpu"],
  ["MacBook Air M2, 16 GB (Metal: 10.7 free)", { ramGb: 16, cores: 8, gpuVramGb: 10.7 }, "qwen2.5-7b", "gpu"],
  ["Mac Studio M2 Max, 32 GB (Metal: 21.3 free)", { ramGb: 32, cores: 12, gpuVramGb: 21.3 }, "qwen2.5-14b", "gpu"],
];

describe("the default model", () => {
  for (const [what, hw, id, where] of MACHINES) {
    it(`on ${what}: ${id} on the ${where}`, () => {
      const c = chooseDefaultModel(hw, NEEDS);
      expect(c.model.id).toBe(id);
      expect(c.where).toBe(where);
      // what it takes fits what is there
      expect(c.needGb).toBeLessThanOrEqual(where === "gpu" ? hw.gpuVramGb : hw.ramGb * 0.5);
      expect(c.reason.length).toBeGreaterThan(20);
    });
  }

  it("reaches 7–8B on 8 GB of free VRAM and 12–14B on 16 GB", () => {
    expect(chooseDefaultModel({ ramGb: 16, cores: 8, gpuVramGb: 8 }, NEEDS).model.id).toBe("qwen2.5-7b");
    expect(chooseDefaultModel({ ramGb: 32, cores: 8, gpuVramGb: 16 }, NEEDS).model.id).toBe("qwen2.5-14b");
  });

  it("counts the KV cache of every sequence the tables hold", () => {
    const m14 = DEFAULT_MODELS.find((m) => m.id === "qwen2.5-14b")!;
    // 48 layers × 8 KV heads × 128 × 2 × 2 bytes = 192 KiB a token; 7 × 4096 tokens = 5.25 GiB
    expect(memoryNeed(m14, NEEDS) - m14.fileGb - 0.5).toBeCloseTo(5.25, 2);
    // a 16 GB card holds the 14B with 7 sequences, but not with twice the context each
    expect(chooseDefaultModel({ ramGb: 32, cores: 8, gpuVramGb: 16 }, { sequences: 7, contextSize: 8192 }).model.id).toBe("qwen2.5-7b");
    // and the reason says what it counted
    expect(chooseDefaultModel({ ramGb: 32, cores: 8, gpuVramGb: 16 }, NEEDS).reason).toMatch(/7 sequences × 4096 tokens/);
  });

  it("skips a model this machine measured too slow", () => {
    const c = chooseDefaultModel({ ramGb: 64, cores: 16, gpuVramGb: 22.8 }, NEEDS, new Set(["qwen2.5-14b"]));
    expect(c.model.id).toBe("qwen2.5-7b");
    expect(c.reason).toMatch(/Qwen2\.5 14B measured too slow/);
  });

  it("names multilingual instruct models quantized as Q4_K_M", () => {
    for (const m of DEFAULT_MODELS) {
      expect(m.uri).toMatch(/^hf:[\w.-]+\/Qwen2\.5-[\d.]+B-Instruct-GGUF\/[\w.-]+q4_k_m\.gguf$/i);
      expect(m.name).toMatch(/Instruct \(Q4_K_M\)/);
    }
  });

  it("reads the GPU's free memory through node-llama-cpp (none on this machine)", async () => {
    const gb = await gpuMemoryGb();
    expect(Number.isFinite(gb)).toBe(true);
    expect(gb).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

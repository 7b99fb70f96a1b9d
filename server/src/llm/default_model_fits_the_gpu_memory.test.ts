import { describe, it, expect } from "vitest";
import { chooseDefaultModel, DEFAULT_MODELS, gpuMemoryGb } from "./defaultModel.js";

describe("the default model", () => {
  it("grows with the GPU's free memory, not only with RAM and cores", () => {
    expect(chooseDefaultModel({ ramGb: 8, cores: 4, gpuVramGb: 0 })).toBe(DEFAULT_MODELS.small);
    expect(chooseDefaultModel({ ramGb: 8, cores: 4, gpuVramGb: 6 })).toBe(DEFAULT_MODELS.medium);
    expect(chooseDefaultModel({ ramGb: 3, cores: 2, gpuVramGb: 0 })).toBe(DEFAULT_MODELS.tiny);
  });

  it("reads the GPU's free memory through node-llama-cpp (none on this machine)", async () => {
    const gb = await gpuMemoryGb();
    expect(Number.isFinite(gb)).toBe(true);
    expect(gb).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

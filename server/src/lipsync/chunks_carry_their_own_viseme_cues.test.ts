import { describe, it, expect } from "vitest";
import { ChunkAssembler, cuesForPhoneme } from "./cues.js";

const pcm = (n: number, v = 1): Int16Array => new Int16Array(n).fill(v);

describe("ChunkAssembler", () => {
  it("cuts PCM into fixed chunks with cues relative to each chunk", () => {
    const a = new ChunkAssembler(100, 50);
    const out = [
      ...a.push(pcm(120), [{ t: 0, ipa: "h" }, { t: 30, ipa: "ɛ" }, { t: 90, ipa: "l" }]),
      ...a.push(pcm(200), [{ t: 160, ipa: "oʊ" }, { t: 260, ipa: "" }]),
      ...a.end(),
    ];
    expect(out.map((c) => [c.start, c.pcm.length])).toEqual([[0, 50], [50, 100], [150, 100], [250, 70]]);
    // every sample arrives exactly once, in order
    expect(out.reduce((n, c) => n + c.pcm.length, 0)).toBe(320);
    // first chunk: h at 0, ɛ at 30
    expect(out[0]!.cues.map((c) => c.t)).toEqual([0, 30]);
    // second chunk starts with the shape in force (ɛ), then l at 90-50=40
    expect(out[1]!.cues[0]).toEqual({ t: 0, w: { ee: 1 } });
    expect(out[1]!.cues[1]!.t).toBe(40);
    // the diphthong oʊ at 160 lasts until 260: its glide cue lands at 210
    const c2 = out[2]!.cues.map((c) => c.t + 150);
    expect(c2).toEqual(expect.arrayContaining([160, 210]));
    // the mouth closes at the end of the audio
    const last = out[3]!.cues.at(-1)!;
    expect(last.w).toEqual({});
    expect(250 + last.t).toBe(319);
  });

  it("holds a chunk back until the cue after it is known", () => {
    const a = new ChunkAssembler(100);
    // enough audio for a chunk, but the phoneme at 10 might be a diphthong still running
    expect(a.push(pcm(150), [{ t: 10, ipa: "aɪ" }])).toEqual([]);
    const out = a.push(new Int16Array(0), [{ t: 140, ipa: "m" }]);
    expect(out).toHaveLength(1);
    expect(out[0]!.cues.map((c) => c.t)).toEqual([0, 10, 75]);
  });

  it("states the current shape at the start of a chunk without cues of its own", () => {
    const a = new ChunkAssembler(10);
    const out = [...a.push(pcm(40), [{ t: 0, ipa: "ɑː" }, { t: 39, ipa: "" }]), ...a.end()];
    expect(out[2]!.cues[0]).toEqual({ t: 0, w: { aa: 1 } });
  });

  it("gives a diphthong's second shape half way through it", () => {
    expect(cuesForPhoneme({ t: 100, ipa: "eɪ" }, 200).map((c) => c.t)).toEqual([100, 150]);
  });
});

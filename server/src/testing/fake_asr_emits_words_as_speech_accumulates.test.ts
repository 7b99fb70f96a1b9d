import { describe, it, expect } from "vitest";
import { FakeAsr } from "./FakeAsr.js";
import { tone, silence, concatPcm } from "./asrAudio.js";
import { describeAsrConformance, collect, pushPaced } from "../asr/asrConformance.js";
import type { AsrResult } from "../asr/types.js";

describeAsrConformance("FakeAsr", async () => {
  const provider = new FakeAsr({ script: ["hello there ada"] });
  await provider.prepare();
  return { provider, speech: concatPcm(silence(200), tone(220, 1500), silence(200)), expect: /^hello there ada$/, language: "en" };
});

async function say(asr: FakeAsr, pcm: Int16Array, language = "en"): Promise<AsrResult[]> {
  const s = asr.start({ language, signal: new AbortController().signal });
  const r = collect(s);
  await pushPaced(s, pcm);
  s.end();
  return r;
}

describe("FakeAsr", () => {
  it("shows one more word per msPerWord of speech and the whole line at the end", async () => {
    const asr = new FakeAsr({ script: ["one two three four"], msPerWord: 200 });
    const r = await say(asr, concatPcm(tone(300, 450), silence(1000)));
    expect(r.map((x) => [x.kind, x.text])).toEqual([["partial", "one"], ["partial", "one two"], ["final", "one two three four"]]);
    // a sine dips under the silence level near its zero crossings: ~2% of samples
    expect(r[0]!.audioMs).toBeGreaterThanOrEqual(200);
    expect(r[0]!.audioMs).toBeLessThan(260);
    expect(r.at(-1)!.audioMs).toBe(1450);
  });

  it("follows its script stream by stream: noise, a backchannel, another language", async () => {
    const asr = new FakeAsr({ script: ["hi", "", "mm-hm", { text: "привет", language: "ru" }] });
    const speech = tone(200, 500);
    expect((await say(asr, speech)).at(-1)!.text).toBe("hi");
    expect((await say(asr, speech)).at(-1)!.text).toBe("");
    expect((await say(asr, speech)).at(-1)!.text).toBe("mm-hm");
    expect((await say(asr, speech)).at(-1)).toMatchObject({ text: "привет", language: "ru" });
    // the last line repeats
    expect((await say(asr, speech)).at(-1)!.text).toBe("привет");
    expect(asr.streams).toHaveLength(5);
    expect(asr.streams[0]!.results.at(-1)!.text).toBe("hi");
  });

  it("treats too little non-silent audio as noise", async () => {
    const asr = new FakeAsr({ script: ["words"], minSpeechMs: 150 });
    expect((await say(asr, concatPcm(tone(300, 100), silence(800)))).at(-1)!.text).toBe("");
    expect((await say(asr, tone(300, 200))).at(-1)!.text).toBe("words");
  });

  it("can hold the final back and fail prepare()", async () => {
    const asr = new FakeAsr({ finalDelayMs: 80, partials: false });
    expect(asr.streaming).toBe(false);
    const s = asr.start({ language: "en", signal: new AbortController().signal });
    s.push(tone(300, 600));
    const t0 = performance.now();
    s.end();
    const r = await collect(s);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(70);
    expect(r).toHaveLength(1);
    await expect(new FakeAsr({ failPrepare: "no model" }).prepare()).rejects.toThrow("no model");
  });
});

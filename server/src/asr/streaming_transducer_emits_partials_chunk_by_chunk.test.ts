import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StreamingTransducerAsr, type StreamingTransducerInit } from "./StreamingTransducerAsr.js";
import { AsrError } from "./errors.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { writeTransducerFixture, TRANSDUCER_FIXTURE_TEXT } from "../testing/asrOnnxFixtures.js";
import { espeakSpeech, concatPcm, silence } from "../testing/asrAudio.js";
import { describeAsrConformance, collect, pushPaced, checkResultOrder } from "./asrConformance.js";
import { readOnnxMetadata } from "./onnxMetadata.js";
import { resolveStreamingModel } from "./catalog.js";
import { createAsr } from "./providers.js";
import type { AsrResult } from "./types.js";

let root: string;
let en: Int16Array;
const ready = (async () => {
  root = await mkdtemp(join(tmpdir(), "parley-transducer-"));
  [en] = await espeakSpeech([{ text: "Hello there, Ada.", voice: "en-us" }]);
})();
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

const make = (model: string, o: Partial<StreamingTransducerInit> = {}): StreamingTransducerAsr =>
  new StreamingTransducerAsr({ model, cacheDir: join(root, "cache"), status: new ModelStatus(), threads: 2, offline: true, ...o });

describeAsrConformance("StreamingTransducerAsr (zipformer2 fixture)", async () => {
  await ready;
  const provider = make((await writeTransducerFixture(join(root, "z2"))).dir);
  await provider.prepare();
  return { provider, speech: en, expect: new RegExp(`^${TRANSDUCER_FIXTURE_TEXT}$`), language: "en", longAudioBudgetMs: 6000 };
});

describe("streaming zipformer transducer", () => {
  let z2: StreamingTransducerAsr;
  beforeAll(async () => {
    await ready;
    z2 = make((await writeTransducerFixture(join(root, "z2-partials"))).dir);
    await z2.prepare();
  });
  afterAll(async () => { await z2.close(); });

  it("grows its partials chunk by chunk while the audio streams in", async () => {
    const s = z2.start({ language: "en", signal: new AbortController().signal });
    const r: AsrResult[] = [];
    const done = (async () => { for await (const x of s.results) r.push(x); })();
    await pushPaced(s, concatPcm(silence(400), en, silence(400)), 320, 100, 5);
    const beforeEnd = r.filter((x) => x.kind === "partial").map((x) => x.text);
    s.end();
    await done;
    checkResultOrder(r);
    const partials = r.filter((x) => x.kind === "partial").map((x) => x.text);
    // the fixture emits one piece per speech frame, two frames per 320 ms chunk
    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(beforeEnd.length).toBeGreaterThanOrEqual(1);
    for (const p of partials) expect(TRANSDUCER_FIXTURE_TEXT.startsWith(p)).toBe(true);
    expect(r.at(-1)).toMatchObject({ kind: "final", text: TRANSDUCER_FIXTURE_TEXT });
  });

  it("decodes the last words of an utterance that ends mid-chunk", async () => {
    // speech right up to the end: only the tail padding lets the last chunks through
    const r = await (async () => {
      const s = z2.start({ language: "en", signal: new AbortController().signal });
      const out = collect(s);
      await pushPaced(s, concatPcm(silence(330), en.subarray(0, Math.round(en.length * 0.8))));
      s.end();
      return out;
    })();
    expect(r.at(-1)!.text.length).toBeGreaterThan(0);
  });

  it("runs the older zipformer state layout (cached_len_i ... cached_conv2_i) the same way", async () => {
    const p = make((await writeTransducerFixture(join(root, "z1"), { layout: "zipformer" })).dir);
    const s = p.start({ language: "en", signal: new AbortController().signal });
    const out = collect(s);
    await pushPaced(s, concatPcm(silence(400), en));
    s.end();
    expect((await out).at(-1)).toMatchObject({ kind: "final", text: TRANSDUCER_FIXTURE_TEXT, language: "en" });
    await p.close();
  });

  it("joins byte pieces and CJK characters when detokenising", async () => {
    const pieces = ["\u4f60", "<0xE5>", "<0xA5>", "<0xBD>", "\u2581WORLD"];
    const p = make((await writeTransducerFixture(join(root, "zh"), { pieces })).dir);
    const s = p.start({ language: "zh", signal: new AbortController().signal });
    const out = collect(s);
    await pushPaced(s, concatPcm(silence(400), en, en));
    s.end();
    expect((await out).at(-1)!.text).toBe("你好 world");
    await p.close();
  });

  it("reads the chunk sizes from the encoder's ONNX metadata", async () => {
    const files = resolveStreamingModel(join(root, "z2")).files;
    expect(files.encoder).toMatch(/encoder-epoch-99-avg-1-chunk-16-left-64\.onnx$/);
    const meta = await readOnnxMetadata(files.encoder);
    expect(meta).toMatchObject({ model_type: "zipformer2", T: "45", decode_chunk_len: "32" });
    expect(await readOnnxMetadata(files.decoder)).toMatchObject({ context_size: "2" });
  });

  it("explains offline mode for a catalog model instead of downloading", async () => {
    const status = new ModelStatus();
    const p = make("ru", { status });
    const err = await p.prepare().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsrError);
    expect((err as Error).message).toMatch(/offline: cannot download .*Russian/);
    expect(status.get("asr:streaming:ru")?.error).toMatch(/offline/);
    const s = p.start({ language: "ru", signal: new AbortController().signal });
    s.end();
    await expect(collect(s)).rejects.toThrow(AsrError);
  });

  it("routes languages without a streaming model to Whisper", () => {
    const deps = { config: { cacheDir: join(root, "cache"), offline: true, threads: 2, downloadStallMs: 1000 }, models: new ModelStatus() };
    for (const lang of ["en", "ru", "zh"]) {
      const c = createAsr({ asr: "streaming", asrLanguage: lang }, deps);
      expect(c.provider?.label).toMatch(/^streaming-transducer:/);
      expect(c.note).toBeUndefined();
    }
    for (const lang of ["auto", "de"]) {
      const c = createAsr({ asr: "streaming", asrLanguage: lang }, deps);
      expect(c.provider?.label).toMatch(/^whisper-onnx:/);
      expect(c.note).toMatch(/no streaming model/);
    }
    expect(createAsr({ asr: "none", asrLanguage: "auto" }, deps).provider).toBeNull();
    expect(() => createAsr({ asr: "openai", asrLanguage: "auto" }, deps)).toThrow(/PARLEY_ASR_URL/);
  });
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LlamaCppProvider } from "./LlamaCppProvider.js";
import { writeScriptedModel, buildScriptedVocab, writeOpenerLora, type Script } from "./gguf/scriptedModel.js";
import { LlmError } from "../util/errors.js";
import type { LlmRequest } from "./types.js";

const SCRIPT: Script = {
  stages: [
    ["[happy] Good morning, dear friend!", "[sad] Oh no, not again."],
    ["The weather is lovely and the coffee is hot.", "I have been counting the stars all night."],
    ["[relaxed] Shall we begin?", ""],
  ],
};
const FIRST_REPLY = "[happy] Good morning, dear friend! The weather is lovely and the coffee is hot. [relaxed] Shall we begin?";

let dir: string;
let provider: LlamaCppProvider;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-gguf-"));
  await writeScriptedModel(join(dir, "scripted.gguf"), SCRIPT);
  provider = await LlamaCppProvider.load({ modelPath: join(dir, "scripted.gguf"), threads: 2, contextSize: 2048, sequences: 2, gpu: false });
});
afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

const request = (key: string, over: Partial<LlmRequest> = {}): LlmRequest => ({
  key,
  messages: [{ role: "system", content: "You are Ada, an engineer." }, { role: "user", content: "Sam: Hello, Ada!" }],
  temperature: 0, maxTokens: 100, signal: new AbortController().signal, ...over,
});

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const t of it) out.push(t);
  return out;
}

describe("node-llama-cpp provider on a generated GGUF", () => {
  it("builds a vocabulary whose script pieces are unique", () => {
    const v = buildScriptedVocab(SCRIPT);
    expect(new Set(v.tokens).size).toBe(v.tokens.length);
    expect(v.tokens).toContain("<|im_end|>");
  });

  it("streams the scripted reply token by token through the real inference path", async () => {
    const deltas = await collect(provider.stream(request("ada")));
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join("")).toBe(FIRST_REPLY);
  });

  it("reuses each character's own sequence and serves two characters at once", async () => {
    const [a, b] = await Promise.all([collect(provider.stream(request("ada"))), collect(provider.stream(request("theo")))]);
    expect(a.join("")).toBe(FIRST_REPLY);
    expect(b.join("")).toBe(FIRST_REPLY);
  });

  it("varies the reply with temperature sampling", async () => {
    const replies = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) replies.add((await collect(provider.stream(request("ada", { temperature: 1, seed })))).join(""));
    expect(replies.size).toBeGreaterThan(1);
    for (const r of replies) expect(r).toMatch(/^\[(happy|sad)\]/);
  });

  it("stops within a token when the signal aborts, without an error", async () => {
    const ac = new AbortController();
    const out: string[] = [];
    for await (const d of provider.stream(request("ada", { signal: ac.signal }))) {
      out.push(d);
      if (out.length === 4) ac.abort();
    }
    expect(out.length).toBeLessThanOrEqual(5);
    expect(FIRST_REPLY.startsWith(out.join(""))).toBe(true);
  });

  it("honours maxTokens", async () => {
    const out = await collect(provider.stream(request("ada", { maxTokens: 3 })));
    // three tokens of the script: "[happy]", " Good", " morning,"
    expect(out.join("")).toBe("[happy] Good morning,");
  });

  it("recycles the least recently used sequence when more characters than sequences speak", async () => {
    for (const key of ["a", "b", "c"]) expect((await collect(provider.stream(request(key)))).join("")).toBe(FIRST_REPLY);
  });

  it("chooses only among the given options, with a grammar", async () => {
    const options = ["Ada", "Theo", "Juno"];
    for (let i = 0; i < 3; i++) {
      const answer = await provider.choose({ key: "director", prompt: "Who speaks next?", options, signal: new AbortController().signal });
      expect(options).toContain(answer);
    }
  });

  it("preloads a prompt so the next reply on that sequence still comes out right", async () => {
    const req = request("preloaded");
    await provider.preload({ key: req.key, messages: req.messages, signal: req.signal });
    expect((await collect(provider.stream(req))).join("")).toBe(FIRST_REPLY);
  });

  it("gives a character with a LoRA adapter its own context, where the adapter changes what it says", async () => {
    const lora = join(dir, "opener-lora.gguf");
    await writeOpenerLora(lora, SCRIPT, 1);
    const withLora = (await collect(provider.stream(request("theo", { lora: { path: lora, scale: 1 } })))).join("");
    expect(withLora.startsWith("[sad] Oh no, not again.")).toBe(true);
    // the shared context is untouched: other characters still say the default
    expect((await collect(provider.stream(request("ada")))).join("")).toBe(FIRST_REPLY);
    // scale 0 turns the adapter off
    expect((await collect(provider.stream(request("theo", { lora: { path: lora, scale: 0 } })))).join("")).toBe(FIRST_REPLY);
  });

  it("fails with a typed error for a missing model file", async () => {
    await expect(LlamaCppProvider.load({ modelPath: join(dir, "missing.gguf"), threads: 1, contextSize: 512, sequences: 1, gpu: false })).rejects.toBeInstanceOf(LlmError);
  });
});

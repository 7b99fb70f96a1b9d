import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { OpenAICompatProvider } from "./OpenAICompatProvider.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../testing/fakeOpenAIServer.js";
import { LlmError } from "../util/errors.js";
import type { LlmRequest } from "./types.js";

let fake: FakeOpenAIServer;
beforeAll(async () => { fake = await startFakeOpenAIServer(["qwen2.5"]); });
afterAll(async () => { await fake.close(); });

const req = (signal = new AbortController().signal): LlmRequest => ({
  key: "ada", messages: [{ role: "system", content: "You are Ada." }, { role: "user", content: "Sam: hi" }],
  temperature: 0.7, maxTokens: 50, stop: ["\nTheo:"], seed: 42, signal,
});

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const t of it) out.push(t);
  return out;
}

describe("OpenAI-compatible provider", () => {
  it("streams deltas as the server sends them and posts a proper request", async () => {
    fake.next({ kind: "stream", deltas: ["[happy] Hi", " Sam,", " nice to", " meet you."], delayMs: 20 });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", apiKey: "sekrit", idleTimeoutMs: 5000 });
    const times: number[] = [];
    const t0 = performance.now();
    const out: string[] = [];
    for await (const d of p.stream(req())) { out.push(d); times.push(performance.now() - t0); }
    expect(out.join("")).toBe("[happy] Hi Sam, nice to meet you.");
    // the first delta arrives before the last one is even sent: it really streams
    expect(times[0]!).toBeLessThan(times.at(-1)! - 40);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sekrit");
    expect(sent.body).toMatchObject({ model: "qwen2.5", stream: true, temperature: 0.7, max_tokens: 50, stop: ["\nTheo:"], seed: 42 });
    expect((sent.body as { messages: unknown[] }).messages).toHaveLength(2);
  });

  it("asks for a character's own model name (a LoRA adapter served under its name) when the request names one", async () => {
    fake.next({ kind: "stream", deltas: ["Hello."], delayMs: 1 });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    for await (const _ of p.stream({ ...req(), model: "ada-lora" })) void _;
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: "ada-lora" });
  });

  it("fails with a clear error when the server drops the stream mid-reply", async () => {
    fake.next({ kind: "dropMidStream", deltas: ["[sad] I was", " saying"] });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    const out: string[] = [];
    const err = await (async () => { try { for await (const d of p.stream(req())) out.push(d); } catch (e) { return e; } })();
    expect(out.join("")).toBe("[sad] I was saying");
    expect(err).toBeInstanceOf(LlmError);
    expect((err as Error).message).toMatch(/closed the stream|failed|terminated/i);
  });

  it("reports the server's status and message on an HTTP error", async () => {
    fake.next({ kind: "status", status: 404, body: '{"error":{"message":"model \\"nope\\" not found"}}' });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "nope", idleTimeoutMs: 5000 });
    await expect(collect(p.stream(req()))).rejects.toThrow(/404.*not found/);
  });

  it("rejects malformed stream data", async () => {
    fake.next({ kind: "garbage" });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    await expect(collect(p.stream(req()))).rejects.toThrow(/malformed/);
  });

  it("gives up on a silent server after the idle timeout", async () => {
    fake.next({ kind: "hang" });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 150 });
    await expect(collect(p.stream(req()))).rejects.toThrow(/no reply text .* for 0.15 s/);
  });

  it("gives up on a server that only sends keep-alive comments", async () => {
    fake.next({ kind: "keepAlive", everyMs: 30 });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 300 });
    await expect(collect(p.stream(req()))).rejects.toThrow(/no reply text .* for 0.3 s/);
  });

  it("never yields a content delta that is not text", async () => {
    fake.next({ kind: "oddContent", text: "Only this." });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    expect(await collect(p.stream(req()))).toEqual(["Only this."]);
  });

  it("stops quietly when the turn is aborted", async () => {
    fake.next({ kind: "stream", deltas: Array.from({ length: 50 }, (_, i) => ` w${i}`), delayMs: 10 });
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    const ac = new AbortController();
    const out: string[] = [];
    for await (const d of p.stream(req(ac.signal))) { out.push(d); if (out.length === 3) ac.abort(); }
    expect(out.length).toBeLessThanOrEqual(4);
  });

  it("fails clearly when nothing listens at the URL", async () => {
    const p = new OpenAICompatProvider({ baseUrl: "http://127.0.0.1:9/v1", model: "x", idleTimeoutMs: 5000 });
    await expect(collect(p.stream(req()))).rejects.toThrow(LlmError);
    await expect(p.probe()).rejects.toThrow(/cannot reach/);
  });

  it("reads a choice among options from a short answer", async () => {
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    fake.next({ kind: "stream", deltas: ["I think", " Theo."] });
    expect(await p.choose({ key: "d", prompt: "who?", options: ["Ada", "Theo"], signal: new AbortController().signal })).toBe("Theo");
    fake.next({ kind: "stream", deltas: ["Ada or Theo"] });
    await expect(p.choose({ key: "d", prompt: "who?", options: ["Ada", "Theo"], signal: new AbortController().signal })).rejects.toThrow(/could not read/);
  });

  it("lists the server's models when probed", async () => {
    const p = new OpenAICompatProvider({ baseUrl: fake.baseUrl, model: "qwen2.5", idleTimeoutMs: 5000 });
    expect(await p.probe()).toEqual(["qwen2.5"]);
  });

  it("refuses a configuration without a URL scheme or model", () => {
    expect(() => new OpenAICompatProvider({ baseUrl: "localhost:11434", model: "m", idleTimeoutMs: 1 })).toThrow(/http/);
    expect(() => new OpenAICompatProvider({ baseUrl: "http://x", model: "", idleTimeoutMs: 1 })).toThrow(/model/);
  });
});

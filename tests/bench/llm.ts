/**
 * llm.*: prompt reuse, batching and memory on a random-weights GGUF with
 * Qwen2.5-0.5B's exact architecture (generated once, cached): the compute and
 * memory of the real model, without its weights.
 */
import { existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { getLlama, type LlamaContextSequence, type Token } from "node-llama-cpp";
import { writeRandomModel, QWEN25_05B } from "../../server/src/llm/gguf/randomModel.js";
import { LlamaCppProvider, LLAMA_CPP_DEFAULTS } from "../../server/src/llm/LlamaCppProvider.js";
import type { ChatMessage } from "../../server/src/llm/types.js";
import { loadConfig } from "../../server/src/config.js";
import { percentile, round, type Section } from "./stats.js";

const THREADS = 2;
const CONTEXT = 4096;
/** a character's prompt (persona, table, recent lines), tokens */
const PROMPT_TOKENS = 1500;

async function modelPath(): Promise<string> {
  const path = join(loadConfig().cacheDir, "bench", "qwen2.5-0.5b-shaped-q8_0.gguf");
  if (!existsSync(path)) await writeRandomModel(path, QWEN25_05B);
  return path;
}

/** A prompt like a character's: persona, table, a few lines of history. */
function conversation(turns: number): ChatMessage[] {
  const msgs: ChatMessage[] = [{ role: "system", content: "You are Ada. A sarcastic senior engineer who has seen every bug twice. You sit at a round table with Sam (a person), Theo (a calm philosopher) and Juno (an energetic assistant). Speak only as Ada, in one to three short sentences. Begin with an emotion tag." }];
  for (let i = 0; i < turns; i++) {
    msgs.push({ role: "user", content: `Sam: Here is my question number ${i}, about the build system and why it is slow again.` });
    msgs.push({ role: "assistant", content: `[neutral] Because someone added another plugin, number ${i}. Remove it and it will be fast.` });
  }
  msgs.push({ role: "user", content: "Sam: And what about tests?" });
  return msgs;
}

async function ttft(p: LlamaCppProvider, key: string, messages: ChatMessage[]): Promise<number> {
  const ac = new AbortController();
  const t0 = performance.now();
  for await (const _d of p.stream({ key, messages, temperature: 0, maxTokens: 4, signal: ac.signal })) {
    const ms = performance.now() - t0;
    ac.abort();
    return ms;
  }
  return performance.now() - t0;
}

async function tokensPerSecond(sequences: LlamaContextSequence[], tokens: Token[], each: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(sequences.map(async (seq) => {
    let n = 0;
    for await (const _t of seq.evaluate(tokens, { temperature: 0.8 })) if (++n >= each) break;
  }));
  return (sequences.length * each) / ((performance.now() - t0) / 1000);
}

export async function benchLlm(runs: number): Promise<Section> {
  const path = await modelPath();
  const provider = await LlamaCppProvider.load({ modelPath: path, threads: THREADS, contextSize: CONTEXT, sequences: 7, gpu: false });
  const cold: number[] = [];
  const reuse: number[] = [];
  const n = Math.max(5, Math.min(runs, 10));
  try {
    for (let i = 0; i < n; i++) {
      const msgs = conversation(6);
      // a key never used before gets a fresh sequence: the whole prompt is evaluated
      cold.push(await ttft(provider, `cold-${i}`, msgs));
      // the next turn on the same sequence: only the new lines are evaluated
      reuse.push(await ttft(provider, `cold-${i}`, [...msgs, { role: "assistant", content: "[happy] Tests are fine." }, { role: "user", content: "Theo: Are they, though?" }]));
    }
  } finally {
    await provider.close();
  }
  const llama = await getLlama({ gpu: false, build: "never" });
  const model = await llama.loadModel({ modelPath: path });
  const ctx = await model.createContext({ contextSize: 1024, sequences: 3, threads: THREADS });
  const prompt = model.tokenize("Once upon a time at a round table, three friends began to talk about");
  const s = [ctx.getSequence(), ctx.getSequence(), ctx.getSequence()];
  await tokensPerSecond([s[0]!], prompt, 4); // warm-up
  const one = await tokensPerSecond([s[1]!], prompt, 48);
  const three = await tokensPerSecond(s, prompt, 32);
  await ctx.dispose();
  await model.dispose();

  // memory: a separate process per number of sequences (as many characters), each with a character-sized prompt
  const child = join(dirname(fileURLToPath(import.meta.url)), "llmChild.ts");
  const measureChild = (k: number): { sequences: number; rssBefore: number; rssModel: number; rssContext: number; rss: number; contextSize: number } =>
    JSON.parse(execFileSync("npx", ["tsx", child, path, String(k), String(CONTEXT), String(THREADS), String(PROMPT_TOKENS)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const mem = [1, 2, 3, 4].map(measureChild);
  // the app's own context: every character's sequence allocated when the model loads
  const app = measureChild(LLAMA_CPP_DEFAULTS.sequences);
  const mb = (b: number): number => b / 2 ** 20;
  const xs = mem.map((m) => m.sequences);
  const ys = mem.map((m) => mb(m.rss));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const a = QWEN25_05B;
  const kvMb = (nLayer: number, headDim: number, nHeadKv: number): number => mb(2 * nLayer * CONTEXT * headDim * nHeadKv * 2);
  const kvPerSeqMb = kvMb(a.nLayer, a.nEmbd / a.nHead, a.nHeadKv);
  // the default models' shapes (Qwen2.5 1.5B and 3B Instruct: 28 and 36 layers, 2 KV heads of 128)
  const kv15 = kvMb(28, 128, 2);
  const kv3 = kvMb(36, 128, 2);
  const coldP50 = percentile(cold, 0.5);
  const reuseP50 = percentile(reuse, 0.5);
  return {
    figures: {
      "llm.ttft_cold_ms": { p50: round(coldP50), p95: round(percentile(cold, 0.95)), n: cold.length },
      "llm.ttft_reuse_ms": { p50: round(reuseP50), p95: round(percentile(reuse, 0.95)), n: reuse.length },
      "llm.reuse_ratio": round(reuseP50 / coldP50, 3),
      "llm.tokens_per_s_1": round(one),
      "llm.tokens_per_s_3_batched": round(three),
      "memory.model_rss_mb": round(mb(mem[0]!.rssModel - mem[0]!.rssBefore)),
      "memory.per_extra_character_mb": round(slope),
      "memory.kv_cache_per_character_mb": round(kvPerSeqMb),
      "memory.sequences_up_front_mb": round(mb(app.rssContext - app.rssModel)),
      "memory.app_rss_7_characters_mb": round(mb(app.rss - app.rssBefore)),
      "memory.default_model_kv_per_character_mb.qwen2.5_1.5b": round(kv15),
      "memory.default_model_kv_per_character_mb.qwen2.5_3b": round(kv3),
      "memory.default_model_sequences_up_front_mb.qwen2.5_1.5b": round(kv15 * LLAMA_CPP_DEFAULTS.sequences),
      "memory.default_model_sequences_up_front_mb.qwen2.5_3b": round(kv3 * LLAMA_CPP_DEFAULTS.sequences),
    },
    notes: [
      `llm.*: random weights with Qwen2.5-0.5B's shapes (Q8_0, ${CONTEXT} tokens per character, ${THREADS} threads); the prompt is ~${JSON.stringify(conversation(6)).length} characters`,
      `memory.per_extra_character_mb: RSS growth per character (contexts with 1..4 sequences, each sequence allocated and filled with a ${PROMPT_TOKENS}-token prompt); memory.sequences_up_front_mb: what the app's context allocates when the model loads (${LLAMA_CPP_DEFAULTS.sequences} sequences of ${CONTEXT} tokens, before anyone speaks); memory.kv_cache_per_character_mb and memory.default_model_*: the f16 KV cache arithmetic (2 × layers × ${CONTEXT} tokens × KV heads × head size × 2 bytes) for this model and for the default downloads`,
    ],
  };
}

/** How quickly a model answers here: its first token, tokens per second and first clause (`npm run doctor`, the first start). */
import type { LlmProvider } from "./types.js";
import { round, type LlmFigures } from "../models/machineProfile.js";

/** a reply's first clause is about this many tokens */
export const CLAUSE_TOKENS = 8;
/** the model's share of the latency budget: its first clause within this, ms */
export const LLM_BUDGET_MS = 1200;

const PROMPT = [
  { role: "system" as const, content: "You are Ada, a sarcastic senior engineer at a table with friends. Answer in one or two short spoken sentences." },
  { role: "user" as const, content: "Sam: Hello, Ada! How was your day? Tell me one thing that went well." },
];

/** One reply from a fresh sequence: its first token (the prompt read) and its tokens per second. */
export async function measureLlm(llm: LlmProvider, maxTokens = 48): Promise<LlmFigures> {
  const t0 = performance.now();
  let first = 0;
  let pieces = 0;
  for await (const _ of llm.stream({ key: "__doctor", messages: PROMPT, temperature: 0, maxTokens, signal: new AbortController().signal })) {
    if (pieces++ === 0) first = performance.now() - t0;
  }
  llm.release?.("__doctor");
  const total = performance.now() - t0;
  // the pieces after the first came at the generation rate
  const tokensPerSecond = pieces > 1 ? ((pieces - 1) * 1000) / Math.max(1, total - first) : 0;
  const firstClauseMs = first + (tokensPerSecond > 0 ? ((CLAUSE_TOKENS - 1) * 1000) / tokensPerSecond : 0);
  return { model: llm.model, firstTokenMs: round(first), tokensPerSecond: round(tokensPerSecond, 1), tokens: pieces, firstClauseMs: round(firstClauseMs) };
}
/** The model's first clause would come too late for a conversation. */
export const llmTooSlow = (f: LlmFigures): boolean => f.firstClauseMs > LLM_BUDGET_MS;

/** One line for the terminal, the page's diagnostics and the status API. */
export const describeLlm = (f: LlmFigures): string =>
  `${f.tokensPerSecond} tokens/s, first token ${f.firstTokenMs} ms, first clause ${f.firstClauseMs} ms (budget ${LLM_BUDGET_MS} ms)`;

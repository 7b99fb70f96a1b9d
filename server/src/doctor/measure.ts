/**
 * Measures what makes a reply quick or slow on this machine: the model's first
 * token and tokens per second, each voice's real-time factor, the recognizer's
 * and the end-of-turn model's time. `npm run doctor` prints them; the first
 * start measures the model it chose with the same function and takes a smaller
 * one when a reply would start too late.
 */
import type { LlmProvider } from "../llm/types.js";
import type { TtsProvider } from "../tts/types.js";
import type { AsrProvider } from "../asr/types.js";
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";
import type { VoiceConfig } from "@parley/shared";

/** a reply's first clause is about this many tokens */
export const CLAUSE_TOKENS = 8;
/** the model's share of the latency budget: its first clause within this, ms */
export const LLM_BUDGET_MS = 1200;
/** a reply should start playing within this of the end of a person's speech, ms */
export const REPLY_BUDGET_MS = 1500;
/** a voice slower than this real-time factor makes the table wait between sentences */
export const VOICE_RTF_BUDGET = 0.5;

const PROMPT = [
  { role: "system" as const, content: "You are Ada, a sarcastic senior engineer at a table with friends. Answer in one or two short spoken sentences." },
  { role: "user" as const, content: "Sam: Hello, Ada! How was your day? Tell me one thing that went well." },
];

export interface LlmFigures { model: string; firstTokenMs: number; tokensPerSecond: number; tokens: number; firstClauseMs: number }

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

export interface VoiceFigures { voice: string; rtf: number; firstAudioMs: number }

/** One sentence: synthesis time over the audio's duration, and how soon its first audio came. */
export async function measureVoice(tts: TtsProvider, voice: VoiceConfig, text: string): Promise<VoiceFigures> {
  await tts.prepare(voice);
  const rate = tts.sampleRate(voice);
  const t0 = performance.now();
  let first = 0;
  let samples = 0;
  for await (const piece of tts.synthesize(text, voice, new AbortController().signal)) {
    if (samples === 0 && piece.pcm.length > 0) first = performance.now() - t0;
    samples += piece.pcm.length;
  }
  const total = performance.now() - t0;
  return { voice: `${voice.provider}:${"voice" in voice ? voice.voice : ""}`, rtf: round(total / 1000 / Math.max(1e-3, samples / rate), 3), firstAudioMs: round(first) };
}

export interface AsrFigures { recognizer: string; finalMs: number; rtf: number }

/** Three seconds of speech-like audio: the wait from its end to the final words. */
export async function measureAsr(asr: AsrProvider, audio: Int16Array): Promise<AsrFigures> {
  await asr.prepare();
  const stream = asr.start({ language: "en", signal: new AbortController().signal });
  stream.push(audio);
  const t0 = performance.now();
  stream.end();
  for await (const r of stream.results) if (r.kind === "final") break;
  const finalMs = performance.now() - t0;
  return { recognizer: asr.label, finalMs: round(finalMs), rtf: round(finalMs / (audio.length / 16), 3) };
}

export interface TurnFigures { model: string; ms: number }

/** The end-of-turn model's verdict on eight seconds of audio (median of three). */
export async function measureTurn(model: EndOfTurnModel, audio: Int16Array): Promise<TurnFigures> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await model.completion(audio);
    times.push(performance.now() - t0);
  }
  return { model: model.label, ms: round(times.sort((a, b) => a - b)[1]!) };
}

export interface MachineProfile {
  at: string;
  llm?: LlmFigures;
  voices: VoiceFigures[];
  asr?: AsrFigures;
  turn?: TurnFigures;
  /** what each figure stood in for, when it was not the real thing (generated graphs, the demo model) */
  notes: string[];
  /** default models this machine measured too slow (their ids) */
  tooSlow: string[];
}

export interface Estimate {
  /** the stages of a spoken reply, ms, in order */
  stages: { endOfTurn: number; recognition: number; firstToken: number; firstClause: number; firstAudio: number };
  totalMs: number;
  /** the stage that takes longest, and the setting that would shorten it */
  advice: string;
}

/** A spoken reply's latency from the figures, with what would shorten it. */
export function estimateReply(p: MachineProfile, s: { vadSilenceMs: number; turnVadSilenceMs: number }): Estimate {
  const slowestVoice = p.voices.reduce<VoiceFigures | undefined>((a, v) => (!a || v.firstAudioMs > a.firstAudioMs ? v : a), undefined);
  const stages = {
    endOfTurn: round(p.turn ? s.turnVadSilenceMs + p.turn.ms : s.vadSilenceMs),
    recognition: p.asr?.finalMs ?? 0,
    firstToken: p.llm?.firstTokenMs ?? 0,
    firstClause: round((p.llm?.firstClauseMs ?? 0) - (p.llm?.firstTokenMs ?? 0)),
    firstAudio: slowestVoice?.firstAudioMs ?? 0,
  };
  const totalMs = round(Object.values(stages).reduce((a, b) => a + b, 0));
  const advice: Record<keyof typeof stages, string> = {
    endOfTurn: p.turn ? "`--turn-vad-silence-ms` (less silence before the end-of-turn model decides)" : "the end-of-turn model (`--turn-model smart-turn`, 8 MB), or a shorter `--vad-silence-ms`",
    recognition: "`--asr streaming` (a streaming recognizer: its words are ready when you stop), or a smaller `--asr-model tiny`",
    firstToken: "a smaller model (`--model`), the GPU (`--gpu auto` with a GPU build), or a model server (`--llm-url`)",
    firstClause: "a smaller or GPU model (`--model`, `--gpu auto`) or a model server (`--llm-url`)",
    firstAudio: "`--voices offline` (espeak-ng, no neural voice) or a smaller voice",
  };
  const worst = (Object.keys(stages) as (keyof typeof stages)[]).reduce((a, k) => (stages[k] > stages[a] ? k : a));
  const verdict = totalMs <= REPLY_BUDGET_MS ? `within the ${REPLY_BUDGET_MS} ms budget` : `over the ${REPLY_BUDGET_MS} ms budget`;
  return { stages, totalMs, advice: `${verdict}; the longest stage is ${worst} (${stages[worst]} ms): ${advice[worst]} would shorten it` };
}

/** The model's first clause would come too late for a conversation. */
export const llmTooSlow = (f: LlmFigures): boolean => f.firstClauseMs > LLM_BUDGET_MS;

/** One line for the terminal, the page's diagnostics and the status API. */
export const describeLlm = (f: LlmFigures): string =>
  `${f.tokensPerSecond} tokens/s, first token ${f.firstTokenMs} ms, first clause ${f.firstClauseMs} ms (budget ${LLM_BUDGET_MS} ms)`;

function round(n: number, digits = 0): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

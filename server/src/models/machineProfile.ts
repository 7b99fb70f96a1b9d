/**
 * The machine's measured profile: the figures `npm run doctor` and the first
 * start measure (the model, each voice, the recognizer, the end-of-turn model),
 * what they make of a spoken reply's latency, and the file in the cache that
 * keeps them.
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

/** a reply should start playing within this of the end of a person's speech, ms */
export const REPLY_BUDGET_MS = 1500;
/** a voice slower than this real-time factor makes the table wait between sentences */
export const VOICE_RTF_BUDGET = 0.5;

export interface LlmFigures { model: string; firstTokenMs: number; tokensPerSecond: number; tokens: number; firstClauseMs: number }
export interface VoiceFigures { voice: string; rtf: number; firstAudioMs: number }
export interface AsrFigures { recognizer: string; finalMs: number; rtf: number }
export interface TurnFigures { model: string; ms: number }

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

export const profilePath = (cacheDir: string): string => join(cacheDir, "machine.json");

export async function readProfile(cacheDir: string): Promise<MachineProfile | null> {
  try { return JSON.parse(await readFile(profilePath(cacheDir), "utf8")) as MachineProfile; } catch { return null; }
}

export async function writeProfile(cacheDir: string, p: MachineProfile): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFile(profilePath(cacheDir), JSON.stringify(p, null, 2));
}

/** Records that a default model answered too slowly here, so the next start skips it. */
export async function markTooSlow(cacheDir: string, modelId: string): Promise<void> {
  const p = (await readProfile(cacheDir)) ?? { at: new Date().toISOString(), voices: [], notes: [], tooSlow: [] };
  if (!p.tooSlow.includes(modelId)) p.tooSlow.push(modelId);
  await writeProfile(cacheDir, p);
}

export function round(n: number, digits = 0): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

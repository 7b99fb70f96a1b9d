/**
 * Measures what makes a reply quick or slow on this machine: the model's first
 * token and tokens per second, each voice's real-time factor, the recognizer's
 * and the end-of-turn model's time. `npm run doctor` prints them; the first
 * start measures the model it chose with the same function and takes a smaller
 * one when a reply would start too late.
 */
import type { TtsProvider } from "../tts/types.js";
import type { AsrProvider } from "../asr/types.js";
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";
import type { VoiceConfig } from "@parley/shared";
import { round, type AsrFigures, type TurnFigures, type VoiceFigures } from "../models/machineProfile.js";

export { measureLlm, llmTooSlow, describeLlm, CLAUSE_TOKENS, LLM_BUDGET_MS } from "../llm/measureLlm.js";
export { estimateReply, REPLY_BUDGET_MS, VOICE_RTF_BUDGET, type MachineProfile, type Estimate, type LlmFigures, type VoiceFigures, type AsrFigures, type TurnFigures } from "../models/machineProfile.js";

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

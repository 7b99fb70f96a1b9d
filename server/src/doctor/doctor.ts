/**
 * `npm run doctor`: measures this machine once, with what it has (never a
 * download): the model Parley would use (or the demo model), each voice the
 * cast speaks with (a generated graph stands in for a neural voice that is not
 * here), the recognizer and the end-of-turn model (generated graphs of their
 * real shapes when the real ones are not here). Prints every figure, the
 * latency a table will have and the setting that would shorten it, and keeps
 * the profile in the cache for the server's status API and page diagnostics.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import { voiceDefaults, type ParleyConfig } from "../config.js";
import { loadCharacters } from "../characters.js";
import { localizeCharacter } from "../i18n/liveCharacter.js";
import { voiceAtTable } from "../i18n/languages.js";
import { voiceSpeaks } from "../tts/voiceLanguages.js";
import { LlamaCppProvider, LLAMA_CPP_DEFAULTS } from "../llm/LlamaCppProvider.js";
import { OpenAICompatProvider, OPENAI_COMPAT_DEFAULTS } from "../llm/OpenAICompatProvider.js";
import { ensureDemoModel } from "../llm/demoModel.js";
import { cachedModel } from "../llm/downloadModel.js";
import { chooseDefaultModel, detectHardware, gpuMemoryGb } from "../llm/defaultModel.js";
import type { LlmProvider } from "../llm/types.js";
import { EspeakTts } from "../tts/EspeakTts.js";
import { PiperTts } from "../tts/PiperTts.js";
import { asrFactories } from "../asr/providers.js";
import type { AsrProvider } from "../asr/types.js";
import { SmartTurnModel } from "../voice/SmartTurnModel.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { writePiperFixture } from "../testing/onnxFixtures.js";
import { writeWhisperFixture } from "../testing/asrOnnxFixtures.js";
import { writeSmartTurnFixture } from "../testing/smartTurnOnnxFixture.js";
import { setQuiet } from "../util/log.js";
import { measureLlm, measureVoice, measureAsr, measureTurn, estimateReply, describeLlm, llmTooSlow, VOICE_RTF_BUDGET, type MachineProfile } from "./measure.js";
import { readProfile, writeProfile, profilePath } from "./profile.js";

const SENTENCES = { en: "Well, that went better than I expected, to be honest.", ru: "Что ж, всё прошло лучше, чем я ожидала, если честно.", zh: "说实话，这比我预想的要顺利得多。" } as const;

const say = (line: string): void => { process.stdout.write(`${line}\n`); };

/** The model Parley would run, without downloading: a model server, a file, the cached default, or the demo model. */
async function llmFor(c: ParleyConfig, notes: string[]): Promise<LlmProvider> {
  if (c.llmUrl) return new OpenAICompatProvider({ ...OPENAI_COMPAT_DEFAULTS, baseUrl: c.llmUrl, model: c.llmModel ?? "", apiKey: c.llmApiKey, idleTimeoutMs: c.llmTimeoutMs });
  const gpu = c.gpu === "off" ? false : "auto";
  let path = c.model && c.model !== "none" && !/^(hf:|https?:)/.test(c.model) && existsSync(c.model) ? c.model : null;
  if (!path && !c.demo) {
    const choice = chooseDefaultModel(detectHardware(gpu ? await gpuMemoryGb() : 0), { sequences: LLAMA_CPP_DEFAULTS.sequences, contextSize: c.contextSize });
    path = await cachedModel(c.cacheDir, c.model && /^(hf:|https?:)/.test(c.model) ? c.model : choice.model.uri);
    if (!path) notes.push(`the model: ${choice.model.name} is not downloaded yet (npm start fetches it); the demo model stands in, so its figures say nothing of a real model's speed`);
  }
  if (!path) {
    if (c.demo) notes.push("the model: the demo model (scripted, tiny): a real model is slower");
    return LlamaCppProvider.load({ ...LLAMA_CPP_DEFAULTS, modelPath: await ensureDemoModel(join(c.cacheDir, "models")), threads: 1, contextSize: c.contextSize, sequences: 1, gpu: false, displayName: "Parley demo (scripted)" });
  }
  return LlamaCppProvider.load({ ...LLAMA_CPP_DEFAULTS, modelPath: path, threads: c.threads, contextSize: c.contextSize, sequences: 1, gpu });
}

/** 16 kHz audio with a voice's rough shape: a pitched tone under a syllable-rate envelope. */
function speechLike(seconds: number): Int16Array {
  return Int16Array.from({ length: seconds * 16000 }, (_, i) => Math.round(6000 * Math.abs(Math.sin((Math.PI * 4 * i) / 16000)) * Math.sin((2 * Math.PI * 180 * i) / 16000)));
}

async function recognizer(c: ParleyConfig, tmp: string, notes: string[]): Promise<AsrProvider | null> {
  if (c.asr === "none" || c.asr === "openai") return null;
  const f = asrFactories({ config: { ...c, offline: true }, models: new ModelStatus(), worker: false });
  const real = c.asr === "streaming" ? f.streaming({ language: c.language }) : f.whisper(c.asrModel ? { model: c.asrModel } : {});
  try { await real.prepare(); return real; } catch { await real.close(); }
  notes.push("the recognizer: not downloaded yet; a generated graph with Whisper's shapes stands in (same code path, random weights)");
  return f.whisper({ model: (await writeWhisperFixture(join(tmp, "whisper"), { detectLanguage: "en" })).dir });
}

async function endOfTurn(c: ParleyConfig, tmp: string, notes: string[]): Promise<SmartTurnModel | null> {
  if (c.turnModel === "none") return null;
  const real = new SmartTurnModel({ model: c.turnModel, cacheDir: c.cacheDir, status: new ModelStatus(), offline: true, threads: 1 });
  try { await real.prepare(); return real; } catch { await real.close(); }
  notes.push("the end-of-turn model: not downloaded yet; a generated graph with Smart Turn's shapes stands in");
  const model = new SmartTurnModel({ model: await writeSmartTurnFixture(join(tmp, "smart-turn.onnx"), "probe"), cacheDir: c.cacheDir, status: new ModelStatus(), offline: true, threads: 1 });
  await model.prepare();
  return model;
}

export async function runDoctor(c: ParleyConfig): Promise<MachineProfile> {
  setQuiet(true);
  const tmp = await mkdtemp(join(tmpdir(), "parley-doctor-"));
  const notes: string[] = [];
  const espeak = new EspeakTts();
  const piper = new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: c.cacheDir, offline: true, threads: 1 });
  try {
    say(`Measuring this machine (${c.threads} thread${c.threads === 1 ? "" : "s"}; nothing is downloaded)…`);
    const llm = await llmFor(c, notes);
    const llmFigures = await measureLlm(llm).finally(() => llm.close());
    say(`model       ${llmFigures.model}: ${describeLlm(llmFigures)}${llmTooSlow(llmFigures) ? ": too slow for a conversation" : ""}`);

    await espeak.init();
    const voices: MachineProfile["voices"] = [];
    const cast = (await loadCharacters(c.charactersDir)).map((ch) => localizeCharacter(ch, c.language));
    const text = SENTENCES[c.language];
    let standIn: string | null = null;
    for (const ch of cast) {
      const wanted: VoiceConfig = voiceAtTable(ch.voice, c.language, voiceDefaults(c), ch.id, voiceSpeaks(ch.voice, c.language));
      const offline = wanted.provider === "piper" ? wanted.fallback ?? ch.voice : ch.voice;
      if (offline.provider === "espeak") voices.push({ ...(await measureVoice(espeak, offline, text)), voice: `${ch.name}: espeak:${offline.voice}` });
      if (wanted.provider !== "piper") continue;
      let v;
      try {
        v = { ...(await measureVoice(piper, wanted, text)), voice: `${ch.name}: piper:${wanted.voice}` };
      } catch {
        standIn ??= await writePiperFixture(join(tmp, "piper"), { espeakVoice: offline.provider === "espeak" ? offline.voice.split("+")[0]! : "en-us" });
        v = { ...(await measureVoice(piper, { ...wanted, voice: standIn }, text)), voice: `${ch.name}: piper:${wanted.voice} (not downloaded: a generated graph stands in)` };
      }
      voices.push(v);
    }
    for (const v of voices) say(`voice       ${v.voice}: real-time factor ${v.rtf}, first audio ${v.firstAudioMs} ms${v.rtf > VOICE_RTF_BUDGET ? ": too slow, use --voices offline" : ""}`);

    const asr = await recognizer(c, tmp, notes);
    const asrFigures = asr ? await measureAsr(asr, speechLike(3)).finally(() => asr.close()) : undefined;
    say(asrFigures ? `recognizer  ${asrFigures.recognizer}: final words ${asrFigures.finalMs} ms after 3 s of speech (real-time factor ${asrFigures.rtf})` : "recognizer  none (--asr none or a server): not measured");

    const turn = await endOfTurn(c, tmp, notes);
    const turnFigures = turn ? await measureTurn(turn, speechLike(8)).finally(() => turn.close()) : undefined;
    say(turnFigures ? `end of turn ${turnFigures.model}: ${turnFigures.ms} ms per verdict on 8 s of audio` : "end of turn none (--turn-model none): the silence decides");

    const before = await readProfile(c.cacheDir);
    const profile: MachineProfile = { at: new Date().toISOString(), llm: llmFigures, voices, asr: asrFigures, turn: turnFigures, notes, tooSlow: before?.tooSlow ?? [] };
    const e = estimateReply(profile, c);
    say("");
    say(`A spoken reply starts about ${e.totalMs} ms after a person stops: end of turn ${e.stages.endOfTurn}, recognition ${e.stages.recognition}, ` +
      `first token ${e.stages.firstToken}, first clause ${e.stages.firstClause}, first audio ${e.stages.firstAudio} (ms).`);
    say(`That is ${e.advice}.`);
    for (const n of notes) say(`note: ${n}`);
    await writeProfile(c.cacheDir, profile);
    say(`Kept in ${profilePath(c.cacheDir)} (the page's parleyDebug.machine and /api/status show it).`);
    return profile;
  } finally {
    await piper.close();
    await espeak.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

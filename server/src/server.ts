/**
 * Boots Parley: one Node process serving the built client and the Colyseus room on
 * one port. Used by main.ts, by the tests and by the benchmarks.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { LIMITS, ROOM_NAME, type CharacterConfig } from "@parley/shared";
import type { ParleyConfig } from "./config.js";
import { loadCharacters } from "./characters.js";
import { LlmHost } from "./llm/LlmHost.js";
import { EspeakTts } from "./tts/EspeakTts.js";
import type { TtsProvider } from "./tts/types.js";
import { TtsRouter } from "./tts/TtsRouter.js";
import { ttsFactories, ttsCacheOptions } from "./tts/providers.js";
import { CachedTts } from "./tts/TtsCache.js";
import { ModelStatus } from "./models/ModelStatus.js";
import { SqliteStore } from "./store/SqliteStore.js";
import type { Store } from "./store/Store.js";
import { AvatarStore } from "./avatars/AvatarStore.js";
import { join } from "node:path";
import type { AsrProvider } from "./asr/types.js";
import { createParleyRoom, type RoomServices } from "./room/ParleyRoom.js";
import { mountStaticRoutes } from "./http/staticRoutes.js";
import { setQuiet, setTrace, log } from "./util/log.js";
import { errorMessage } from "./util/errors.js";
import { createTableLocale, type TableLocale } from "./i18n/tableLocale.js";
import { TableAsr, recognizerPerLanguage } from "./i18n/TableAsr.js";
import type { EndOfTurnModel } from "./voice/EndOfTurnModel.js";
import { SmartTurnModel } from "./voice/SmartTurnModel.js";

export interface RunningParley {
  url: string;
  port: number;
  llm: LlmHost;
  voices: RoomServices["voices"];
  models: ModelStatus;
  store: Store;
  characters: readonly CharacterConfig[];
  /** live settings shared with the rooms */
  settings: { streaming: boolean };
  /** the table's language, its cast and voices in it */
  locale: TableLocale;
  /** exceptions that escaped a room's handlers or timers (each is a bug; the table went on) */
  faults: { count: number; last: string };
  /** the end-of-turn model, if one is configured */
  turnModel: EndOfTurnModel | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** use this LLM host instead of building one from the config */
  llm?: LlmHost;
  /** speak every voice with this provider (tests) */
  tts?: TtsProvider;
  directorTiming?: RoomServices["directorTiming"];
  /** recognize people's speech with this provider (tests) */
  asr?: AsrProvider | null;
  /** decide the end of people's turns with this model (tests, benchmarks); null: silence thresholds only */
  turnModel?: EndOfTurnModel | null;
  voiceOptions?: RoomServices["voiceOptions"];
  characters?: readonly CharacterConfig[];
}

export async function startParley(config: ParleyConfig, opts: StartOptions = {}): Promise<RunningParley> {
  setQuiet(config.quiet);
  setTrace(config.trace);
  const characters = opts.characters ?? (await loadCharacters(config.charactersDir));
  const llm = opts.llm ?? new LlmHost(config);
  const models = new ModelStatus();
  const espeak = new EspeakTts();
  await espeak.init();
  // the offline voice is cached like every other: the whole bundled cast and every fallback speak with it
  const router = new TtsRouter(new CachedTts(espeak, ttsCacheOptions(config)), ttsFactories({ config, models, espeak }));
  const fixed = opts.tts;
  const locale = createTableLocale({
    characters, language: config.language, voiceDefaults: config.voices,
    voices: fixed ? { route: async (voice) => ({ voice, provider: fixed, fallbackReason: "" }) } : router,
  });
  const voices: RoomServices["voices"] = locale.voices;

  const settings = { streaming: true };
  let asr: AsrProvider | null = null;
  if (opts.asr !== undefined) asr = opts.asr && new TableAsr(locale.language, () => opts.asr!);
  else if (config.asr !== "none") asr = recognizerPerLanguage(locale.language, config, models);

  const turnModel = endOfTurnModel(config, opts, asr !== null, models);

  const store = SqliteStore.open(join(config.dataDir, "parley.sqlite"));
  if (store.notice) log.warn(store.notice);
  const avatars = new AvatarStore(characters, config.avatarsDir, join(config.dataDir, "avatars"));
  const http: HttpServer = createServer();
  const gameServer = new Server({
    transport: new WebSocketTransport({ server: http, maxPayload: LIMITS.maxPayloadBytes }),
    greet: false,
    gracefullyShutdown: false,
    express: (app) => mountStaticRoutes(app, {
      clientDir: config.clientDir, characters: locale.cast.list, llmStatus: () => llm.status, store, voices, avatars,
      // with the end-of-turn model ready, browsers report the end of speech after a short silence and the model decides
      voice: () => ({ vadSilenceMs: turnModel?.ready ? config.turnVadSilenceMs : config.vadSilenceMs, asr: config.asr, turnModel: turnModel?.ready ? turnModel.label : "" }),
      language: () => locale.language.get(),
    }),
  });
  const faults = { count: 0, last: "" };
  gameServer.define(ROOM_NAME, createParleyRoom({
    onFault: (err, where) => { faults.count++; faults.last = `${where}: ${err.stack ?? err.message}`; },
    characters: locale.cast.list,
    llm,
    voices: locale.voices.forTurns,
    locale,
    maxTokens: config.maxTokens,
    settings,
    store,
    models,
    memoryOptions: { quietMs: config.memoryQuietMs },
    asr,
    turnModel,
    voiceOptions: {
      language: config.asrLanguage, minSpeechMs: config.bargeInMinMs, confirmAfterMs: config.bargeInConfirmMs, trailingWaitMs: config.turnTrailingMs,
      silenceMs: config.vadSilenceMs, incompleteMs: config.turnIncompleteMs, ...opts.voiceOptions,
    },
    directorTiming: opts.directorTiming,
    avatars,
  }));
  await gameServer.listen(config.port, config.host);
  const port = (http.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  // the model loads (or downloads) in the background; the room works meanwhile
  void llm.start();
  return {
    url: `http://${shownHost}:${port}`,
    port,
    llm,
    voices,
    models,
    store,
    characters,
    settings,
    locale,
    faults,
    turnModel,
    async stop() {
      await gameServer.gracefullyShutdown(false);
      await new Promise<void>((r) => http.close(() => r()));
      await llm.close();
      await store.close();
      await asr?.close();
      await turnModel?.close();
      await router.close();
      await fixed?.close();
    },
  };
}

/**
 * The end-of-turn model (PARLEY_TURN_MODEL) when people can speak: its load (a
 * download on first start) begins now, so it decides by the time they do; until
 * then, or if it cannot be had, the silence thresholds decide.
 */
function endOfTurnModel(config: ParleyConfig, opts: StartOptions, voiceInput: boolean, models: ModelStatus): EndOfTurnModel | null {
  if (opts.turnModel !== undefined) return opts.turnModel;
  if (config.turnModel === "none" || !voiceInput) return null;
  const model = new SmartTurnModel({ model: config.turnModel, cacheDir: config.cacheDir, offline: config.offline, status: models, downloadStallMs: config.downloadStallMs });
  model.prepare().catch((err: unknown) => log.info(`end of turn: ${errorMessage(err)}`));
  return model;
}

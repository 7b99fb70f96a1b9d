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
import { ttsFactories } from "./tts/providers.js";
import { ModelStatus } from "./models/ModelStatus.js";
import { MemoryStore } from "./memory/MemoryStore.js";
import { AvatarStore } from "./avatars/AvatarStore.js";
import { PersonAvatars } from "./avatars/PersonAvatars.js";
import { mountPersonAvatarRoutes } from "./http/personAvatarRoutes.js";
import { join } from "node:path";
import type { AsrProvider } from "./asr/types.js";
import { createAsr } from "./asr/providers.js";
import { log } from "./util/log.js";
import { createParleyRoom, type RoomServices } from "./room/ParleyRoom.js";
import { mountStaticRoutes } from "./http/staticRoutes.js";
import { setQuiet } from "./util/log.js";

export interface RunningParley {
  url: string;
  port: number;
  llm: LlmHost;
  voices: RoomServices["voices"];
  models: ModelStatus;
  memory: MemoryStore;
  characters: readonly CharacterConfig[];
  /** live settings shared with the rooms */
  settings: { streaming: boolean };
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
  voiceOptions?: RoomServices["voiceOptions"];
  characters?: readonly CharacterConfig[];
}

export async function startParley(config: ParleyConfig, opts: StartOptions = {}): Promise<RunningParley> {
  setQuiet(config.quiet);
  const characters = opts.characters ?? (await loadCharacters(config.charactersDir));
  const llm = opts.llm ?? new LlmHost(config);
  const models = new ModelStatus();
  const espeak = new EspeakTts();
  await espeak.init();
  const router = new TtsRouter(espeak, ttsFactories({ config, models, espeak }));
  const fixed = opts.tts;
  const voices: RoomServices["voices"] = fixed
    ? { route: async (voice) => ({ voice, provider: fixed, fallbackReason: "" }) }
    : router;

  const settings = { streaming: true };
  let asr: AsrProvider | null = null;
  if (opts.asr !== undefined) asr = opts.asr;
  else {
    const made = createAsr({ asr: config.asr, asrModel: config.asrModel, asrLanguage: config.asrLanguage, asrUrl: config.asrUrl, asrApiKey: config.asrApiKey, asrPartialMs: config.asrPartialMs }, { config, models });
    asr = made.provider;
    if (made.note) log.info(`speech recognition: ${made.note}`);
  }

  const memory = await MemoryStore.open(join(config.dataDir, "parley.sqlite"));
  const avatars = new AvatarStore(characters, config.avatarsDir, join(config.dataDir, "avatars"));
  const personAvatars = new PersonAvatars(config.avatarsDir, join(config.dataDir, "avatars", "people"));
  const http: HttpServer = createServer();
  const gameServer = new Server({
    transport: new WebSocketTransport({ server: http, maxPayload: LIMITS.maxPayloadBytes }),
    greet: false,
    gracefullyShutdown: false,
    express: (app) => {
      mountPersonAvatarRoutes(app, personAvatars);
      mountStaticRoutes(app, { clientDir: config.clientDir, characters, llmStatus: () => llm.status, memory, voices, avatars, voice: { vadSilenceMs: config.vadSilenceMs, asr: config.asr } });
    },
  });
  gameServer.define(ROOM_NAME, createParleyRoom({
    characters,
    llm,
    voices,
    maxTokens: config.maxTokens,
    settings,
    memory,
    models,
    memoryOptions: { quietMs: config.memoryQuietMs },
    asr,
    voiceOptions: { language: config.asrLanguage, minSpeechMs: config.bargeInMinMs, confirmAfterMs: config.bargeInConfirmMs, trailingWaitMs: config.turnTrailingMs, ...opts.voiceOptions },
    directorTiming: opts.directorTiming,
    avatars,
    personAvatars,
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
    memory,
    characters,
    settings,
    async stop() {
      await gameServer.gracefullyShutdown(false);
      await new Promise<void>((r) => http.close(() => r()));
      await llm.close();
      await memory.close();
      await asr?.close();
      await router.close();
      await fixed?.close();
    },
  };
}

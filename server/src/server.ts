/**
 * Boots Parley: one Node process serving the built client and every table's
 * Colyseus room on one port (HTTPS beyond loopback). Used by main.ts, by the
 * tests and by the benchmarks.
 */
import { createServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { LIMITS, ROOM_NAME, type CharacterConfig } from "@parley/shared";
import { isPrivate, usesTls, voiceDefaults, type ParleyConfig } from "./config.js";
import { setHfEndpoint } from "./models/fetchModelFile.js";
import { loadCharacters } from "./characters.js";
import { LlmHost } from "./llm/LlmHost.js";
import { EspeakTts } from "./tts/EspeakTts.js";
import type { TtsProvider } from "./tts/types.js";
import { TtsRouter } from "./tts/TtsRouter.js";
import { ttsFactories, ttsCacheOptions } from "./tts/providers.js";
import { CachedTts } from "./tts/TtsCache.js";
import { ModelStatus } from "./models/ModelStatus.js";
import { openStore } from "./store/openStore.js";
import { DEFAULT_TABLE, type Store, type TableRecord } from "./store/Store.js";
import { AvatarStore } from "./avatars/AvatarStore.js";
import { PersonAvatars } from "./avatars/PersonAvatars.js";
import { join } from "node:path";
import type { AsrProvider } from "./asr/types.js";
import { ParleyRoom } from "./room/ParleyRoom.js";
import { mountStaticRoutes } from "./http/staticRoutes.js";
import { setQuiet, setTrace, log } from "./util/log.js";
import { recognizers } from "./table/TableAsr.js";
import type { VoiceRouter } from "./table/TableVoices.js";
import { Access } from "./access/Access.js";
import { loadTls, type TlsMaterial } from "./access/tls.js";
import { TableRegistry } from "./table/TableRegistry.js";
import type { TableLocale } from "./table/Table.js";
import type { TableServices } from "./table/TableServices.js";
import type { Cast } from "./table/Cast.js";
import { tableUrl } from "./http/tableRoutes.js";
import { reachableHost } from "./access/hostLink.js";
import type { EndOfTurnModel } from "./voice/EndOfTurnModel.js";
import { SmartTurnModel } from "./voice/SmartTurnModel.js";
import { errorMessage } from "./util/errors.js";
import { CharacterLibrary } from "./library/CharacterLibrary.js";
import { Portraits } from "./portrait/Portraits.js";
import { readdirSync } from "node:fs";
import { clusterSetup, withLock } from "./cluster/cluster.js";
import { TableRooms } from "./cluster/TableRooms.js";
import { LibraryBus } from "./cluster/LibraryBus.js";
import { importDataDir } from "./library/importDataDir.js";
import { readProfile, estimateReply } from "./models/machineProfile.js";

/** The room name of every table but the default one (which is ROOM_NAME, "parley"). */
export const TABLE_ROOM = "table";

export interface RunningParley {
  url: string;
  port: number;
  llm: LlmHost;
  /** the default table's voices */
  voices: VoiceRouter;
  models: ModelStatus;
  store: Store;
  /** the bundled characters (characters/, or the test's) */
  characters: readonly CharacterConfig[];
  /** every character: bundled and the user's own (data dir) */
  library: CharacterLibrary;
  /** who sits at the default table; the host changes it while the table runs */
  cast: Cast;
  /** live settings shared with the rooms */
  settings: { streaming: boolean };
  /** the default table's language, its cast and voices in it */
  locale: TableLocale;
  tables: TableRegistry;
  access: Access;
  /** the host's link to the default table (with the host's token on a private server) */
  hostLink: string;
  /** the certificate served, when HTTPS is on */
  tls: TlsMaterial | null;
  /** exceptions that escaped a room's handlers or timers (each is a bug; the table went on) */
  faults: { count: number; last: string };
  /** the end-of-turn model, if one is configured */
  turnModel: EndOfTurnModel | null;
  /** speech held back because it was only a page's own speakers, heard again (echo), counted per table */
  echoes: Map<string, number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** use this LLM host instead of building one from the config */
  llm?: LlmHost;
  /** speak every voice with this provider (tests) */
  tts?: TtsProvider;
  directorTiming?: TableServices["directorTiming"];
  /** recognize people's speech with this provider (tests) */
  asr?: AsrProvider | null;
  /** decide the end of people's turns with this model (tests, benchmarks); null: silence thresholds only */
  turnModel?: EndOfTurnModel | null;
  voiceOptions?: TableServices["voiceOptions"];
  characters?: readonly CharacterConfig[];
}

export async function startParley(config: ParleyConfig, opts: StartOptions = {}): Promise<RunningParley> {
  setQuiet(config.quiet);
  setTrace(config.trace);
  setHfEndpoint(config.hfEndpoint);
  const characters = opts.characters ?? (await loadCharacters(config.charactersDir));
  const generated = readdirSync(config.avatarsDir).filter((f) => f.endsWith(".vrm")).sort();
  const llm = opts.llm ?? new LlmHost(config);
  const models = new ModelStatus();
  const espeak = new EspeakTts();
  await espeak.init();
  // the offline voice is cached like every other: the whole bundled cast and every fallback speak with it
  const router = new TtsRouter(new CachedTts(espeak, ttsCacheOptions(config)), ttsFactories({ config, models, espeak }));
  const fixed = opts.tts;
  const voices: VoiceRouter = fixed ? { route: async (voice) => ({ voice, provider: fixed, fallbackReason: "" }) } : router;
  const asr = opts.asr !== undefined ? null : config.asr !== "none" ? recognizers(config, models) : null;
  const recognizer = opts.asr !== undefined ? (opts.asr ? () => opts.asr! : null) : asr ? asr.forLanguage : null;
  const turnModel = endOfTurnModel(config, opts, recognizer !== null, models);

  const store = await openStore(config);
  if (store.notice) log.warn(store.notice);
  // a table's room lives in one process (with PARLEY_REDIS_URL, one of several); any process reserves seats in it
  const cluster = clusterSetup(config);
  if (cluster.shared && !config.databaseUrl) log.warn("PARLEY_REDIS_URL without PARLEY_DATABASE_URL: a table reopened in another process will not have its history there.");
  const bus = new LibraryBus(cluster.server.presence ?? null);
  // characters and avatars earlier Parleys kept as files in the data dir move into the store, once
  await withLock(cluster.lock, "parley:importing", 120, () => importDataDir(store, config.dataDir));
  // each stored VRM, as a file this process serves
  const avatarCache = join(config.dataDir, "avatars", "cache");
  // the store finds any character's avatar in the library (bundled, edited or the user's own)
  const avatars: AvatarStore = await new AvatarStore((id) => library.fresh(id), config.avatarsDir, store, avatarCache, bus).load();
  const library: CharacterLibrary = await new CharacterLibrary(characters, store, avatars, generated, bus).load();
  const personAvatars = await new PersonAvatars(config.avatarsDir, store, avatarCache, bus).load();
  const faults = { count: 0, last: "" };
  const echoes = new Map<string, number>();
  const settings = { streaming: true };
  const tables = new TableRegistry({
    store, library, defaultLanguage: config.language, voices, voiceDefaults: voiceDefaults(config), recognizer, bus,
    llm, maxTokens: config.maxTokens, settings, models, avatars, personAvatars,
    memoryOptions: { quietMs: config.memoryQuietMs },
    turnModel,
    voiceOptions: {
      language: config.asrLanguage, minSpeechMs: config.bargeInMinMs, confirmAfterMs: config.bargeInConfirmMs, trailingWaitMs: config.turnTrailingMs,
      silenceMs: config.vadSilenceMs, incompleteMs: config.turnIncompleteMs, ...opts.voiceOptions,
    },
    directorTiming: opts.directorTiming,
    onEcho: (tableId) => { echoes.set(tableId, (echoes.get(tableId) ?? 0) + 1); },
  });
  // processes starting together make the host's token and the default table once
  const access = await withLock(cluster.lock, "parley:starting", 30, async () => { const a = await Access.open(store, isPrivate(config)); await tables.init(); return a; });
  const portraits = new Portraits();
  const tls = usesTls(config) ? await loadTls({ dataDir: config.dataDir, certPath: config.tlsCert, keyPath: config.tlsKey, hosts: [config.host] }) : null;
  const http: HttpServer = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : createServer();
  let baseUrl = "";
  const tableRooms = new TableRooms({
    lock: cluster.lock, exists: async (id) => !!(await tables.get(id)), roomName: (id) => (id === DEFAULT_TABLE ? ROOM_NAME : TABLE_ROOM), defaultTable: { tableId: DEFAULT_TABLE, roomName: ROOM_NAME },
  });
  const openRoom = async (t: Pick<TableRecord, "id">): Promise<void> => { await tableRooms.open(t.id); };
  const gameServer = new Server({
    ...cluster.server,
    transport: new WebSocketTransport({ server: http, maxPayload: LIMITS.maxPayloadBytes }),
    greet: false,
    gracefullyShutdown: false,
    express: (app) => mountStaticRoutes(app, {
      clientDir: config.clientDir, llmStatus: () => llm.status, store, tables, access, avatars, personAvatars, openRoom, baseUrl: () => baseUrl,
      // with the end-of-turn model ready, browsers report the end of speech after a short silence and the model decides
      voice: () => ({ vadSilenceMs: turnModel?.ready ? config.turnVadSilenceMs : config.vadSilenceMs, asr: config.asr, turnModel: turnModel?.ready ? turnModel.label : "" }),
      machine: async () => {
        const p = await readProfile(config.cacheDir);
        return p ? { ...p, estimate: estimateReply(p, config) } : null;
      },
      library, portraits, voiceCatalog: { list: () => router.listVoices(), route: (v, signal) => router.route(v, signal) },
    }),
  });
  const services = { tables, access, onFault: (err: Error, where: string) => { faults.count++; faults.last = `${where}: ${err.stack ?? err.message}`; } };
  gameServer.define(ROOM_NAME, ParleyRoom, { services });
  gameServer.define(TABLE_ROOM, ParleyRoom, { services });
  await gameServer.listen(config.port, config.host);
  const unrouteJoins = tableRooms.routeJoins();
  const port = (http.address() as AddressInfo).port;
  baseUrl = (config.publicUrl ?? `${tls ? "https" : "http"}://${reachableHost(config.host)}:${port}`).replace(/\/+$/, "");
  // every table's room is open, so its address can be joined at once
  for (const t of await tables.list()) await openRoom(t);
  const defaultTable = await tables.table(DEFAULT_TABLE);
  // the default table's neural voices download now, with progress; the offline voices speak until they are ready
  defaultTable.locale.voices.warm();
  // the model loads (or downloads) in the background; the room works meanwhile
  void llm.start();
  return {
    url: baseUrl,
    port,
    llm,
    voices: defaultTable.locale.voices,
    models,
    store,
    characters,
    library,
    cast: defaultTable.cast,
    settings,
    locale: defaultTable.locale,
    tables,
    access,
    hostLink: tableUrl(baseUrl, { id: DEFAULT_TABLE }, access.privateMode ? access.hostInvite : undefined),
    tls,
    faults,
    turnModel,
    echoes,
    async stop() {
      unrouteJoins();
      await gameServer.gracefullyShutdown(false);
      // the tables outlive their rooms: they end here, before what they use
      await tables.close();
      await tables.flushed();
      await new Promise<void>((r) => http.close(() => r()));
      await llm.close();
      await store.close();
      await asr?.close();
      await opts.asr?.close();
      await turnModel?.close();
      await router.close();
      await fixed?.close();
      await portraits.close();
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
  // the demo downloads nothing: it uses the model only when an earlier start cached it
  const model = new SmartTurnModel({ model: config.turnModel, cacheDir: config.cacheDir, offline: config.offline || config.demo, status: models, downloadStallMs: config.downloadStallMs });
  model.prepare().catch((err: unknown) => log.info(
    `${model.label} is not here (${errorMessage(err).split(";")[0]}). It would tell a finished sentence from a pause, so people are answered sooner; ` +
    "until it is, a short silence decides. `npm start` with a network downloads it once (8 MB).",
  ));
  return model;
}

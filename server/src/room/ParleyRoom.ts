/**
 * The Colyseus room, kept thin: lifecycle hooks and a map of message handlers,
 * each validated with zod and held to a budget, handing work to the director.
 * The mirror keeps state in step; the store keeps every finished line. No
 * client's message, however malformed, and no exception in one handler can end
 * the process or disturb another client.
 */
import { Room, ServerError, type Client } from "@colyseus/core";
import {
  ChatPayload, SetNamePayload, PlaybackPayload, PlayoutGapPayload, JoinOptions, NominatePayload, RoomSettingsPayload, MemoryGetPayload, MemoryForgetPayload, NoPayload, PersonMutePayload, PersonRemovePayload,
  ClientMessage, ErrorCode, DEFAULT_ROOM_SETTINGS, characterSeats,
  type RoomSettings,
} from "@parley/shared";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { RoomState, CharacterSchema } from "./state.js";
import { ClientGuard, inspectFrame } from "./ClientGuard.js";
import { mirrorLlm, mirrorLog, mirrorModels, TRANSCRIPT_LINES } from "./mirror.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import { Director, type DirectorDeps } from "../director/Director.js";
import { ConversationLog, type LogEntry } from "../conversation/ConversationLog.js";
import type { LlmHost } from "../llm/LlmHost.js";
import { DEFAULT_TABLE, type Store } from "../store/Store.js";
import { TABLE_LIMITS, type TableContext, type TableRegistry } from "../tables/TableRegistry.js";
import type { Access, Role } from "../access/Access.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";
import { MemoryWriter, type MEMORY_DEFAULTS, type PersonRef } from "../memory/MemoryWriter.js";
import { MemoryHandlers } from "./memoryHandlers.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";
import { VoiceHandlers } from "./voiceHandlers.js";
import { TableAudio } from "./tableAudio.js";
import { PlaybackReports } from "../speech/PlaybackReports.js";
import type { VOICE_DEFAULTS } from "../voice/PersonVoice.js";
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";
import { LatencyTrace } from "../turn/LatencyTrace.js";
import { uniqueName } from "./names.js";
import { followTableLanguage } from "../i18n/tableLocale.js";
import { serverText } from "../i18n/serverText.js";
import { seatingOf } from "./seating.js";
import { PeopleHandlers } from "./peopleHandlers.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";

export interface RoomServices {
  /** the tables: each room opens one (its cast, language, voices, recognizer) */
  tables: TableRegistry;
  /** who may join and what they may do */
  access: Access;
  llm: LlmHost;
  store: Store;
  memoryOptions?: Partial<typeof MEMORY_DEFAULTS>;
  maxTokens: number;
  /** where each character's avatar file is (uploads included) */
  avatars: AvatarStore;
  /** model files being fetched or loaded (voices, recognizers) */
  models: ModelStatus;
  /** live settings that tools (benchmarks) may change */
  settings: { streaming: boolean };
  /** director knobs for tests and benchmarks */
  directorTiming?: DirectorDeps["timing"];
  /** decides when a person's sentence is finished (null or absent: silence thresholds) */
  turnModel?: EndOfTurnModel | null;
  voiceOptions?: Partial<typeof VOICE_DEFAULTS>;
  /** told of every exception a handler or room timer let escape (a bug to find; the table goes on) */
  onFault?: (error: Error, where: string) => void;
  /** told each time a page's microphone only heard what the table sent it (echo held back) */
  onEcho?: (tableId: string, sessionId: string) => void;
  /** the avatars people wear: the generated cast or their own VRM */
  personAvatars: PersonAvatars;
}

/** Join options a client sends: which table, and the invite that lets it in. */
interface RoomOptions { tableId?: unknown }

type Handler = (client: Client, raw: unknown) => void | Promise<void>;

/** an empty table keeps its model sequences this long before giving them back, ms */
const TABLE_IDLE_MS = 60_000;
/** the close code a person removed by the host sees */
export const CLOSE_REMOVED = 4005;
type RawMessageHandler = (client: Client, buffer: Uint8Array) => void;

export function createParleyRoom(services: RoomServices): typeof Room<{ state: InstanceType<typeof RoomState> }> {
  return class ParleyRoom extends Room<{ state: InstanceType<typeof RoomState> }> {
    // one more than the people a table holds: the extra one hears "this table is full" from onAuth
    override maxClients = TABLE_LIMITS.maxPeople + 1;
    // past this Colyseus drops the client, counting messages as they reach the server: a talking
    // person sends ~31 microphone frames, ~16 mouth frames and up to 10 head poses a second, and
    // a busy event loop takes a second's worth at once; the per-type budgets answer politely first
    override maxMessagesPerSecond = 200;
    override state = new RoomState();
    private conversation = new ConversationLog();
    private director!: Director;
    private memoryWriter!: MemoryWriter;
    private memory!: MemoryHandlers;
    private readonly guard = new ClientGuard();
    private guestCount = 0;
    /** session -> the person behind it (their browser's stable id stays on the server) */
    private persons = new Map<string, PersonRef>();
    private unsubscribe: (() => void)[] = [];
    private voice!: VoiceHandlers;
    private people!: PeopleHandlers;
    private readonly playbackReports = new PlaybackReports();
    /** saves in order, one at a time */
    private saving: Promise<void> = Promise.resolve();
    private table!: TableContext;
    /** people admitted by onAuth whose join has not finished yet */
    private joining = 0;
    private idleTimer: NodeJS.Timeout | null = null;
    /** every sound the table sends, and the echo guard that knows it */
    private readonly audio = new TableAudio({
      broadcast: (type, message, except) => this.broadcast(type, message, except ? { except } : undefined),
      clients: () => [...this.clients],
    });

    private get tableId(): string { return this.table.record.id; }

    override async onCreate(options: RoomOptions = {}): Promise<void> {
      this.guardFrames();
      this.table = await services.tables.context(typeof options.tableId === "string" ? options.tableId : DEFAULT_TABLE);
      // a table's room is its address (/t/<id>, joinById) and stays open while the server runs
      this.roomId = this.tableId;
      this.autoDispose = false;
      const cast = this.table.cast;
      const seats = characterSeats(cast.length);
      cast.forEach((c, i) => {
        this.state.characters.set(c.id, new CharacterSchema({
          id: c.id, name: c.name, seat: seats[i]!, avatarUrl: services.avatars.urlFor(c), color: c.color, state: "idle", emotion: "neutral", lookAt: "",
        }));
      });
      Object.assign(this.state.settings, DEFAULT_ROOM_SETTINGS, this.table.record.settings);
      this.state.tableId = this.tableId;
      this.state.tableName = this.table.record.name;
      this.unsubscribe.push(followTableLanguage(this.state, this.table.locale, this.conversation));
      this.unsubscribe.push(mirrorLlm(this.state, services.llm), mirrorLog(this.state, this.conversation), mirrorModels(this.state, services.models));
      // a new avatar uploaded for a character: everyone at the table reloads it
      const onAvatar = (id: string): void => {
        const c = cast.find((x) => x.id === id);
        const s = this.state.characters.get(id);
        if (c && s) s.avatarUrl = services.avatars.urlFor(c);
      };
      services.avatars.on("changed", onAvatar);
      this.unsubscribe.push(() => services.avatars.off("changed", onAvatar));
      this.conversation.restore(await services.store.recentLines(this.tableId, TRANSCRIPT_LINES));
      if (services.store.notice && this.tableId === DEFAULT_TABLE) this.conversation.add({ kind: "system", speakerId: "", speakerName: "Parley", text: services.store.notice, addressee: "" });
      const persist = (e: LogEntry): void => {
        if (!e.done || e.kind === "system") return;
        const personId = this.persons.get(e.speakerId)?.personId ?? null;
        const line = { ...e };
        this.saving = this.saving.then(() => services.store.saveLine(this.tableId, line, personId)).catch((err: unknown) => log.error(`a line was not saved: ${errorMessage(err)}`));
      };
      this.conversation.on("add", persist);
      this.conversation.on("update", persist);
      this.memoryWriter = new MemoryWriter(services.store, services.llm, cast, (id) => this.persons.get(id), services.memoryOptions, () => this.director.backgroundSignal);
      this.unsubscribe.push(this.memoryWriter.watch(this.conversation));
      this.people = new PeopleHandlers({
        state: this.state, avatars: services.personAvatars, characters: cast,
        allow: (client, type) => this.guard.allow(client, type),
        fail: (client, code, message) => this.guard.fail(client, code, message),
        parse: (client, schema, raw) => this.parse(client, schema, raw),
      });
      this.director = new Director({
        characters: cast,
        log: this.conversation,
        llm: services.llm,
        voices: this.table.locale.voices.forTurns,
        llmKeyPrefix: `${this.tableId}/`,
        maxTokens: services.maxTokens,
        memory: this.memoryWriter,
        reports: this.playbackReports,
        settings: () => this.settings(),
        streaming: () => services.settings.streaming,
        timing: services.directorTiming,
        people: () => [...this.state.people.values()].map((p) => ({ id: p.sessionId, name: p.name, kind: "person" as const })),
        sink: this.audio.sink,
        onCharacterLeft: (id) => { this.state.characters.delete(id); this.table.liveCast.left(id); },
        presence: this.people.gaze.wrap({
          setState: (id, s) => { const c = this.state.characters.get(id); if (c) c.state = s; },
          setEmotion: (id, e) => { const c = this.state.characters.get(id); if (c) c.emotion = e; },
          setLookAt: (id, target) => { const c = this.state.characters.get(id); if (c) c.lookAt = target; },
        }),
      });
      this.unsubscribe.push(this.table.liveCast.attach(seatingOf(this.state, () => this.director, services.avatars, cast)));
      this.memory = new MemoryHandlers({
        store: services.store, table: this.tableId, conversation: this.conversation, writer: this.memoryWriter,
        hasCharacter: (id) => this.state.characters.has(id),
        person: (id) => this.persons.get(id),
        sessionsOf: (personId) => [...this.persons].filter(([, p]) => p.personId === personId).map(([s]) => s),
        fail: (client, message) => this.guard.fail(client, ErrorCode.badMessage, message),
      });
      this.voice = new VoiceHandlers({
        director: () => this.director,
        log: this.conversation,
        asr: this.table.asr,
        turnModel: services.turnModel ?? null,
        options: services.voiceOptions,
        personName: (id) => this.state.people.get(id)?.name ?? "Guest",
        setSpeaking: (id, speaking) => { const p = this.state.people.get(id); if (p) p.speaking = speaking; this.people.speaking(id, speaking); },
        fail: (client, code, message) => this.guard.fail(client, code, message),
        allow: (client, type) => this.guard.allow(client, type),
        mayTalk: (client) => this.mayTalk(client),
        echo: this.audio.echo,
        onEcho: (sessionId) => services.onEcho?.(this.tableId, sessionId),
        relay: this.audio.relay,
      });
      this.voice.register(this);
      this.people.register(this);
      for (const [type, handler] of Object.entries(this.handlers())) {
        this.onMessage(type, (client, raw) => {
          if (!this.guard.allow(client, type)) return;
          void Promise.resolve(handler(client, raw)).catch((err: unknown) => this.onUncaughtException(err as Error, "onMessage"));
        });
      }
      this.onMessage("*", (client, type) => {
        this.guard.note(client, "unknown message types");
        this.guard.fail(client, ErrorCode.unknownMessage, `Unknown message type "${String(type).slice(0, 40)}".`);
      });
    }

    /**
     * Looks at every frame before Colyseus decodes it: an oversized or undecodable
     * frame gets a clear error and is dropped, and the connection stays. (Colyseus
     * would close the connection and print a stack trace for each one.)
     */
    private guardFrames(): void {
      const self = this as unknown as { _onMessage: RawMessageHandler };
      const original = self._onMessage.bind(this);
      self._onMessage = (client, buffer) => {
        const verdict = inspectFrame(buffer);
        if (verdict.ok) { original(client, buffer); return; }
        this.guard.note(client, verdict.cause);
        this.guard.fail(client, verdict.code, `Dropped ${verdict.cause}.`);
      };
    }

    /** An exception in any handler or room timer: logged once a minute per kind; the table goes on. */
    override onUncaughtException(error: Error, methodName: string): void {
      services.onFault?.(error, methodName);
      log.errorOnce(`room ${this.roomId} ${methodName}`, `${methodName} failed: ${errorMessage(error)}`);
    }

    private settings(): RoomSettings {
      const s = this.state.settings;
      return { policy: s.policy as RoomSettings["policy"], everyoneTalks: s.everyoneTalks, interruptSensitivity: s.interruptSensitivity, speculation: s.speculation, maxAutoTurns: s.maxAutoTurns, language: this.table.locale.language.get() };
    }

    private roleOf(client: Client): Role { return (client.auth as { role?: Role } | undefined)?.role ?? "guest"; }

    private handlers(): Record<string, Handler> {
      const with_ = <S extends z.ZodType>(schema: S, fn: (client: Client, msg: z.infer<S>) => void | Promise<void>): Handler =>
        (client, raw) => { const msg = this.parse(client, schema, raw); if (msg !== null) return fn(client, msg); };
      // what only the table's host may do
      const host = <S extends z.ZodType>(schema: S, what: string, fn: (client: Client, msg: z.infer<S>) => void | Promise<void>): Handler =>
        with_(schema, (client, msg) => {
          if (this.roleOf(client) === "host") return fn(client, msg);
          this.guard.fail(client, ErrorCode.forbidden, `Only the table's host can ${what}.`);
        });
      const speaking = (client: Client): boolean => this.mayTalk(client);
      return {
        [ClientMessage.chat]: with_(ChatPayload, (client, msg) => { if (speaking(client)) this.director.onPersonMessage({ id: client.sessionId, name: this.nameOf(client) }, msg.text, { trace: LatencyTrace.typed() }); }),
        [ClientMessage.stop]: with_(NoPayload, () => this.director.stop()),
        [ClientMessage.nominate]: with_(NominatePayload, (client, msg) => {
          if (!this.state.characters.has(msg.characterId)) { this.guard.fail(client, ErrorCode.badMessage, `no character "${msg.characterId.slice(0, 40)}" here`); return; }
          if (speaking(client)) this.director.nominate(msg.characterId, client.sessionId);
        }),
        [ClientMessage.settings]: host(RoomSettingsPayload, "change the table's settings", async (_client, msg) => {
          Object.assign(this.state.settings, msg);
          if (msg.language) this.table.locale.language.set(msg.language);
          await services.tables.saveSettings(this.tableId, msg);
        }),
        [ClientMessage.setName]: with_(SetNamePayload, async (client, msg) => {
          const person = this.state.people.get(client.sessionId);
          const ref = this.persons.get(client.sessionId);
          if (!person || !ref) return;
          person.name = ref.name = this.freeName(msg.name, client.sessionId);
          await services.store.seePerson(ref.personId, ref.name);
        }),
        // how far this client's playback got: what was heard, if the utterance is cut
        [ClientMessage.playback]: with_(PlaybackPayload, (client, msg) => {
          this.playbackReports.report(msg.utteranceId, msg.playedSamples);
          this.audio.played(client.sessionId, msg.utteranceId, msg.playedSamples);
        }),
        // this page played something later than the room reckoned: its echo comes later too
        [ClientMessage.playoutGap]: with_(PlayoutGapPayload, (client, msg) => this.audio.gap(client.sessionId, msg)),
        [ClientMessage.memoryGet]: with_(MemoryGetPayload, (client, msg) => this.memory.send(client, msg.characterId)),
        [ClientMessage.memoryForget]: with_(MemoryForgetPayload, (client, msg) => this.memory.forget(client, msg.characterId, msg.factId)),
        [ClientMessage.memoryForgetMe]: with_(NoPayload, (client) => this.memory.forgetMe(client)),
        [ClientMessage.personMute]: host(PersonMutePayload, "mute people", (_client, msg) => {
          const p = this.state.people.get(msg.sessionId);
          if (!p) return;
          p.muted = msg.muted;
          // a muted person's speech in flight ends unheard, and what it paused goes on
          if (msg.muted) this.voice.leave(msg.sessionId);
        }),
        [ClientMessage.personRemove]: host(PersonRemovePayload, "ask people to leave", (client, msg) => {
          const other = this.clients.find((c) => c.sessionId === msg.sessionId);
          if (!other || other === client) return;
          other.leave(CLOSE_REMOVED, "The host asked you to leave this table.");
        }),
      };
    }

    /** false (after telling them) when the host has muted this person */
    private mayTalk(client: Client): boolean {
      if (!this.state.people.get(client.sessionId)?.muted) return true;
      this.guard.fail(client, ErrorCode.noSpeakingRights, "The host has muted you at this table.");
      return false;
    }

    private nameOf(client: Client): string { return this.state.people.get(client.sessionId)?.name ?? "Guest"; }

    /** A name nobody else at the table uses, character or person ("Ada" becomes "Ada 2"). */
    private freeName(name: string, sessionId: string): string {
      const taken = [
        ...this.table.cast.flatMap((c) => [c.name, ...c.nicknames]),
        ...[...this.state.people.values()].filter((p) => p.sessionId !== sessionId).map((p) => p.name),
      ];
      return uniqueName(name, taken);
    }

    private parse<S extends z.ZodType>(client: Client, schema: S, raw: unknown): z.infer<S> | null {
      const r = schema.safeParse(raw);
      if (r.success) return r.data;
      const issue = r.error.issues[0];
      this.guard.note(client, "malformed messages");
      this.guard.fail(client, issue?.code === "too_big" ? ErrorCode.tooLong : ErrorCode.badMessage, issue ? `${issue.path.join(".") || "message"}: ${issue.message}` : "malformed message");
      return null;
    }

    /** Who may sit down: the invite decides the role; a full table says so. */
    override async onAuth(_client: Client, options: unknown): Promise<{ role: Role }> {
      const invite = typeof (options as { invite?: unknown } | null)?.invite === "string" ? (options as { invite: string }).invite : undefined;
      // the stored invite: another process may have revoked it since this table opened here
      const role = services.access.roleAt((await services.tables.get(this.tableId)) ?? this.table.record, invite);
      if (!role) throw new ServerError(4003, invite ? "This invite link is not valid (it may have been revoked): ask the host for a new one." : "This table is private: open it with the invite link its host gave you.");
      if (this.state.people.size + this.joining >= TABLE_LIMITS.maxPeople) throw new ServerError(4004, `This table is full: ${TABLE_LIMITS.maxPeople} people are at it already.`);
      this.joining++;
      return { role };
    }

    override async onJoin(client: Client, options: unknown): Promise<void> {
      this.joining = Math.max(0, this.joining - 1);
      await this.people.prepare(options);
      if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = null; }
      const opts = JoinOptions.safeParse(options ?? {});
      const personId = (opts.success && opts.data.personId) || `anon-${randomUUID()}`;
      const name = this.freeName((opts.success && opts.data.name) || serverText(this.table.locale.language.get()).guest(++this.guestCount), client.sessionId);
      this.persons.set(client.sessionId, { personId, name });
      const person = this.people.seat(client.sessionId, name, options);
      person.role = this.roleOf(client);
      this.state.people.set(client.sessionId, person);
      log.info(`${JSON.stringify(name)} joined table ${JSON.stringify(this.table.record.name)} as ${this.roleOf(client)}`);
      await services.store.seePerson(personId, name).catch((err: unknown) => log.error(`could not record a person: ${errorMessage(err)}`));
    }

    override onLeave(client: Client): void {
      this.voice.leave(client.sessionId);
      this.people.leave(client.sessionId);
      this.audio.forget(client.sessionId);
      this.state.people.delete(client.sessionId);
      this.guard.forget(client.sessionId);
      if (this.state.people.size > 0) return;
      // the person's lines keep their name for the memory writer until it has run
      void this.memoryWriter.writeNow();
      // an empty table gives its model sequences back for other tables, after a while
      this.idleTimer = setTimeout(() => { this.idleTimer = null; services.llm.release(`${this.tableId}/`); }, TABLE_IDLE_MS);
    }

    override async onDispose(): Promise<void> {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.voice.close();
      for (const u of this.unsubscribe) u();
      await this.director.dispose();
      // the table is ending: memories get a last chance, on a signal of their own
      await this.memoryWriter.writeNow(AbortSignal.timeout(30_000));
      await this.memoryWriter.close();
      await this.saving;
      services.llm.release(`${this.tableId}/`);
    }
  };
}

/**
 * The Colyseus room, kept thin: lifecycle hooks and validated message handlers.
 * The director does the conversation; the mirror keeps state in step; the memory
 * store keeps what was said and what characters remember.
 */
import { Room, type Client } from "@colyseus/core";
import {
  ChatPayload, SetNamePayload, PlaybackPayload, JoinOptions, NominatePayload, RoomSettingsPayload, MemoryGetPayload, MemoryForgetPayload,
  ClientMessage, ServerMessage, ErrorCode, LIMITS, DEFAULT_ROOM_SETTINGS, characterSeats,
  type CharacterConfig, type ErrorPayload, type RoomSettings, type MemoryPayload, type VoiceConfig,
} from "@parley/shared";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { RoomState, CharacterSchema } from "./state.js";
import { RateLimiter } from "./RateLimiter.js";
import { mirrorLlm, mirrorLog, mirrorModels, TRANSCRIPT_LINES } from "./mirror.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import { Director, type DirectorDeps } from "../director/Director.js";
import { ConversationLog, type LogEntry } from "../director/ConversationLog.js";
import type { LlmHost } from "../llm/LlmHost.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { DEFAULT_TABLE as TABLE, type MemoryStore } from "../memory/MemoryStore.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";
import { MemoryWriter, type MEMORY_DEFAULTS, type PersonRef } from "../memory/MemoryWriter.js";
import { log } from "../util/log.js";
import { VoiceHandlers } from "./voiceHandlers.js";
import { PlaybackReports } from "../speech/PlaybackReports.js";
import type { AsrProvider } from "../asr/types.js";
import type { VOICE_DEFAULTS } from "../voice/PersonVoice.js";
import { ServerMessage as SM } from "@parley/shared";
import { PeopleHandlers } from "./peopleHandlers.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";

export interface RoomServices {
  characters: readonly CharacterConfig[];
  llm: LlmHost;
  voices: { route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> };
  memory: MemoryStore;
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
  /** the speech recognizer for people's microphones (null: voice input off) */
  asr: AsrProvider | null;
  voiceOptions?: Partial<typeof VOICE_DEFAULTS>;
  /** the avatars people wear: the generated cast or their own VRM */
  personAvatars: PersonAvatars;
}


export function createParleyRoom(services: RoomServices): typeof Room<{ state: InstanceType<typeof RoomState> }> {
  return class ParleyRoom extends Room<{ state: InstanceType<typeof RoomState> }> {
    override maxClients = 16;
    // a flood is dropped by Colyseus past this, counted as messages reach the server: a talking
    // person sends ~31 microphone frames, ~16 mouth frames and up to 10 head poses a second, and
    // a busy event loop takes a second's worth at once; the per-kind limits answer politely first
    override maxMessagesPerSecond = 200;
    override state = new RoomState();
    private conversation = new ConversationLog();
    private director!: Director;
    private memoryWriter!: MemoryWriter;
    private chatLimit = new RateLimiter(LIMITS.chatBurst, LIMITS.chatWindowMs);
    private guestCount = 0;
    /** session -> the person behind it (their browser's stable id stays on the server) */
    private persons = new Map<string, PersonRef>();
    private unsubscribe: (() => void)[] = [];
    private voice!: VoiceHandlers;
    private people!: PeopleHandlers;
    private readonly playbackReports = new PlaybackReports();

    override onCreate(): void {
      const seats = characterSeats(services.characters.length);
      services.characters.forEach((c, i) => {
        this.state.characters.set(c.id, new CharacterSchema({
          id: c.id, name: c.name, seat: seats[i]!, avatarUrl: services.avatars.urlFor(c), color: c.color, state: "idle", emotion: "neutral", lookAt: "",
        }));
      });
      Object.assign(this.state.settings, DEFAULT_ROOM_SETTINGS);
      this.unsubscribe.push(mirrorLlm(this.state, services.llm), mirrorLog(this.state, this.conversation), mirrorModels(this.state, services.models));
      // a new avatar uploaded for a character: everyone at the table reloads it
      const onAvatar = (id: string): void => {
        const c = services.characters.find((x) => x.id === id);
        const s = this.state.characters.get(id);
        if (c && s) s.avatarUrl = services.avatars.urlFor(c);
      };
      services.avatars.on("changed", onAvatar);
      this.unsubscribe.push(() => services.avatars.off("changed", onAvatar));
      this.conversation.restore(services.memory.recentLines(TABLE, TRANSCRIPT_LINES));
      const persist = (e: LogEntry): void => {
        if (e.done) services.memory.saveLine(TABLE, e, this.persons.get(e.speakerId)?.personId ?? null);
      };
      this.conversation.on("add", persist);
      this.conversation.on("update", persist);
      this.memoryWriter = new MemoryWriter(services.memory, services.llm, services.characters, (id) => this.persons.get(id), services.memoryOptions);
      this.unsubscribe.push(this.memoryWriter.watch(this.conversation));
      this.people = new PeopleHandlers({
        state: this.state, avatars: services.personAvatars, characters: services.characters,
        fail: (client, code, message) => this.fail(client, code, message),
        parse: (client, schema, raw) => this.parse(client, schema, raw),
      });
      this.director = new Director({
        characters: services.characters,
        log: this.conversation,
        llm: services.llm,
        voices: services.voices,
        maxTokens: services.maxTokens,
        memory: this.memoryWriter,
        reports: this.playbackReports,
        settings: () => this.settings(),
        streaming: () => services.settings.streaming,
        timing: services.directorTiming,
        people: () => [...this.state.people.values()].map((p) => ({ id: p.sessionId, name: p.name, kind: "person" as const })),
        sink: {
          start: (m) => this.broadcast(ServerMessage.uttStart, m),
          chunk: (m) => this.broadcast(ServerMessage.uttChunk, m),
          end: (m) => this.broadcast(ServerMessage.uttEnd, m),
          cancel: (m) => this.broadcast(ServerMessage.uttCancel, m),
          pause: (m) => this.broadcast(SM.uttPause, m),
        },
        presence: this.people.gaze.wrap({
          setState: (id, s) => { const c = this.state.characters.get(id); if (c) c.state = s; },
          setEmotion: (id, e) => { const c = this.state.characters.get(id); if (c) c.emotion = e; },
          setLookAt: (id, target) => { const c = this.state.characters.get(id); if (c) c.lookAt = target; },
        }),
      });
      this.voice = new VoiceHandlers({
        director: () => this.director,
        log: this.conversation,
        asr: services.asr,
        options: services.voiceOptions,
        personName: (id) => this.state.people.get(id)?.name ?? "Guest",
        setSpeaking: (id, speaking) => { const p = this.state.people.get(id); if (p) p.speaking = speaking; this.people.speaking(id, speaking); },
        fail: (client, code, message) => this.fail(client, code, message),
      });
      this.voice.register(this);
      this.people.register(this);
      this.registerHandlers();
    }

    private settings(): RoomSettings {
      const s = this.state.settings;
      return { policy: s.policy as RoomSettings["policy"], everyoneTalks: s.everyoneTalks, interruptSensitivity: s.interruptSensitivity, speculation: s.speculation, maxAutoTurns: s.maxAutoTurns };
    }

    private registerHandlers(): void {
      this.onMessage(ClientMessage.chat, (client, raw) => {
        const msg = this.parse(client, ChatPayload, raw);
        if (!msg) return;
        if (!this.chatLimit.allow(client.sessionId)) {
          this.fail(client, ErrorCode.tooFast, `Slow down: at most ${LIMITS.chatBurst} messages every ${LIMITS.chatWindowMs / 1000} s.`);
          return;
        }
        const person = this.state.people.get(client.sessionId);
        this.director.onPersonMessage({ id: client.sessionId, name: person?.name ?? "Guest" }, msg.text);
      });
      this.onMessage(ClientMessage.stop, (client, raw) => {
        if (raw !== undefined && raw !== null && (typeof raw !== "object" || Object.keys(raw).length > 0)) {
          this.fail(client, ErrorCode.badMessage, "stop takes no payload");
          return;
        }
        this.director.stop();
      });
      this.onMessage(ClientMessage.nominate, (client, raw) => {
        const msg = this.parse(client, NominatePayload, raw);
        if (!msg) return;
        if (!this.state.characters.has(msg.characterId)) { this.fail(client, ErrorCode.badMessage, `no character "${msg.characterId.slice(0, 40)}" here`); return; }
        if (!this.chatLimit.allow(client.sessionId)) { this.fail(client, ErrorCode.tooFast, "Slow down."); return; }
        this.director.nominate(msg.characterId, client.sessionId);
      });
      this.onMessage(ClientMessage.settings, (client, raw) => {
        const msg = this.parse(client, RoomSettingsPayload, raw);
        if (msg) Object.assign(this.state.settings, msg);
      });
      this.onMessage(ClientMessage.setName, (client, raw) => {
        const msg = this.parse(client, SetNamePayload, raw);
        const person = this.state.people.get(client.sessionId);
        const ref = this.persons.get(client.sessionId);
        if (msg && person) person.name = msg.name;
        if (msg && ref) { ref.name = msg.name; services.memory.seePerson(ref.personId, msg.name); }
      });
      this.onMessage(ClientMessage.playback, (client, raw) => {
        // how far this client's playback got: what was heard, if the utterance is cut
        const msg = this.parse(client, PlaybackPayload, raw);
        if (msg) this.playbackReports.report(msg.utteranceId, msg.playedSamples);
      });
      this.onMessage(ClientMessage.memoryGet, (client, raw) => {
        const msg = this.parse(client, MemoryGetPayload, raw);
        if (msg) this.sendMemory(client, msg.characterId);
      });
      this.onMessage(ClientMessage.memoryForget, (client, raw) => {
        const msg = this.parse(client, MemoryForgetPayload, raw);
        const ref = this.persons.get(client.sessionId);
        if (!msg || !ref) return;
        services.memory.forget(msg.characterId, ref.personId, msg.factId);
        this.sendMemory(client, msg.characterId);
      });
      this.onMessage("*", (client, type) => {
        this.fail(client, ErrorCode.unknownMessage, `Unknown message type "${String(type).slice(0, 40)}".`);
      });
    }

    /** What a character remembers about the asking person (and only them). */
    private sendMemory(client: Client, characterId: string): void {
      const ref = this.persons.get(client.sessionId);
      if (!ref || !this.state.characters.has(characterId)) { this.fail(client, ErrorCode.badMessage, "unknown character"); return; }
      const payload: MemoryPayload = {
        characterId,
        facts: services.memory.facts(characterId, ref.personId),
        summaries: services.memory.summaries(characterId, 10, ref.personId).map(({ text, at }) => ({ text, at })),
      };
      client.send(ServerMessage.memory, payload);
    }

    private parse<S extends z.ZodType>(client: Client, schema: S, raw: unknown): z.infer<S> | null {
      const r = schema.safeParse(raw);
      if (r.success) return r.data;
      const issue = r.error.issues[0];
      const tooLong = issue?.code === "too_big";
      this.fail(client, tooLong ? ErrorCode.tooLong : ErrorCode.badMessage, issue ? `${issue.path.join(".") || "message"}: ${issue.message}` : "malformed message");
      return null;
    }

    private fail(client: Client, code: ErrorCode, message: string): void {
      const payload: ErrorPayload = { code, message };
      client.send(ServerMessage.error, payload);
    }

    override onJoin(client: Client, options: unknown): void {
      const opts = JoinOptions.safeParse(options ?? {});
      const name = (opts.success && opts.data.name) || `Guest ${++this.guestCount}`;
      const personId = (opts.success && opts.data.personId) || `anon-${randomUUID()}`;
      // a full table refuses the join before anything about the person is kept
      const person = this.people.seat(client.sessionId, name, options);
      this.persons.set(client.sessionId, { personId, name });
      services.memory.seePerson(personId, name);
      this.state.people.set(client.sessionId, person);
      log.info(`${name} joined room ${this.roomId}`);
    }

    override onLeave(client: Client): void {
      this.voice.leave(client.sessionId);
      this.people.leave(client.sessionId);
      this.state.people.delete(client.sessionId);
      this.chatLimit.forget(client.sessionId);
      // the person's lines keep their name for the memory writer until it has run
      if (this.state.people.size === 0) void this.memoryWriter.writeNow();
    }

    override async onDispose(): Promise<void> {
      this.voice.close();
      for (const u of this.unsubscribe) u();
      await this.director.dispose();
      await this.memoryWriter.writeNow();
      await this.memoryWriter.close();
      await services.memory.flush();
    }
  };
}

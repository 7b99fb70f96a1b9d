/**
 * The Colyseus room, kept thin: lifecycle hooks, validated message handlers, and a
 * mirror of the conversation into state. The director does the work.
 */
import { Room, type Client } from "@colyseus/core";
import {
  ChatPayload, SetNamePayload, PlaybackPayload, JoinOptions, ClientMessage, ServerMessage, ErrorCode, LIMITS,
  type CharacterConfig, type ErrorPayload,
} from "@parley/shared";
import type { z } from "zod";
import { RoomState, CharacterSchema, PersonSchema, LineSchema } from "./state.js";
import { RateLimiter } from "./RateLimiter.js";
import { Director } from "../director/Director.js";
import { ConversationLog, type LogEntry } from "../director/ConversationLog.js";
import type { LlmHost } from "../llm/LlmHost.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import type { VoiceConfig } from "@parley/shared";
import { log } from "../util/log.js";

export interface RoomServices {
  characters: readonly CharacterConfig[];
  llm: LlmHost;
  voices: { route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> };
  maxTokens: number;
  /** URL path of a character's avatar */
  avatarUrl: (c: CharacterConfig) => string;
  /** live settings that tools (benchmarks) may change */
  settings: { streaming: boolean };
}

/** transcript lines kept in state; the log keeps more */
const TRANSCRIPT_LINES = 100;

export function createParleyRoom(services: RoomServices): typeof Room<{ state: InstanceType<typeof RoomState> }> {
  return class ParleyRoom extends Room<{ state: InstanceType<typeof RoomState> }> {
    override maxClients = 16;
    // a flood is dropped by Colyseus past this; the chat limit below answers politely first
    override maxMessagesPerSecond = 60;
    override state = new RoomState();
    private conversation = new ConversationLog();
    private director!: Director;
    private chatLimit = new RateLimiter(LIMITS.chatBurst, LIMITS.chatWindowMs);
    private guestCount = 0;
    private unsubscribe: (() => void)[] = [];

    override onCreate(): void {
      services.characters.forEach((c, seat) => {
        this.state.characters.set(c.id, new CharacterSchema({
          id: c.id, name: c.name, seat, avatarUrl: services.avatarUrl(c), color: c.color, state: "idle", emotion: "neutral", lookAt: "",
        }));
      });
      this.mirrorLlm();
      this.mirrorLog();
      this.director = new Director({
        characters: services.characters,
        log: this.conversation,
        llm: services.llm,
        voices: services.voices,
        maxTokens: services.maxTokens,
        streaming: () => services.settings.streaming,
        people: () => [...this.state.people.values()].map((p) => ({ id: p.sessionId, name: p.name, kind: "person" as const })),
        sink: {
          start: (m) => this.broadcast(ServerMessage.uttStart, m),
          chunk: (m) => this.broadcast(ServerMessage.uttChunk, m),
          end: (m) => this.broadcast(ServerMessage.uttEnd, m),
          cancel: (m) => this.broadcast(ServerMessage.uttCancel, m),
        },
        presence: {
          setState: (id, s) => { const c = this.state.characters.get(id); if (c) c.state = s; },
          setEmotion: (id, e) => { const c = this.state.characters.get(id); if (c) c.emotion = e; },
          setLookAt: (id, target) => { const c = this.state.characters.get(id); if (c) c.lookAt = target; },
        },
      });

      this.onMessage(ClientMessage.chat, (client, raw) => {
        const msg = this.parse(client, ChatPayload, raw);
        if (!msg) return;
        if (!this.chatLimit.allow(client.sessionId)) {
          this.fail(client, ErrorCode.tooFast, `Slow down: at most ${LIMITS.chatBurst} messages every ${LIMITS.chatWindowMs / 1000} s.`);
          return;
        }
        const person = this.state.people.get(client.sessionId);
        void this.director.onPersonMessage({ id: client.sessionId, name: person?.name ?? "Guest" }, msg.text);
      });
      this.onMessage(ClientMessage.stop, (client, raw) => {
        if (raw !== undefined && raw !== null && (typeof raw !== "object" || Object.keys(raw).length > 0)) {
          this.fail(client, ErrorCode.badMessage, "stop takes no payload");
          return;
        }
        this.director.stop();
      });
      this.onMessage(ClientMessage.setName, (client, raw) => {
        const msg = this.parse(client, SetNamePayload, raw);
        const person = this.state.people.get(client.sessionId);
        if (msg && person) person.name = msg.name;
      });
      this.onMessage(ClientMessage.playback, (client, raw) => {
        // playback progress: validated here; the voices issue uses it for what was heard
        this.parse(client, PlaybackPayload, raw);
      });
      this.onMessage("*", (client, type) => {
        this.fail(client, ErrorCode.unknownMessage, `Unknown message type "${String(type).slice(0, 40)}".`);
      });
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

    private mirrorLlm(): void {
      const apply = (): void => {
        const s = services.llm.status;
        Object.assign(this.state.llm, { ready: s.ready, provider: s.provider, model: s.model, error: s.error, demo: s.demo, progress: s.progress });
      };
      apply();
      services.llm.on("status", apply);
      this.unsubscribe.push(() => services.llm.off("status", apply));
    }

    private mirrorLog(): void {
      const fields = (e: LogEntry) => ({
        id: e.id, kind: e.kind, speakerId: e.speakerId, speakerName: e.speakerName, text: e.text,
        heardText: e.heardText, interrupted: e.interrupted, error: e.error, done: e.done,
      });
      this.conversation.on("add", (e) => {
        this.state.transcript.push(new LineSchema(fields(e)));
        while (this.state.transcript.length > TRANSCRIPT_LINES) this.state.transcript.shift();
      });
      this.conversation.on("update", (e) => {
        const line = this.state.transcript.find((l) => l.id === e.id);
        if (line) Object.assign(line, fields(e));
      });
    }

    override onJoin(client: Client, options: unknown): void {
      const opts = JoinOptions.safeParse(options ?? {});
      const name = (opts.success && opts.data.name) || `Guest ${++this.guestCount}`;
      this.state.people.set(client.sessionId, new PersonSchema({ sessionId: client.sessionId, name, seat: this.state.people.size }));
      log.info(`${name} joined room ${this.roomId}`);
    }

    override onLeave(client: Client): void {
      this.state.people.delete(client.sessionId);
      this.chatLimit.forget(client.sessionId);
    }

    override async onDispose(): Promise<void> {
      for (const u of this.unsubscribe) u();
      await this.director.dispose();
    }
  };
}

/**
 * People at the table: each takes a free place in the ring shared with the
 * characters, wears an avatar (one of the cast, or their own VRM), and sends
 * where they look (kept in state: a slow fact) and their mouth shapes (compact
 * byte frames, relayed at once to everyone else at the table: fast data, never
 * state). Every message is validated and rate-limited per person.
 */
import { ServerError, type Client, type Room } from "@colyseus/core";
import {
  ClientMessage, ServerMessage, ErrorCode, PEOPLE_LIMITS, PersonAvatarPayload, PersonHeadPayload, RELAYED_VISEME_FRAME_BYTES,
  TABLE_PLACES, VISEME_FRAME_BYTES, castAvatarUrl, freePersonSeat, type CharacterConfig,
} from "@parley/shared";
import { z } from "zod";
import { HeadSchema, PersonSchema, type RoomState } from "./state.js";
import { RateLimiter } from "./RateLimiter.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";
import { PeopleGaze } from "../director/peopleGaze.js";

/** The join options this file reads (the room's JoinOptions lets them through). */
const PersonJoinOptions = z.object({ avatarUrl: PersonAvatarPayload.shape.avatarUrl.optional() }).passthrough();

/** Colyseus close code for a refused join: the table has no free place. */
export const TABLE_FULL = 4_409;

export interface PeopleDeps {
  state: InstanceType<typeof RoomState>;
  avatars: PersonAvatars;
  characters: readonly CharacterConfig[];
  fail: (client: Client, code: ErrorCode, message: string) => void;
  parse: <S extends z.ZodType>(client: Client, schema: S, raw: unknown) => z.infer<S> | null;
}

/** A limit that answers "too fast" once per window, then drops quietly (a flood must not become a flood of errors). */
class QuietLimit {
  private readonly limiter: RateLimiter;
  private readonly warned = new Map<string, number>();
  constructor(private readonly burst: number, private readonly windowMs: number, private readonly what: string) {
    this.limiter = new RateLimiter(burst, windowMs);
  }
  allow(client: Client, fail: PeopleDeps["fail"]): boolean {
    if (this.limiter.allow(client.sessionId)) return true;
    const now = Date.now();
    if (now - (this.warned.get(client.sessionId) ?? -Infinity) >= this.windowMs) {
      this.warned.set(client.sessionId, now);
      fail(client, ErrorCode.tooFast, `Slow down: at most ${this.burst} ${this.what} every ${this.windowMs / 1000} s.`);
    }
    return false;
  }
  forget(id: string): void { this.limiter.forget(id); this.warned.delete(id); }
}

export class PeopleHandlers {
  /** characters turn to whoever speaks: the director writes through this */
  readonly gaze: PeopleGaze;
  private readonly head = new QuietLimit(PEOPLE_LIMITS.headBurst, PEOPLE_LIMITS.headWindowMs, "head updates");
  private readonly visemes = new QuietLimit(PEOPLE_LIMITS.visemeBurst, PEOPLE_LIMITS.visemeWindowMs, "mouth frames");
  private readonly avatar = new QuietLimit(PEOPLE_LIMITS.avatarBurst, PEOPLE_LIMITS.avatarWindowMs, "avatar changes");
  /** one relay buffer: broadcast copies it into its own frame */
  private readonly relay = new Uint8Array(RELAYED_VISEME_FRAME_BYTES);

  constructor(private readonly d: PeopleDeps) {
    this.gaze = new PeopleGaze(d.characters.map((c) => c.id));
  }

  /** Seats a person who joins: a free place and an avatar; a full table refuses them. */
  seat(sessionId: string, name: string, options: unknown): InstanceType<typeof PersonSchema> {
    const s = this.d.state;
    const taken = new Set([...s.characters.values()].map((c) => c.seat).concat([...s.people.values()].map((p) => p.seat)));
    const seat = freePersonSeat(taken);
    if (seat === null) throw new ServerError(TABLE_FULL, `This table is full: all ${TABLE_PLACES} places are taken.`);
    const asked = PersonJoinOptions.safeParse(options ?? {});
    const wanted = asked.success ? asked.data.avatarUrl : undefined;
    const avatarUrl = wanted && this.d.avatars.fileFor(wanted) ? wanted : this.d.avatars.pick(this.worn());
    return new PersonSchema({ sessionId, name, seat, avatarUrl, head: new HeadSchema({ yaw: 0, pitch: 0 }) });
  }

  /** Avatars worn at the table now (a character wearing a cast file counts). */
  private worn(): Set<string> {
    return new Set([...this.d.state.people.values()].map((p) => p.avatarUrl).concat(this.d.characters.map((c) => castAvatarUrl(c.avatar))));
  }

  register(room: Room): void {
    const { state, fail, parse } = this.d;
    room.onMessage(ClientMessage.personHead, (client, raw) => {
      const p = state.people.get(client.sessionId);
      if (!p || !this.head.allow(client, fail)) return;
      const msg = parse(client, PersonHeadPayload, raw);
      if (!msg) return;
      p.head.yaw = msg.yaw;
      p.head.pitch = msg.pitch;
    });
    room.onMessageBytes(ClientMessage.personVisemes, (client, bytes: unknown) => {
      const p = state.people.get(client.sessionId);
      if (!p || !this.visemes.allow(client, fail)) return;
      if (!(bytes instanceof Uint8Array) || bytes.byteLength !== VISEME_FRAME_BYTES) {
        fail(client, ErrorCode.badMessage, `${ClientMessage.personVisemes} takes ${VISEME_FRAME_BYTES} bytes: one weight 0..255 per viseme`);
        return;
      }
      this.relay[0] = p.seat;
      this.relay.set(bytes, 1);
      room.broadcastBytes(ServerMessage.personVisemes, this.relay, { except: client });
    });
    room.onMessage(ClientMessage.personAvatar, (client, raw) => {
      const p = state.people.get(client.sessionId);
      if (!p || !this.avatar.allow(client, fail)) return;
      const msg = parse(client, PersonAvatarPayload, raw);
      if (!msg) return;
      if (!this.d.avatars.fileFor(msg.avatarUrl)) { fail(client, ErrorCode.badMessage, "no such avatar here: pick one of the cast or upload a VRM first"); return; }
      p.avatarUrl = msg.avatarUrl;
    });
  }

  /** Their microphone hears speech now (or stopped). */
  speaking(sessionId: string, on: boolean): void {
    this.gaze.personSpeaking(sessionId, on);
  }

  leave(sessionId: string): void {
    this.gaze.personSpeaking(sessionId, false);
    this.head.forget(sessionId);
    this.visemes.forget(sessionId);
    this.avatar.forget(sessionId);
  }
}

/**
 * People at the table: each takes a free place in the ring shared with the
 * characters (when all eight are taken, they watch from behind the ring, and
 * take the next place set free), wears an avatar (one of the cast, or their
 * own VRM), and sends
 * where they look (kept in state: a slow fact) and their mouth shapes (compact
 * byte frames, relayed at once to everyone else at the table: fast data, never
 * state). Every message is validated and rate-limited per person.
 */
import type { Client, Room } from "@colyseus/core";
import {
  ClientMessage, ServerMessage, ErrorCode, PersonAvatarPayload, PersonHeadPayload, RELAYED_VISEME_FRAME_BYTES,
  NO_SEAT, VISEME_FRAME_BYTES, castAvatarUrl, freePersonSeat, type CharacterConfig,
} from "@parley/shared";
import { z } from "zod";
import { HeadSchema, PersonSchema, type RoomState } from "./state.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";
import { PeopleGaze } from "../director/peopleGaze.js";

/** The join options this file reads (the room's JoinOptions lets them through). */
const PersonJoinOptions = z.object({ avatarUrl: PersonAvatarPayload.shape.avatarUrl.optional() }).passthrough();

export interface PeopleDeps {
  state: InstanceType<typeof RoomState>;
  avatars: PersonAvatars;
  characters: readonly CharacterConfig[];
  /** counts a message against its type's budget (ClientGuard); false: over it, the client was told */
  allow: (client: Client, type: string) => boolean;
  fail: (client: Client, code: ErrorCode, message: string) => void;
  parse: <S extends z.ZodType>(client: Client, schema: S, raw: unknown) => z.infer<S> | null;
}

export class PeopleHandlers {
  /** characters turn to whoever speaks: the director writes through this */
  readonly gaze: PeopleGaze;
  /** one relay buffer: broadcast copies it into its own frame */
  private readonly relay = new Uint8Array(RELAYED_VISEME_FRAME_BYTES);

  constructor(private readonly d: PeopleDeps) {
    this.gaze = new PeopleGaze(d.characters.map((c) => c.id));
  }

  /** Makes sure the avatar a joining person asks for is known here, if the store has it (call before `seat`). */
  async prepare(options: unknown): Promise<void> {
    const asked = PersonJoinOptions.safeParse(options ?? {});
    // a store that cannot answer now: the person gets one of the cast
    if (asked.success && asked.data.avatarUrl) await this.d.avatars.ensure(asked.data.avatarUrl).catch(() => false);
  }

  /** Seats a person who joins: a free place (or none, to watch) and an avatar. */
  seat(sessionId: string, name: string, options: unknown): InstanceType<typeof PersonSchema> {
    const seat = freePersonSeat(this.taken()) ?? NO_SEAT;
    const asked = PersonJoinOptions.safeParse(options ?? {});
    const wanted = asked.success ? asked.data.avatarUrl : undefined;
    const avatarUrl = wanted && this.d.avatars.known(wanted) ? wanted : this.d.avatars.pick(this.worn());
    return new PersonSchema({ sessionId, name, seat, avatarUrl, head: new HeadSchema({ yaw: 0, pitch: 0 }) });
  }

  private taken(): Set<number> {
    const s = this.d.state;
    return new Set([...s.characters.values()].map((c) => c.seat).concat([...s.people.values()].map((p) => p.seat)));
  }

  /** Avatars worn at the table now (a character wearing a cast file counts). */
  private worn(): Set<string> {
    return new Set([...this.d.state.people.values()].map((p) => p.avatarUrl).concat(this.d.characters.map((c) => castAvatarUrl(c.avatar))));
  }

  register(room: Room): void {
    const { state, fail, parse, allow } = this.d;
    room.onMessage(ClientMessage.personHead, (client, raw) => {
      const p = state.people.get(client.sessionId);
      if (!p || !allow(client, ClientMessage.personHead)) return;
      const msg = parse(client, PersonHeadPayload, raw);
      if (!msg) return;
      p.head.yaw = msg.yaw;
      p.head.pitch = msg.pitch;
    });
    room.onMessageBytes(ClientMessage.personVisemes, (client, bytes: unknown) => {
      const p = state.people.get(client.sessionId);
      if (!p || !allow(client, ClientMessage.personVisemes)) return;
      // someone watching from behind the ring has no face at the table to move; a muted person's voice is not taken
      if (p.seat === NO_SEAT || p.muted) return;
      if (!(bytes instanceof Uint8Array) || bytes.byteLength !== VISEME_FRAME_BYTES) {
        fail(client, ErrorCode.badMessage, `${ClientMessage.personVisemes} takes ${VISEME_FRAME_BYTES} bytes: one weight 0..255 per viseme`);
        return;
      }
      this.relay[0] = p.seat;
      this.relay.set(bytes, 1);
      room.broadcastBytes(ServerMessage.personVisemes, this.relay, { except: client });
    });
    room.onMessage(ClientMessage.personAvatar, async (client, raw) => {
      if (!state.people.get(client.sessionId) || !allow(client, ClientMessage.personAvatar)) return;
      const msg = parse(client, PersonAvatarPayload, raw);
      if (!msg) return;
      // an upload through another process may not have been heard of here yet: the store knows
      if (!(await this.d.avatars.ensure(msg.avatarUrl).catch(() => false))) { fail(client, ErrorCode.badMessage, "no such avatar here: pick one of the cast or upload a VRM first"); return; }
      const p = state.people.get(client.sessionId);
      if (p) p.avatarUrl = msg.avatarUrl;
    });
  }

  /** Their microphone hears speech now (or stopped). */
  speaking(sessionId: string, on: boolean): void {
    this.gaze.personSpeaking(sessionId, on);
  }

  /** The person leaves (still in state): their place goes to whoever has watched longest. */
  leave(sessionId: string): void {
    this.gaze.personSpeaking(sessionId, false);
    const freed = this.d.state.people.get(sessionId)?.seat ?? NO_SEAT;
    if (freed === NO_SEAT) return;
    for (const p of this.d.state.people.values()) {
      if (p.sessionId !== sessionId && p.seat === NO_SEAT) { p.seat = freed; return; }
    }
  }
}

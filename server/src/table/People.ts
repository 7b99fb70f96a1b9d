/**
 * People at the table: each joins with a name nobody else there uses (or a
 * guest's), takes a free place in the ring shared with the characters (when
 * all eight are taken, they watch from behind the ring, and take the next place
 * set free), wears an avatar (one of the cast, or their own VRM), and sends
 * where they look (kept in state: a slow fact) and their mouth shapes (compact
 * byte frames, relayed at once to everyone else: fast data, never state). The
 * host may mute people; a muted person's words are not taken.
 */
import {
  ServerMessage, ErrorCode, PersonAvatarPayload, RELAYED_VISEME_FRAME_BYTES, JoinOptions,
  NO_SEAT, VISEME_FRAME_BYTES, castAvatarUrl, freePersonSeat, type Language,
} from "@parley/shared";
import { z } from "zod";
import { randomUUID } from "node:crypto";
import { HeadSchema, PersonSchema, type RoomState } from "./state.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";
import type { Store } from "../store/Store.js";
import type { PersonRef } from "../memory/MemoryWriter.js";
import type { Seat } from "../brain/prompt.js";
import type { Role } from "../access/Access.js";
import type { Cast } from "./Cast.js";
import type { TableDoor } from "./TableDoor.js";
import { PeopleGaze } from "../director/peopleGaze.js";
import { uniqueName } from "./names.js";
import { serverText } from "../i18n/serverText.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

/** people at one table, at most */
export const MAX_PEOPLE = 16;

/** The join options this file reads (JoinOptions lets them through). */
const PersonJoinOptions = z.object({ avatarUrl: PersonAvatarPayload.shape.avatarUrl.optional() }).passthrough();

export interface PeopleDeps {
  state: InstanceType<typeof RoomState>;
  avatars: Pick<PersonAvatars, "ensure" | "known" | "pick">;
  cast: Cast;
  store: Pick<Store, "seePerson">;
  door: TableDoor;
  language: () => Language;
  tableName: () => string;
}

export class People {
  /** characters turn to whoever speaks: the director writes through this */
  readonly gaze: PeopleGaze;
  /** session -> the person behind it (their browser's stable id stays on the server) */
  private readonly persons = new Map<string, PersonRef>();
  /** people let in whose join has not finished yet */
  private joining = 0;
  private guestCount = 0;
  /** one relay buffer: broadcast copies it into its own frame */
  private readonly relay = new Uint8Array(RELAYED_VISEME_FRAME_BYTES);

  constructor(private readonly d: PeopleDeps) {
    this.gaze = new PeopleGaze(() => d.cast.list.map((c) => c.id));
  }

  private get state(): InstanceType<typeof RoomState> { return this.d.state; }

  get count(): number { return this.state.people.size; }

  /** Keeps a place for someone let in; false when the table is full. */
  reserve(): boolean {
    if (this.state.people.size + this.joining >= MAX_PEOPLE) return false;
    this.joining++;
    return true;
  }

  /** Seats a person who joins: a free name, a place (or none, to watch), an avatar. */
  async join(sessionId: string, role: Role, options: unknown): Promise<void> {
    this.joining = Math.max(0, this.joining - 1);
    const asked = PersonJoinOptions.safeParse(options ?? {});
    // the avatar asked for, if the store has it (one that cannot answer now: the person gets one of the cast)
    if (asked.success && asked.data.avatarUrl) await this.d.avatars.ensure(asked.data.avatarUrl).catch(() => false);
    const opts = JoinOptions.safeParse(options ?? {});
    const personId = (opts.success && opts.data.personId) || `anon-${randomUUID()}`;
    const name = this.freeName((opts.success && opts.data.name) || serverText(this.d.language()).guest(++this.guestCount), sessionId);
    this.persons.set(sessionId, { personId, name });
    const wanted = asked.success ? asked.data.avatarUrl : undefined;
    const avatarUrl = wanted && this.d.avatars.known(wanted) ? wanted : this.d.avatars.pick(this.worn());
    const seat = freePersonSeat(this.taken()) ?? NO_SEAT;
    this.state.people.set(sessionId, new PersonSchema({ sessionId, name, seat, avatarUrl, role, head: new HeadSchema({ yaw: 0, pitch: 0 }) }));
    log.info(`${JSON.stringify(name)} joined table ${JSON.stringify(this.d.tableName())} as ${role}`);
    await this.d.store.seePerson(personId, name).catch((err: unknown) => log.error(`could not record a person: ${errorMessage(err)}`));
  }

  /** The person leaves: their place goes to whoever has watched longest. */
  leave(sessionId: string): void {
    this.gaze.personSpeaking(sessionId, false);
    const freed = this.state.people.get(sessionId)?.seat ?? NO_SEAT;
    this.state.people.delete(sessionId);
    if (freed === NO_SEAT) return;
    for (const p of this.state.people.values()) {
      if (p.seat === NO_SEAT) { p.seat = freed; return; }
    }
  }

  /** The person behind a session (kept after they leave: their lines keep their name until memories are written). */
  person(sessionId: string): PersonRef | undefined { return this.persons.get(sessionId); }

  /** every session of that person at this table (they may have two tabs open) */
  sessionsOf(personId: string): string[] { return [...this.persons].filter(([, p]) => p.personId === personId).map(([s]) => s); }

  nameOf(sessionId: string): string { return this.state.people.get(sessionId)?.name ?? "Guest"; }

  isHost(sessionId: string): boolean { return this.state.people.get(sessionId)?.role === "host"; }

  /** the people at the table as the characters' prompts see them */
  seats(): Seat[] { return [...this.state.people.values()].map((p) => ({ id: p.sessionId, name: p.name, kind: "person" as const })); }

  /** the places people sit at */
  places(): number[] { return [...this.state.people.values()].map((p) => p.seat); }

  /** false (after telling them) when the host has muted this person */
  mayTalk(sessionId: string): boolean {
    if (!this.state.people.get(sessionId)?.muted) return true;
    this.d.door.fail(sessionId, ErrorCode.noSpeakingRights, "The host has muted you at this table.");
    return false;
  }

  /** Their microphone hears speech now (or stopped). */
  speaking(sessionId: string, on: boolean): void {
    const p = this.state.people.get(sessionId);
    if (p) p.speaking = on;
    this.gaze.personSpeaking(sessionId, on);
  }

  /** Whether the host's mute changed anything: true when `sessionId` is at the table. */
  mute(sessionId: string, muted: boolean): boolean {
    const p = this.state.people.get(sessionId);
    if (!p) return false;
    p.muted = muted;
    return true;
  }

  async rename(sessionId: string, name: string): Promise<void> {
    const person = this.state.people.get(sessionId);
    const ref = this.persons.get(sessionId);
    if (!person || !ref) return;
    person.name = ref.name = this.freeName(name, sessionId);
    await this.d.store.seePerson(ref.personId, ref.name);
  }

  head(sessionId: string, pose: { yaw: number; pitch: number }): void {
    const p = this.state.people.get(sessionId);
    if (!p) return;
    p.head.yaw = pose.yaw;
    p.head.pitch = pose.pitch;
  }

  /** One frame of the person's mouth shapes, for everyone else at the table. */
  visemes(sessionId: string, bytes: Uint8Array): void {
    const p = this.state.people.get(sessionId);
    // someone watching from behind the ring has no face at the table to move; a muted person's voice is not taken
    if (!p || p.seat === NO_SEAT || p.muted) return;
    if (bytes.byteLength !== VISEME_FRAME_BYTES) {
      this.d.door.fail(sessionId, ErrorCode.badMessage, `person:visemes takes ${VISEME_FRAME_BYTES} bytes: one weight 0..255 per viseme`);
      return;
    }
    this.relay[0] = p.seat;
    this.relay.set(bytes, 1);
    this.d.door.broadcastBytes(ServerMessage.personVisemes, this.relay, sessionId);
  }

  async wear(sessionId: string, avatarUrl: string): Promise<void> {
    if (!this.state.people.get(sessionId)) return;
    // an upload through another process may not have been heard of here yet: the store knows
    if (!(await this.d.avatars.ensure(avatarUrl).catch(() => false))) { this.d.door.fail(sessionId, ErrorCode.badMessage, "no such avatar here: pick one of the cast or upload a VRM first"); return; }
    const p = this.state.people.get(sessionId);
    if (p) p.avatarUrl = avatarUrl;
  }

  /** A name nobody else at the table uses, character or person ("Ada" becomes "Ada 2"). */
  private freeName(name: string, sessionId: string): string {
    const taken = [
      ...this.d.cast.list.flatMap((c) => [c.name, ...c.nicknames]),
      ...[...this.state.people.values()].filter((p) => p.sessionId !== sessionId).map((p) => p.name),
    ];
    return uniqueName(name, taken);
  }

  private taken(): Set<number> {
    return new Set([...this.state.characters.values()].map((c) => c.seat).concat(this.places()));
  }

  /** Avatars worn at the table now (a character wearing a cast file counts). */
  private worn(): Set<string> {
    return new Set([...this.state.people.values()].map((p) => p.avatarUrl).concat(this.d.cast.list.map((c) => castAvatarUrl(c.avatar))));
  }
}

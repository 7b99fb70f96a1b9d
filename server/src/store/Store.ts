/**
 * Everything a table keeps, behind one interface: the conversation (every
 * finished line), the people met, each character's memories (facts about
 * people, summaries of past conversations), the characters the user made or
 * imported, and uploaded avatars (record and bytes). The embedded SQLite file is the
 * default; every store passes the same conformance suite (storeConformance.ts).
 * A line is on disk when saveLine's promise resolves.
 */
import type { Language, RoomSettings } from "@parley/shared";
import type { LogEntry } from "../conversation/ConversationLog.js";

/** the conversation the bundled table continues */
export const DEFAULT_TABLE = "main";

export interface Fact { id: number; text: string; at: number }
export interface Summary { text: string; at: number; people: string[] }

/** A table: its cast, its language, its own invite, its settings. */
export interface TableRecord {
  id: string;
  name: string;
  /** character ids, in seat order */
  characters: string[];
  language: Language;
  /** the token a guest's link carries; a new one revokes the old */
  invite: string;
  /** the conversation settings, as the host last left them */
  settings: Partial<RoomSettings>;
  createdAt: number;
}

/** A character the user made, imported or edited (the bundled ones stay files). */
export interface CharacterRecord {
  id: string;
  /** the character's config as the library validated it (JSON) */
  config: unknown;
  updatedAt: number;
}

/**
 * An uploaded avatar's record; its VRM bytes are kept with it. Ids:
 * "character/<id>" (uploaded for a character), "own/<id>" (a character's own
 * VRM, from its card or the studio), "person/<sha256>" (a person's own).
 */
export interface AvatarRecord {
  id: string;
  /** what it is called (the character's name, or "") */
  name: string;
  /** whose it is: a character id, or "people" */
  owner: string;
  /** bytes */
  size: number;
  /** hex SHA-256 of the bytes */
  sha256: string;
  createdAt: number;
}

/** What "forget everything about me" removed. */
export interface ForgetReport { lines: number; redacted: number; facts: number; summaries: number }

export interface Store {
  /** "sqlite", ... */
  readonly kind: string;
  /** where it lives, for messages */
  readonly location: string;
  /** something the user should know about opening it (a damaged file set aside), or "" */
  readonly notice: string;

  seePerson(id: string, name: string): Promise<void>;

  /** Saves a finished line (again, if it changed). `personId` links a person's line to who said it. */
  saveLine(table: string, e: LogEntry, personId: string | null): Promise<void>;
  /** The last lines of a table, oldest first. */
  recentLines(table: string, limit: number): Promise<LogEntry[]>;
  allLines(table: string): Promise<LogEntry[]>;

  addFact(characterId: string, personId: string, text: string): Promise<number>;
  facts(characterId: string, personId: string): Promise<Fact[]>;
  /** Forgets one fact, or everything a character remembers about a person; returns how many. */
  forget(characterId: string, personId: string, factId?: number): Promise<number>;
  addSummary(characterId: string, personIds: readonly string[], text: string): Promise<void>;
  /** A character's summaries, newest first; only those a person took part in when `personId` is given. */
  summaries(characterId: string, limit: number, personId?: string): Promise<Summary[]>;

  /**
   * Forgets a person everywhere: their lines, their name in others' lines (as
   * `redactAs`), every fact about them, every summary of a conversation they were
   * in, and their record.
   */
  forgetPerson(personId: string, redactAs: string): Promise<ForgetReport>;

  saveTable(t: TableRecord): Promise<void>;
  table(id: string): Promise<TableRecord | null>;
  /** every table, oldest first */
  tables(): Promise<TableRecord[]>;

  saveCharacter(c: CharacterRecord): Promise<void>;
  character(id: string): Promise<CharacterRecord | null>;
  /** every stored character, by id */
  characters(): Promise<CharacterRecord[]>;
  /** true when there was one to delete */
  deleteCharacter(id: string): Promise<boolean>;

  /** Keeps an avatar (replacing one with the same id); `bytes` must match the record's size and sha256. */
  saveAvatar(a: AvatarRecord, bytes: Uint8Array): Promise<void>;
  avatar(id: string): Promise<AvatarRecord | null>;
  avatarBytes(id: string): Promise<Uint8Array | null>;
  /** every avatar's record (without bytes), by id */
  avatars(): Promise<AvatarRecord[]>;
  deleteAvatar(id: string): Promise<boolean>;

  /** A small named value the whole server keeps (the host's token, ...). */
  value(key: string): Promise<string | null>;
  setValue(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}

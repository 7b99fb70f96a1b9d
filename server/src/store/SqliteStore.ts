/**
 * The embedded store: one SQLite file in the data dir (SQLite compiled to WASM
 * with real file I/O, node-sqlite3-wasm: no native build, no download). Every
 * write is its own transaction with SQLite's rollback journal and full fsync, so
 * a `kill -9` loses no line that was saved and the file always opens. A file
 * that is not a readable database is set aside (renamed) and a new one started,
 * and the store says so in `notice`. One process owns the file: a pid file keeps
 * a second Parley off it and lets a restart after a crash clear stale locks.
 */
import sqlite3 from "node-sqlite3-wasm";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { LineKind } from "@parley/shared";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { AvatarRecord, CharacterRecord, Fact, ForgetReport, Store, Summary, TableRecord } from "./Store.js";
import { redactNames } from "./redact.js";
import { AVATAR_COLUMNS, LIBRARY_SCHEMA, avatarFromRow, bytesFromRow, characterFromRow, checkAvatarBytes } from "./libraryRows.js";

// a CommonJS module: its classes come off the default export under Node's ESM
const { Database } = sqlite3;
type Database = InstanceType<typeof Database>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lines (id TEXT PRIMARY KEY, room TEXT NOT NULL, kind TEXT NOT NULL, speaker_id TEXT NOT NULL, speaker_name TEXT NOT NULL,
  person_id TEXT, text TEXT NOT NULL, heard_text TEXT NOT NULL, interrupted INTEGER NOT NULL, error TEXT NOT NULL, addressee TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lines_at ON lines(room, at);
CREATE INDEX IF NOT EXISTS lines_person ON lines(person_id);
CREATE TABLE IF NOT EXISTS facts (id INTEGER PRIMARY KEY AUTOINCREMENT, character_id TEXT NOT NULL, person_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facts_by ON facts(character_id, person_id);
CREATE TABLE IF NOT EXISTS summaries (id INTEGER PRIMARY KEY AUTOINCREMENT, character_id TEXT NOT NULL, people TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tables (id TEXT PRIMARY KEY, name TEXT NOT NULL, characters TEXT NOT NULL, language TEXT NOT NULL, invite TEXT NOT NULL, settings TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export type Row = Record<string, string | number | bigint | null | Uint8Array>;
type Param = string | number | null | Uint8Array;

export class StoreBusyError extends Error {}

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === "EPERM"; }
};

export function lineFromRow(r: Row): LogEntry {
  return {
    id: String(r.id), kind: String(r.kind) as LineKind, speakerId: String(r.speaker_id), speakerName: String(r.speaker_name), text: String(r.text),
    heardText: String(r.heard_text), interrupted: Number(r.interrupted) === 1, error: String(r.error), addressee: String(r.addressee), at: Number(r.at), done: true,
  };
}

export function tableFromRow(r: Row): TableRecord {
  return {
    id: String(r.id), name: String(r.name), characters: JSON.parse(String(r.characters)) as string[], language: String(r.language) as TableRecord["language"],
    invite: String(r.invite), settings: JSON.parse(String(r.settings)) as TableRecord["settings"], createdAt: Number(r.created_at),
  };
}

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private closed = false;

  private constructor(private readonly db: Database, readonly location: string, readonly notice: string) {}

  /** Opens (or creates) the database file; a damaged file is set aside. */
  static open(path: string, now: () => Date = () => new Date()): SqliteStore {
    mkdirSync(dirname(path), { recursive: true });
    SqliteStore.claim(path);
    let notice = "";
    let db: Database;
    try {
      db = SqliteStore.openChecked(path);
    } catch (err) {
      const aside = `${path}.damaged-${now().toISOString().replace(/[:.]/g, "-")}`;
      renameSync(path, aside);
      for (const extra of ["-journal", "-wal", "-shm"]) if (existsSync(path + extra)) renameSync(path + extra, aside + extra);
      notice = `The conversation database ${path} could not be read (${(err as Error).message}); it was set aside as ${aside} and a new one was started.`;
      db = SqliteStore.openChecked(path);
    }
    return new SqliteStore(db, path, notice);
  }

  /** A store that lives in memory only (tests, throwaway tables). */
  static inMemory(): SqliteStore {
    return new SqliteStore(SqliteStore.openChecked(":memory:"), ":memory:", "");
  }

  private static openChecked(path: string): Database {
    const db = new Database(path);
    try {
      const check = db.get("PRAGMA quick_check") as Row | null;
      if (check && String(Object.values(check)[0]) !== "ok") throw new Error(`integrity check: ${String(Object.values(check)[0]).slice(0, 200)}`);
      db.exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;");
      db.exec(SCHEMA + LIBRARY_SCHEMA("BLOB", "INTEGER"));
      return db;
    } catch (err) {
      try { db.close(); } catch { /* already unusable */ }
      throw err;
    }
  }

  /** One process per file: refuse a live owner, clear what a dead one left behind. */
  private static claim(path: string): void {
    const pidFile = `${path}.pid`;
    const owner = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : 0;
    if (owner && owner !== process.pid && alive(owner)) throw new StoreBusyError(`${path} is in use by another Parley (pid ${owner}); give each one its own PARLEY_DATA_DIR`);
    // the WASM build locks with a directory; a process killed mid-write leaves it behind
    rmSync(`${path}.lock`, { recursive: true, force: true });
    writeFileSync(pidFile, String(process.pid));
  }

  private rows(sql: string, params: Param[] = []): Row[] { return this.db.all(sql, params) as Row[]; }
  private run(sql: string, params: Param[] = []): { changes: number; lastInsertRowid: number | bigint } { return this.db.run(sql, params); }

  async seePerson(id: string, name: string): Promise<void> {
    const now = Date.now();
    this.run("INSERT INTO people (id, name, first_seen, last_seen) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen", [id, name, now, now]);
  }

  async saveLine(table: string, e: LogEntry, personId: string | null): Promise<void> {
    this.run(
      `INSERT INTO lines (id, room, kind, speaker_id, speaker_name, person_id, text, heard_text, interrupted, error, addressee, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, heard_text = excluded.heard_text, interrupted = excluded.interrupted, error = excluded.error`,
      [e.id, table, e.kind, e.speakerId, e.speakerName, personId, e.text, e.heardText, e.interrupted ? 1 : 0, e.error, e.addressee, e.at],
    );
  }

  async recentLines(table: string, limit: number): Promise<LogEntry[]> {
    return this.rows("SELECT * FROM lines WHERE room = ? ORDER BY at DESC, rowid DESC LIMIT ?", [table, limit]).reverse().map(lineFromRow);
  }

  async allLines(table: string): Promise<LogEntry[]> { return this.recentLines(table, 1_000_000_000); }

  async addFact(characterId: string, personId: string, text: string): Promise<number> {
    return Number(this.run("INSERT INTO facts (character_id, person_id, text, at) VALUES (?, ?, ?, ?)", [characterId, personId, text, Date.now()]).lastInsertRowid);
  }

  async facts(characterId: string, personId: string): Promise<Fact[]> {
    return this.rows("SELECT id, text, at FROM facts WHERE character_id = ? AND person_id = ? ORDER BY at, id", [characterId, personId])
      .map((r) => ({ id: Number(r.id), text: String(r.text), at: Number(r.at) }));
  }

  async forget(characterId: string, personId: string, factId?: number): Promise<number> {
    return factId === undefined
      ? this.run("DELETE FROM facts WHERE character_id = ? AND person_id = ?", [characterId, personId]).changes
      : this.run("DELETE FROM facts WHERE character_id = ? AND person_id = ? AND id = ?", [characterId, personId, factId]).changes;
  }

  async addSummary(characterId: string, personIds: readonly string[], text: string): Promise<void> {
    this.run("INSERT INTO summaries (character_id, people, text, at) VALUES (?, ?, ?, ?)", [characterId, JSON.stringify(personIds), text, Date.now()]);
  }

  async summaries(characterId: string, limit: number, personId?: string): Promise<Summary[]> {
    return this.rows("SELECT text, at, people FROM summaries WHERE character_id = ? ORDER BY at DESC, id DESC", [characterId])
      .map((r) => ({ text: String(r.text), at: Number(r.at), people: JSON.parse(String(r.people)) as string[] }))
      .filter((s) => personId === undefined || s.people.includes(personId))
      .slice(0, limit);
  }

  async forgetPerson(personId: string, redactAs: string): Promise<ForgetReport> {
    const names = new Set<string>();
    for (const r of this.rows("SELECT name FROM people WHERE id = ?", [personId])) names.add(String(r.name));
    for (const r of this.rows("SELECT DISTINCT speaker_name FROM lines WHERE person_id = ?", [personId])) names.add(String(r.speaker_name));
    const tables = this.rows("SELECT DISTINCT room FROM lines WHERE person_id = ?", [personId]).map((r) => String(r.room));
    this.db.exec("BEGIN");
    try {
      const lines = this.run("DELETE FROM lines WHERE person_id = ?", [personId]).changes;
      let redacted = 0;
      for (const table of tables) {
        for (const r of this.rows("SELECT id, text, heard_text FROM lines WHERE room = ?", [table])) {
          const text = redactNames(String(r.text), names, redactAs);
          const heard = redactNames(String(r.heard_text), names, redactAs);
          if (text === r.text && heard === r.heard_text) continue;
          this.run("UPDATE lines SET text = ?, heard_text = ? WHERE id = ?", [text, heard, String(r.id)]);
          redacted++;
        }
      }
      const facts = this.run("DELETE FROM facts WHERE person_id = ?", [personId]).changes;
      const mine = this.rows("SELECT id, people FROM summaries").filter((r) => (JSON.parse(String(r.people)) as string[]).includes(personId));
      for (const r of mine) this.run("DELETE FROM summaries WHERE id = ?", [Number(r.id)]);
      this.run("DELETE FROM people WHERE id = ?", [personId]);
      this.db.exec("COMMIT");
      return { lines, redacted, facts, summaries: mine.length };
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  async saveTable(t: TableRecord): Promise<void> {
    this.run(
      `INSERT INTO tables (id, name, characters, language, invite, settings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, characters = excluded.characters, language = excluded.language, invite = excluded.invite, settings = excluded.settings`,
      [t.id, t.name, JSON.stringify(t.characters), t.language, t.invite, JSON.stringify(t.settings), t.createdAt],
    );
  }

  async table(id: string): Promise<TableRecord | null> {
    const r = this.rows("SELECT * FROM tables WHERE id = ?", [id])[0];
    return r ? tableFromRow(r) : null;
  }

  async tables(): Promise<TableRecord[]> {
    return this.rows("SELECT * FROM tables ORDER BY created_at, id").map(tableFromRow);
  }

  async saveCharacter(c: CharacterRecord): Promise<void> {
    this.run("INSERT INTO characters (id, config, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
      [c.id, JSON.stringify(c.config), c.updatedAt]);
  }

  async character(id: string): Promise<CharacterRecord | null> {
    const r = this.rows("SELECT * FROM characters WHERE id = ?", [id])[0];
    return r ? characterFromRow(r) : null;
  }

  async characters(): Promise<CharacterRecord[]> { return this.rows("SELECT * FROM characters ORDER BY id").map(characterFromRow); }

  async deleteCharacter(id: string): Promise<boolean> { return this.run("DELETE FROM characters WHERE id = ?", [id]).changes > 0; }

  async saveAvatar(a: AvatarRecord, bytes: Uint8Array): Promise<void> {
    checkAvatarBytes(a, bytes);
    this.run(
      `INSERT INTO avatars (${AVATAR_COLUMNS}, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, owner = excluded.owner, size = excluded.size, sha256 = excluded.sha256, created_at = excluded.created_at, bytes = excluded.bytes`,
      [a.id, a.name, a.owner, a.size, a.sha256, a.createdAt, bytes],
    );
  }

  async avatar(id: string): Promise<AvatarRecord | null> {
    const r = this.rows(`SELECT ${AVATAR_COLUMNS} FROM avatars WHERE id = ?`, [id])[0];
    return r ? avatarFromRow(r) : null;
  }

  async avatarBytes(id: string): Promise<Uint8Array | null> { return bytesFromRow(this.rows("SELECT bytes FROM avatars WHERE id = ?", [id])[0]); }

  async avatars(): Promise<AvatarRecord[]> { return this.rows(`SELECT ${AVATAR_COLUMNS} FROM avatars ORDER BY id`).map(avatarFromRow); }

  async deleteAvatar(id: string): Promise<boolean> { return this.run("DELETE FROM avatars WHERE id = ?", [id]).changes > 0; }

  async value(key: string): Promise<string | null> {
    const r = this.rows("SELECT value FROM kv WHERE key = ?", [key])[0];
    return r ? String(r.value) : null;
  }

  async setValue(key: string, value: string): Promise<void> {
    this.run("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    if (this.location !== ":memory:") rmSync(`${this.location}.pid`, { force: true });
  }
}

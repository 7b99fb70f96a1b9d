/**
 * Parley's embedded database (SQLite compiled to WASM, no native build): the
 * conversation log, the people met, and each character's memories (facts about
 * people, summaries of past conversations). Kept in memory, written to disk
 * atomically shortly after every change, so nothing said is lost on a restart.
 */
import { readFile, writeFile, rename, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import initSqlJs, { type Database } from "sql.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { LineKind } from "@parley/shared";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lines (id TEXT PRIMARY KEY, room TEXT NOT NULL, kind TEXT NOT NULL, speaker_id TEXT NOT NULL, speaker_name TEXT NOT NULL,
  person_id TEXT, text TEXT NOT NULL, heard_text TEXT NOT NULL, interrupted INTEGER NOT NULL, error TEXT NOT NULL, addressee TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lines_at ON lines(room, at);
CREATE TABLE IF NOT EXISTS facts (id INTEGER PRIMARY KEY AUTOINCREMENT, character_id TEXT NOT NULL, person_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facts_by ON facts(character_id, person_id);
CREATE TABLE IF NOT EXISTS summaries (id INTEGER PRIMARY KEY AUTOINCREMENT, character_id TEXT NOT NULL, people TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);
`;

/** the conversation a room continues (one table per server for now) */
export const DEFAULT_TABLE = "main";

export interface Fact { id: number; text: string; at: number }
export interface Summary { text: string; at: number; people: string[] }

export class MemoryStore {
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly db: Database, private readonly path: string | null, private readonly flushDelayMs: number) {}

  /** Opens (or creates) the database file; `null` keeps it in memory only. */
  static async open(path: string | null, flushDelayMs = 200): Promise<MemoryStore> {
    const SQL = await initSqlJs();
    const bytes = path && existsSync(path) ? new Uint8Array(await readFile(path)) : undefined;
    const db = new SQL.Database(bytes);
    db.exec(SCHEMA);
    return new MemoryStore(db, path, flushDelayMs);
  }

  private rows<T>(sql: string, params: (string | number | null)[] = []): T[] {
    const st = this.db.prepare(sql);
    try {
      st.bind(params);
      const out: T[] = [];
      while (st.step()) out.push(st.getAsObject() as T);
      return out;
    } finally {
      st.free();
    }
  }

  private run(sql: string, params: (string | number | null)[] = []): void {
    this.db.run(sql, params);
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    if (!this.path || this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flush(); }, this.flushDelayMs);
  }

  /** Writes pending changes to disk now (temp file, then rename). */
  flush(): Promise<void> {
    if (!this.path || !this.dirty) return this.writing;
    this.dirty = false;
    const data = this.db.export();
    const path = this.path;
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, path);
    });
    return this.writing;
  }

  seePerson(id: string, name: string): void {
    const now = Date.now();
    this.run("INSERT INTO people (id, name, first_seen, last_seen) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen", [id, name, now, now]);
  }

  /** Saves a transcript line (again, as it changes). `personId` links a person's line to who said it. */
  saveLine(room: string, e: LogEntry, personId: string | null): void {
    this.run(
      `INSERT INTO lines (id, room, kind, speaker_id, speaker_name, person_id, text, heard_text, interrupted, error, addressee, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, heard_text = excluded.heard_text, interrupted = excluded.interrupted, error = excluded.error`,
      [e.id, room, e.kind, e.speakerId, e.speakerName, personId, e.text, e.heardText, e.interrupted ? 1 : 0, e.error, e.addressee, e.at],
    );
  }

  /** The last lines of a room, oldest first. */
  recentLines(room: string, limit: number): LogEntry[] {
    return this.rows<Record<string, string | number>>("SELECT * FROM lines WHERE room = ? ORDER BY at DESC, rowid DESC LIMIT ?", [room, limit]).reverse().map((r) => ({
      id: String(r.id), kind: r.kind as LineKind, speakerId: String(r.speaker_id), speakerName: String(r.speaker_name), text: String(r.text),
      heardText: String(r.heard_text), interrupted: r.interrupted === 1, error: String(r.error), addressee: String(r.addressee), at: Number(r.at), done: true,
    }));
  }

  allLines(room: string): LogEntry[] { return this.recentLines(room, 1_000_000); }

  addFact(characterId: string, personId: string, text: string): number {
    this.run("INSERT INTO facts (character_id, person_id, text, at) VALUES (?, ?, ?, ?)", [characterId, personId, text, Date.now()]);
    return Number(this.rows<{ id: number }>("SELECT last_insert_rowid() AS id")[0]!.id);
  }

  facts(characterId: string, personId: string): Fact[] {
    return this.rows<Fact>("SELECT id, text, at FROM facts WHERE character_id = ? AND person_id = ? ORDER BY at, id", [characterId, personId]);
  }

  /** Forgets one fact, or everything a character remembers about a person; returns how many. */
  forget(characterId: string, personId: string, factId?: number): number {
    const before = this.facts(characterId, personId).length;
    if (factId === undefined) this.run("DELETE FROM facts WHERE character_id = ? AND person_id = ?", [characterId, personId]);
    else this.run("DELETE FROM facts WHERE character_id = ? AND person_id = ? AND id = ?", [characterId, personId, factId]);
    return before - this.facts(characterId, personId).length;
  }

  addSummary(characterId: string, personIds: readonly string[], text: string): void {
    this.run("INSERT INTO summaries (character_id, people, text, at) VALUES (?, ?, ?, ?)", [characterId, JSON.stringify(personIds), text, Date.now()]);
  }

  /** A character's summaries, newest first; only those a person took part in when `personId` is given. */
  summaries(characterId: string, limit: number, personId?: string): Summary[] {
    const all = this.rows<{ text: string; at: number; people: string }>("SELECT text, at, people FROM summaries WHERE character_id = ? ORDER BY at DESC, id DESC", [characterId]);
    return all.map((r) => ({ text: r.text, at: r.at, people: JSON.parse(r.people) as string[] }))
      .filter((s) => personId === undefined || s.people.includes(personId))
      .slice(0, limit);
  }

  async close(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    await this.flush();
    await this.writing;
    this.db.close();
  }
}

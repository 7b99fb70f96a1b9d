/**
 * The shared store: PostgreSQL (PARLEY_DATABASE_URL), for several Parley
 * processes keeping their tables in one place. The same tables and meanings as
 * the embedded SQLite file; a line is committed when saveLine resolves. A small
 * pool per process: each write is one statement (forgetting a person is one
 * transaction), so a few connections keep up with many tables.
 */
import pg from "pg";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { AvatarRecord, CharacterRecord, Fact, ForgetReport, Store, Summary, TableRecord } from "./Store.js";
import { AVATAR_COLUMNS, LIBRARY_SCHEMA, avatarFromRow, bytesFromRow, characterFromRow, checkAvatarBytes } from "./libraryRows.js";
import { lineFromRow, tableFromRow, type Row } from "./SqliteStore.js";
import { redactNames } from "./redact.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

/** connections one process keeps open at most */
const POOL_MAX = 4;

// `seq` orders lines saved in the same millisecond, as SQLite's rowid does
const SCHEMA = `
CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS lines (seq BIGSERIAL UNIQUE, id TEXT PRIMARY KEY, room TEXT NOT NULL, kind TEXT NOT NULL, speaker_id TEXT NOT NULL, speaker_name TEXT NOT NULL,
  person_id TEXT, text TEXT NOT NULL, heard_text TEXT NOT NULL, interrupted INTEGER NOT NULL, error TEXT NOT NULL, addressee TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS lines_at ON lines(room, at);
CREATE INDEX IF NOT EXISTS lines_person ON lines(person_id);
CREATE TABLE IF NOT EXISTS facts (id BIGSERIAL PRIMARY KEY, character_id TEXT NOT NULL, person_id TEXT NOT NULL, text TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS facts_by ON facts(character_id, person_id);
CREATE TABLE IF NOT EXISTS summaries (id BIGSERIAL PRIMARY KEY, character_id TEXT NOT NULL, people JSONB NOT NULL, text TEXT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tables (id TEXT PRIMARY KEY, name TEXT NOT NULL, characters TEXT NOT NULL, language TEXT NOT NULL, invite TEXT NOT NULL, settings TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
/** any constant: processes starting together make the schema one at a time */
const SCHEMA_LOCK = 0x7061726c;

export class StoreUnreachableError extends Error {}

/** The URL without its password, for messages. */
const shown = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch { return "(an unparseable PARLEY_DATABASE_URL)"; }
};

export class PostgresStore implements Store {
  readonly kind = "postgres";
  readonly notice = "";
  private closed = false;

  private constructor(private readonly pool: pg.Pool, readonly location: string) {}

  /** Connects and makes the schema if it is missing. */
  static async open(url: string): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: POOL_MAX, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
    // an idle connection the server drops must not end the process; the next query reconnects
    pool.on("error", (err) => log.errorOnce("postgres idle connection", `a PostgreSQL connection was lost: ${err.message}`));
    try {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
        await c.query(SCHEMA + LIBRARY_SCHEMA("BYTEA", "BIGINT"));
        await c.query("COMMIT");
      } catch (err) {
        await c.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        c.release();
      }
    } catch (err) {
      await pool.end().catch(() => {});
      throw new StoreUnreachableError(`cannot use the database ${shown(url)}: ${errorMessage(err)}`);
    }
    return new PostgresStore(pool, shown(url));
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> { return (await this.pool.query(sql, params)).rows as Row[]; }
  private async count(sql: string, params: unknown[] = []): Promise<number> { return (await this.pool.query(sql, params)).rowCount ?? 0; }

  async seePerson(id: string, name: string): Promise<void> {
    const now = Date.now();
    await this.pool.query("INSERT INTO people (id, name, first_seen, last_seen) VALUES ($1, $2, $3, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen", [id, name, now]);
  }

  async saveLine(table: string, e: LogEntry, personId: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO lines (id, room, kind, speaker_id, speaker_name, person_id, text, heard_text, interrupted, error, addressee, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET text = excluded.text, heard_text = excluded.heard_text, interrupted = excluded.interrupted, error = excluded.error`,
      [e.id, table, e.kind, e.speakerId, e.speakerName, personId, e.text, e.heardText, e.interrupted ? 1 : 0, e.error, e.addressee, e.at],
    );
  }

  async recentLines(table: string, limit: number): Promise<LogEntry[]> {
    const rows = await this.rows("SELECT * FROM lines WHERE room = $1 ORDER BY at DESC, seq DESC LIMIT $2", [table, limit]);
    return rows.reverse().map(lineFromRow);
  }

  async allLines(table: string): Promise<LogEntry[]> {
    return (await this.rows("SELECT * FROM lines WHERE room = $1 ORDER BY at, seq", [table])).map(lineFromRow);
  }

  async addFact(characterId: string, personId: string, text: string): Promise<number> {
    const [r] = await this.rows("INSERT INTO facts (character_id, person_id, text, at) VALUES ($1, $2, $3, $4) RETURNING id", [characterId, personId, text, Date.now()]);
    return Number(r!.id);
  }

  async facts(characterId: string, personId: string): Promise<Fact[]> {
    return (await this.rows("SELECT id, text, at FROM facts WHERE character_id = $1 AND person_id = $2 ORDER BY at, id", [characterId, personId]))
      .map((r) => ({ id: Number(r.id), text: String(r.text), at: Number(r.at) }));
  }

  async forget(characterId: string, personId: string, factId?: number): Promise<number> {
    return factId === undefined
      ? this.count("DELETE FROM facts WHERE character_id = $1 AND person_id = $2", [characterId, personId])
      : this.count("DELETE FROM facts WHERE character_id = $1 AND person_id = $2 AND id = $3", [characterId, personId, factId]);
  }

  async addSummary(characterId: string, personIds: readonly string[], text: string): Promise<void> {
    await this.pool.query("INSERT INTO summaries (character_id, people, text, at) VALUES ($1, $2, $3, $4)", [characterId, JSON.stringify(personIds), text, Date.now()]);
  }

  async summaries(characterId: string, limit: number, personId?: string): Promise<Summary[]> {
    const rows = await this.rows(
      "SELECT text, at, people FROM summaries WHERE character_id = $1 AND ($2::text IS NULL OR people ? $2) ORDER BY at DESC, id DESC LIMIT $3",
      [characterId, personId ?? null, limit],
    );
    return rows.map((r) => ({ text: String(r.text), at: Number(r.at), people: r.people as unknown as string[] }));
  }

  async forgetPerson(personId: string, redactAs: string): Promise<ForgetReport> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      const q = async (sql: string, params: unknown[]): Promise<pg.QueryResult> => c.query(sql, params);
      const names = new Set<string>();
      for (const r of (await q("SELECT name FROM people WHERE id = $1 UNION SELECT DISTINCT speaker_name FROM lines WHERE person_id = $1", [personId])).rows as { name: string }[]) names.add(r.name);
      const tables = ((await q("SELECT DISTINCT room FROM lines WHERE person_id = $1", [personId])).rows as { room: string }[]).map((r) => r.room);
      const lines = (await q("DELETE FROM lines WHERE person_id = $1", [personId])).rowCount ?? 0;
      let redacted = 0;
      for (const table of tables) {
        for (const r of (await q("SELECT id, text, heard_text FROM lines WHERE room = $1", [table])).rows as { id: string; text: string; heard_text: string }[]) {
          const text = redactNames(r.text, names, redactAs);
          const heard = redactNames(r.heard_text, names, redactAs);
          if (text === r.text && heard === r.heard_text) continue;
          await q("UPDATE lines SET text = $1, heard_text = $2 WHERE id = $3", [text, heard, r.id]);
          redacted++;
        }
      }
      const facts = (await q("DELETE FROM facts WHERE person_id = $1", [personId])).rowCount ?? 0;
      const summaries = (await q("DELETE FROM summaries WHERE people ? $1", [personId])).rowCount ?? 0;
      await q("DELETE FROM people WHERE id = $1", [personId]);
      await c.query("COMMIT");
      return { lines, redacted, facts, summaries };
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  async saveTable(t: TableRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO tables (id, name, characters, language, invite, settings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, characters = excluded.characters, language = excluded.language, invite = excluded.invite, settings = excluded.settings`,
      [t.id, t.name, JSON.stringify(t.characters), t.language, t.invite, JSON.stringify(t.settings), t.createdAt],
    );
  }

  async table(id: string): Promise<TableRecord | null> {
    const [r] = await this.rows("SELECT * FROM tables WHERE id = $1", [id]);
    return r ? tableFromRow(r) : null;
  }

  async tables(): Promise<TableRecord[]> {
    return (await this.rows("SELECT * FROM tables ORDER BY created_at, id")).map(tableFromRow);
  }

  async saveCharacter(c: CharacterRecord): Promise<void> {
    await this.pool.query("INSERT INTO characters (id, config, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
      [c.id, JSON.stringify(c.config), c.updatedAt]);
  }

  async character(id: string): Promise<CharacterRecord | null> {
    const [r] = await this.rows("SELECT * FROM characters WHERE id = $1", [id]);
    return r ? characterFromRow(r) : null;
  }

  async characters(): Promise<CharacterRecord[]> { return (await this.rows("SELECT * FROM characters ORDER BY id")).map(characterFromRow); }

  async deleteCharacter(id: string): Promise<boolean> { return (await this.count("DELETE FROM characters WHERE id = $1", [id])) > 0; }

  async saveAvatar(a: AvatarRecord, bytes: Uint8Array): Promise<void> {
    checkAvatarBytes(a, bytes);
    await this.pool.query(
      `INSERT INTO avatars (${AVATAR_COLUMNS}, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner = excluded.owner, size = excluded.size, sha256 = excluded.sha256, created_at = excluded.created_at, bytes = excluded.bytes`,
      [a.id, a.name, a.owner, a.size, a.sha256, a.createdAt, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
    );
  }

  async avatar(id: string): Promise<AvatarRecord | null> {
    const [r] = await this.rows(`SELECT ${AVATAR_COLUMNS} FROM avatars WHERE id = $1`, [id]);
    return r ? avatarFromRow(r) : null;
  }

  async avatarBytes(id: string): Promise<Uint8Array | null> { return bytesFromRow((await this.rows("SELECT bytes FROM avatars WHERE id = $1", [id]))[0]); }

  async avatars(): Promise<AvatarRecord[]> { return (await this.rows(`SELECT ${AVATAR_COLUMNS} FROM avatars ORDER BY id`)).map(avatarFromRow); }

  async deleteAvatar(id: string): Promise<boolean> { return (await this.count("DELETE FROM avatars WHERE id = $1", [id])) > 0; }

  async value(key: string): Promise<string | null> {
    const [r] = await this.rows("SELECT value FROM kv WHERE key = $1", [key]);
    return r ? String(r.value) : null;
  }

  async setValue(key: string, value: string): Promise<void> {
    await this.pool.query("INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

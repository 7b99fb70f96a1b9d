/**
 * The tables this server keeps: each has an id (its address, /t/<id>), a name,
 * a cast of 1 to 6 characters, a language, its own invite and its own settings,
 * all in the store. The default table ("main", the bundled cast) opens at `/`.
 * The registry holds one Table per table this process has been asked about,
 * built once, and opens it here when its room is here; it outlives every room.
 */
import { LANGUAGES, type CharacterConfig, type Language, type RoomSettings } from "@parley/shared";
import { z } from "zod";
import type { TableRecord } from "../store/Store.js";
import { DEFAULT_TABLE } from "../store/Store.js";
import { newToken } from "../access/Access.js";
import { randomBytes } from "node:crypto";
import type { CharacterLibrary } from "../library/CharacterLibrary.js";
import { LibraryBus } from "../cluster/LibraryBus.js";
import { CastAcrossProcesses } from "./CastAcrossProcesses.js";
import { MAX_SEATED, type Cast } from "./Cast.js";
import { MAX_PEOPLE } from "./People.js";
import { Table } from "./Table.js";
import type { TableServices } from "./TableServices.js";

export const TABLE_LIMITS = {
  /** characters at one table */
  maxCast: MAX_SEATED,
  /** people at one table */
  maxPeople: MAX_PEOPLE,
  /** places around the table, shared by characters and people */
  places: 8,
  nameMaxChars: 60,
} as const;

/** What a host sends to make a table. */
export const NewTablePayload = z.object({
  name: z.string().trim().min(1, "a table needs a name").max(TABLE_LIMITS.nameMaxChars)
    .refine((n) => !/[\p{Cc}\p{Cf}]/u.test(n), "a table's name is one line of visible text"),
  characters: z.array(z.string().max(64)).min(1, "choose at least one character").max(TABLE_LIMITS.maxCast, `at most ${TABLE_LIMITS.maxCast} characters sit at a table`)
    .refine((ids) => new Set(ids).size === ids.length, "a character can sit at a table only once"),
  language: z.enum(LANGUAGES),
}).strict();
export type NewTablePayload = z.infer<typeof NewTablePayload>;

const NO_BUS = new LibraryBus(null);

export class TableError extends Error {
  constructor(message: string, readonly status: number) { super(message); }
}

export interface TableRegistryDeps extends TableServices {
  /** every character this server knows: bundled and the user's own */
  library: Pick<CharacterLibrary, "get" | "list" | "on" | "sync">;
  /** the language the default table opens in */
  defaultLanguage: Language;
  /** word between processes sharing the store (a cast changed where the table does not live) */
  bus?: LibraryBus;
}

export class TableRegistry {
  private readonly tables = new Map<string, Table>();

  constructor(private readonly d: TableRegistryDeps) {}

  /** changes to one table's record, one after another (none overwrites another) */
  private readonly changes = new Map<string, Promise<unknown>>();

  private change(id: string, fn: (t: TableRecord) => TableRecord): Promise<TableRecord | null> {
    const run = (this.changes.get(id) ?? Promise.resolve()).catch(() => {}).then(async () => {
      const t = (await this.d.store.table(id)) ?? this.tables.get(id)?.record;
      if (!t) return null;
      const next = fn(t);
      await this.d.store.saveTable(next);
      const table = this.tables.get(id);
      if (table) table.record = next;
      return next;
    });
    this.changes.set(id, run);
    return run;
  }

  private characters(): CharacterConfig[] { return this.d.library.list().map((e) => e.character); }

  /** Makes sure the default table exists (the bundled cast, the configured language). */
  async init(): Promise<TableRecord> {
    const have = await this.d.store.table(DEFAULT_TABLE);
    if (have) return have;
    const t: TableRecord = {
      id: DEFAULT_TABLE, name: "Parley", characters: this.characters().slice(0, TABLE_LIMITS.maxCast).map((c) => c.id),
      language: this.d.defaultLanguage, invite: newToken(), settings: {}, createdAt: Date.now(),
    };
    await this.d.store.saveTable(t);
    return t;
  }

  list(): Promise<TableRecord[]> { return this.d.store.tables(); }

  /** Every character a table can seat. */
  catalogue(): readonly CharacterConfig[] { return this.characters(); }
  get(id: string): Promise<TableRecord | null> { return this.d.store.table(id); }

  async create(input: NewTablePayload): Promise<TableRecord> {
    // characters made through another process sharing the store count too
    await this.d.library.sync();
    const known = new Set(this.characters().map((c) => c.id));
    const unknown = input.characters.filter((id) => !known.has(id));
    if (unknown.length) throw new TableError(`no character "${unknown[0]!.slice(0, 40)}"`, 400);
    const t: TableRecord = {
      id: randomBytes(6).toString("base64url"), name: input.name, characters: input.characters, language: input.language,
      invite: newToken(), settings: {}, createdAt: Date.now(),
    };
    await this.d.store.saveTable(t);
    return t;
  }

  /** A new invite for the table: the old link stops working. */
  async revokeInvite(id: string): Promise<TableRecord> {
    const next = await this.change(id, (t) => ({ ...t, invite: newToken() }));
    if (!next) throw new TableError(`no table "${id.slice(0, 40)}"`, 404);
    return next;
  }

  /** Keeps who sits at a table for its next opening. */
  private async saveCast(id: string, characters: string[]): Promise<void> {
    await this.change(id, (t) => ({ ...t, characters }));
  }

  /** Every open table's stored changes are done (tests, shutdown). */
  async flushed(): Promise<void> {
    await Promise.all([...this.tables.values()].map((t) => t.cast.flushed()));
    await Promise.all([...this.changes.values()].map((p) => p.catch(() => {})));
  }

  /** The casts of the tables known here (the studio shows who sits where). */
  casts(): Cast[] { return [...this.tables.values()].map((t) => t.cast); }

  /** A known table's cast. */
  castOf(id: string): Cast | undefined { return this.tables.get(id)?.cast; }

  /** Keeps a table's settings (and language) for its next opening. */
  async saveSettings(id: string, settings: Partial<RoomSettings>): Promise<void> {
    await this.change(id, (t) => ({ ...t, settings: { ...t.settings, ...settings }, ...(settings.language ? { language: settings.language } : {}) }));
  }

  /**
   * A table as this process knows it (built once): its record, cast, language
   * and voices, running here or not. A table whose room is in another process
   * is read again from the store first.
   */
  table(id: string): Promise<Table> {
    const have = this.tables.get(id);
    // a table whose room is in another process: its cast and record as stored now
    if (have && !have.isOpen && this.bus.shared) return this.reread(have);
    if (have) return Promise.resolve(have);
    let building = this.building.get(id);
    if (!building) {
      building = this.build(id).finally(() => this.building.delete(id));
      this.building.set(id, building);
    }
    return building;
  }

  /** The table, running in this process (its room is here). */
  async open(id: string): Promise<Table> {
    const table = await this.table(id);
    await table.open();
    return table;
  }

  /** Every table running here ends (the server stops). */
  async close(): Promise<void> {
    await Promise.all([...this.tables.values()].filter((t) => t.isOpen).map((t) => t.close()));
  }

  private readonly building = new Map<string, Promise<Table>>();
  private readonly across = new Map<string, CastAcrossProcesses>();
  private get bus(): LibraryBus { return this.d.bus ?? NO_BUS; }

  private async reread(table: Table): Promise<Table> {
    table.record = (await this.d.store.table(table.id)) ?? table.record;
    await this.across.get(table.id)?.refresh();
    return table;
  }

  private async build(id: string): Promise<Table> {
    const record = await this.d.store.table(id);
    if (!record) throw new TableError(`no table "${id.slice(0, 40)}"`, 404);
    await this.d.library.sync();
    const configs = record.characters.map((c) => this.d.library.get(c)).filter((c): c is CharacterConfig => c !== undefined).slice(0, TABLE_LIMITS.maxCast);
    const across = new CastAcrossProcesses(id, this.d.store, this.d.library, this.bus);
    const table = new Table(record, configs, this.d, {
      saveCast: async (ids) => { await this.saveCast(id, ids); across.saved(); },
      saveSettings: (settings) => this.saveSettings(id, settings),
    });
    across.attach(table.cast);
    this.across.set(id, across);
    this.tables.set(id, table);
    return table;
  }
}

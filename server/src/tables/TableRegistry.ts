/**
 * The tables this server keeps: each has an id (its address, /t/<id>), a name,
 * a cast of 1 to 6 characters, a language, its own invite and its own settings,
 * all in the store. The default table ("main", the bundled cast) opens at `/`.
 * For a table that is open, the registry builds what its room needs: the cast
 * in the table's language (live: the host seats and unseats characters from the
 * library while it runs), its voices, its recognizer.
 */
import { LANGUAGES, type CharacterConfig, type Language, type RoomSettings } from "@parley/shared";
import { z } from "zod";
import type { Store, TableRecord } from "../store/Store.js";
import { DEFAULT_TABLE } from "../store/Store.js";
import { newToken } from "../access/Access.js";
import { createTableLocale, type TableLocale } from "../i18n/tableLocale.js";
import type { VoiceRouter } from "../i18n/TableVoices.js";
import type { VoiceDefaults } from "../i18n/languages.js";
import { TableAsr } from "../i18n/TableAsr.js";
import type { AsrProvider } from "../asr/types.js";
import { randomBytes } from "node:crypto";
import type { CharacterLibrary } from "../library/CharacterLibrary.js";
import { LiveCast } from "../room/LiveCast.js";
import { LibraryBus } from "../cluster/LibraryBus.js";
import { CastAcrossProcesses } from "./CastAcrossProcesses.js";

export const TABLE_LIMITS = {
  /** characters at one table */
  maxCast: 6,
  /** people at one table */
  maxPeople: 16,
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

/** What a table's room works with. */
export interface TableContext {
  record: TableRecord;
  /** the cast, live in the table's language */
  cast: readonly CharacterConfig[];
  /** who sits at the table while it runs (the host changes it) */
  liveCast: LiveCast;
  locale: TableLocale;
  asr: AsrProvider | null;
}

export interface TableRegistryDeps {
  store: Store;
  /** every character this server knows: bundled and the user's own */
  library: Pick<CharacterLibrary, "get" | "list" | "on" | "sync">;
  /** the language the default table opens in */
  defaultLanguage: Language;
  voices: VoiceRouter;
  voiceDefaults?: VoiceDefaults;
  /** the recognizer for a language (shared by every table speaking it), or none */
  recognizer: ((language: Language) => AsrProvider) | null;
  /** word between processes sharing the store (a cast changed where the table does not live) */
  bus?: LibraryBus;
}

export class TableRegistry {
  private readonly contexts = new Map<string, TableContext>();

  constructor(private readonly d: TableRegistryDeps) {}

  /** changes to one table's record, one after another (none overwrites another) */
  private readonly changes = new Map<string, Promise<unknown>>();

  private change(id: string, fn: (t: TableRecord) => TableRecord): Promise<TableRecord | null> {
    const run = (this.changes.get(id) ?? Promise.resolve()).catch(() => {}).then(async () => {
      const t = (await this.d.store.table(id)) ?? this.contexts.get(id)?.record;
      if (!t) return null;
      const next = fn(t);
      await this.d.store.saveTable(next);
      const ctx = this.contexts.get(id);
      if (ctx) ctx.record = next;
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
    await Promise.all([...this.contexts.values()].map((c) => c.liveCast.flushed()));
    await Promise.all([...this.changes.values()].map((p) => p.catch(() => {})));
  }

  /** The open tables' live casts (the studio shows who sits where). */
  liveCasts(): LiveCast[] { return [...this.contexts.values()].map((c) => c.liveCast); }

  /** An open table's live cast. */
  openCast(id: string): LiveCast | undefined { return this.contexts.get(id)?.liveCast; }

  /** Keeps a table's settings (and language) for its next opening. */
  async saveSettings(id: string, settings: Partial<RoomSettings>): Promise<void> {
    await this.change(id, (t) => ({ ...t, settings: { ...t.settings, ...settings }, ...(settings.language ? { language: settings.language } : {}) }));
  }

  /** What an open table's room works with (built once per table). */
  context(id: string): Promise<TableContext> {
    const have = this.contexts.get(id);
    // a table whose room is in another process: its cast and record as stored now
    if (have && !have.liveCast.live && this.bus.shared) return this.reread(have);
    if (have) return Promise.resolve(have);
    let building = this.building.get(id);
    if (!building) {
      building = this.build(id).finally(() => this.building.delete(id));
      this.building.set(id, building);
    }
    return building;
  }

  private readonly building = new Map<string, Promise<TableContext>>();
  private readonly across = new Map<string, CastAcrossProcesses>();
  private get bus(): LibraryBus { return this.d.bus ?? NO_BUS; }

  private async reread(ctx: TableContext): Promise<TableContext> {
    ctx.record = (await this.d.store.table(ctx.record.id)) ?? ctx.record;
    await this.across.get(ctx.record.id)?.refresh();
    return ctx;
  }

  private async build(id: string): Promise<TableContext> {
    const record = await this.d.store.table(id);
    if (!record) throw new TableError(`no table "${id.slice(0, 40)}"`, 404);
    await this.d.library.sync();
    const configs = record.characters.map((c) => this.d.library.get(c)).filter((c): c is CharacterConfig => c !== undefined).slice(0, TABLE_LIMITS.maxCast);
    const locale = createTableLocale({ characters: configs, language: record.language, voices: this.d.voices, voiceDefaults: this.d.voiceDefaults });
    const recognizer = this.d.recognizer;
    const across = new CastAcrossProcesses(id, this.d.store, this.d.library, this.bus);
    const liveCast = new LiveCast(locale.cast, this.d.library, async (ids) => { await this.saveCast(id, ids); across.saved(); });
    across.attach(liveCast);
    this.across.set(id, across);
    const ctx: TableContext = { record, cast: locale.cast.list, liveCast, locale, asr: recognizer ? new TableAsr(locale.language, recognizer) : null };
    this.contexts.set(id, ctx);
    return ctx;
  }

  /** Whether a table is open in this process. */
  isOpen(id: string): boolean { return this.contexts.has(id); }
}

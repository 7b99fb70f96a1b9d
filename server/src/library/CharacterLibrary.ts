/**
 * Every character this Parley knows: the bundled ones (characters/, read-only)
 * and the user's own, in the store: imported cards, ones made or duplicated in
 * the studio, and edited copies of bundled ones (the copy wins; deleting it
 * brings the original back). Saves are validated whole, with each problem at
 * its field. Processes sharing the store see each other's characters: a read on
 * demand (`sync`) asks the store, and word from the others (LibraryBus) keeps
 * what sits at an open table up to date.
 */
import { EventEmitter } from "node:events";
import { existsSync, readFileSync, statSync } from "node:fs";
import { CharacterConfig } from "@parley/shared";
import { ownKey, uploadedKey, type AvatarStore } from "../avatars/AvatarStore.js";
import type { CharacterRecord, Store } from "../store/Store.js";
import { LibraryBus } from "../cluster/LibraryBus.js";
import { importCard, type ImportedCard } from "../cards/importCard.js";
import { defaultsFor, idFor, isSafeCardVoice } from "./newCharacters.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

/** A VRM that is byte for byte a generated avatar (a CHARX exported from Parley) needs no copy. */
function sameBytes(bytes: Uint8Array, file: string | null): boolean {
  if (!file || !existsSync(file) || statSync(file).size !== bytes.byteLength) return false;
  return Buffer.compare(readFileSync(file), bytes) === 0;
}

export interface FieldIssue { path: string; message: string }

export class LibraryError extends Error {
  constructor(message: string, readonly status: 400 | 404 | 409 | 422, readonly issues: FieldIssue[] = []) { super(message); }
}

export interface LibraryEntry {
  character: CharacterConfig;
  /** ships with Parley */
  bundled: boolean;
  /** a bundled character with the user's changes */
  edited: boolean;
  /** has a VRM of its own (from its card, or picked in the studio) */
  ownAvatar: boolean;
}

export interface ImportResult { character: CharacterConfig; version: ImportedCard["version"]; container: ImportedCard["container"]; notes: string[] }

export class CharacterLibrary extends EventEmitter<{ changed: [CharacterConfig]; removed: [string] }> {
  private readonly bundled = new Map<string, CharacterConfig>();
  private readonly user = new Map<string, CharacterConfig>();

  /** @param generated the generated avatars' file names (assets/avatars) */
  constructor(
    bundled: readonly CharacterConfig[],
    private readonly store: Store,
    private readonly avatars: AvatarStore,
    readonly generated: readonly string[],
    private readonly bus = new LibraryBus(null),
  ) {
    super();
    for (const c of bundled) this.bundled.set(c.id, c);
  }

  /** Reads the user's characters; one that no longer validates is skipped with a warning, never fatal. */
  async load(): Promise<this> {
    for (const r of await this.store.characters()) {
      const c = this.parsed(r);
      if (c) this.user.set(c.id, c);
    }
    this.bus.onChange((m) => { if (m.what === "character") void this.sync(m.id).catch((err: unknown) => log.warn(`characters: ${m.id} was not read again (${errorMessage(err)})`)); });
    return this;
  }

  private parsed(r: CharacterRecord): CharacterConfig | null {
    const c = CharacterConfig.safeParse(r.config);
    if (c.success && c.data.id === r.id) return c.data;
    log.warn(`characters: "${r.id.slice(0, 40)}" in the store is skipped (${c.success ? `its id is "${c.data.id}"` : c.error.issues[0]?.message ?? "invalid"})`);
    return null;
  }

  /**
   * Reads the user's characters again from the store (one, or all): another
   * process may have made, edited or deleted them. A change to one seated at
   * an open table reaches it (`changed`), as a change made here does.
   */
  async sync(id?: string): Promise<void> {
    if (id !== undefined && !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(id)) return;
    await this.exclusive(() => this.read(id));
  }

  /** reads and writes of the user's characters, one at a time: a read never undoes a write it overtook */
  private queue: Promise<unknown> = Promise.resolve();
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => {}).then(fn);
    this.queue = run;
    return run;
  }

  private async read(id: string | undefined): Promise<void> {
    const records = id === undefined ? await this.store.characters() : [await this.store.character(id)].filter((r): r is CharacterRecord => r !== null);
    // the avatars first: `hasOwn` and the URLs a changed character is shown with follow the store
    if (id === undefined) await this.avatars.refreshAll();
    else await Promise.all([this.avatars.refresh(ownKey(id)), this.avatars.refresh(uploadedKey(id))]);
    const now = new Map(records.flatMap((r) => { const c = this.parsed(r); return c ? [[c.id, c] as const] : []; }));
    for (const key of id === undefined ? new Set([...this.user.keys(), ...now.keys()]) : [id]) {
      const had = this.user.get(key);
      const next = now.get(key);
      if (next && JSON.stringify(next) !== JSON.stringify(had)) { this.user.set(key, next); this.emit("changed", next); }
      else if (!next && had) {
        this.user.delete(key);
        const back = this.bundled.get(key);
        if (back) this.emit("changed", back);
        else this.emit("removed", key);
      }
    }
  }

  /** A character as the store has it now (bundled ones as shipped). */
  async fresh(id: string): Promise<CharacterConfig | undefined> {
    await this.sync(id);
    return this.get(id);
  }

  get(id: string): CharacterConfig | undefined { return this.user.get(id) ?? this.bundled.get(id); }

  entry(id: string): LibraryEntry | undefined {
    const character = this.get(id);
    if (!character) return undefined;
    return { character, bundled: this.bundled.has(id), edited: this.bundled.has(id) && this.user.has(id), ownAvatar: this.avatars.hasOwn(id) };
  }

  list(): LibraryEntry[] {
    const ids = [...new Set([...this.bundled.keys(), ...this.user.keys()])];
    return ids.map((id) => this.entry(id)!).sort((a, b) => Number(b.bundled) - Number(a.bundled) || a.character.name.localeCompare(b.character.name));
  }

  defaults(name: string): ReturnType<typeof defaultsFor> { return defaultsFor(name, this.generated); }

  /** ids chosen by imports still being written, so two at once never get the same */
  private readonly reserved = new Set<string>();
  private taken = (id: string): boolean => this.bundled.has(id) || this.user.has(id) || this.reserved.has(id);

  /** A card file as a new character (its own id; an id from the card is kept when free). */
  async importCard(bytes: Uint8Array, contentType: string): Promise<ImportResult> {
    const imported = importCard(bytes, contentType, { defaults: (name) => this.defaults(name) });
    const c = imported.character;
    const notes: string[] = [];
    const id = c.id && /^[a-z0-9][a-z0-9_-]{0,31}$/.test(c.id) && !this.taken(c.id) ? c.id : idFor(c.name, this.taken);
    const fallback = this.defaults(c.name);
    let voice = c.voice;
    if (!isSafeCardVoice(voice)) { notes.push(`the card's ${voice.provider} voice names a server or a file; ${c.name} speaks with an offline voice until you pick one`); voice = fallback.voice; }
    const languages = c.languages && Object.fromEntries(Object.entries(c.languages).map(([l, loc]) => [l, loc.voice && !isSafeCardVoice(loc.voice) ? { ...loc, voice: undefined } : loc]));
    // an avatar is a generated one or the VRM the card carried: never a path the card names
    const generated = this.generated.includes(c.avatar) ? c.avatar : null;
    const vrm = imported.vrm && !(generated && sameBytes(imported.vrm, this.avatars.generatedFile(generated))) ? imported.vrm : undefined;
    const avatar = vrm ? `./${id}.own.vrm` : generated ?? fallback.avatar;
    const character = CharacterConfig.parse({ ...c, id, voice, avatar, ...(languages ? { languages } : {}) });
    this.reserved.add(id);
    try {
      if (vrm) await this.avatars.keepOwn(id, vrm);
      await this.write(character);
    } catch (err) {
      if (vrm) await this.avatars.dropOwn(id);
      throw err;
    } finally {
      this.reserved.delete(id);
    }
    return { character, version: imported.version, container: imported.container, notes };
  }

  /**
   * Checks a character as the studio sends it. The avatar must be a generated
   * one, the character's own VRM, or (for a bundled character) the one it came with.
   */
  validate(input: unknown): CharacterConfig {
    const r = CharacterConfig.safeParse(input);
    if (!r.success) {
      const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
      throw new LibraryError(`${issues[0]!.path || "character"}: ${issues[0]!.message}`, 400, issues);
    }
    const c = r.data;
    const own = `./${c.id}.own.vrm`;
    if (!(this.generated.includes(c.avatar) || (c.avatar === own && this.avatars.hasOwn(c.id)) || this.bundled.get(c.id)?.avatar === c.avatar)) {
      throw new LibraryError("avatar: pick one of the generated avatars or the character's own VRM", 400, [{ path: "avatar", message: "pick one of the generated avatars or the character's own VRM" }]);
    }
    return c;
  }

  /** A new character (its id from its name when it has none). */
  async create(input: unknown): Promise<CharacterConfig> {
    const draft = input && typeof input === "object" ? { ...(input as Record<string, unknown>) } : {};
    if (!draft.id) draft.id = idFor(typeof draft.name === "string" && draft.name ? draft.name : "character", this.taken);
    const c = this.validate(draft);
    if (this.taken(c.id)) throw new LibraryError(`id: "${c.id}" is taken`, 409, [{ path: "id", message: "this id is taken" }]);
    await this.write(c);
    return c;
  }

  /** Saves the user's changes to a character (a bundled one gets an edited copy). */
  async save(id: string, input: unknown): Promise<CharacterConfig> {
    if (!this.get(id)) throw new LibraryError(`no character "${id.slice(0, 40)}"`, 404);
    const c = this.validate(input);
    if (c.id !== id) throw new LibraryError("id: a character's id cannot change (duplicate it instead)", 400, [{ path: "id", message: "the id cannot change" }]);
    await this.write(c);
    return c;
  }

  /** A copy under a new id and name ("Ada (copy)"), its own VRM copied too. */
  async duplicate(id: string, name: string): Promise<CharacterConfig> {
    const from = this.get(id);
    if (!from) throw new LibraryError(`no character "${id.slice(0, 40)}"`, 404);
    const newId = idFor(name, this.taken);
    let avatar = from.avatar;
    if (from.avatar === `./${id}.own.vrm`) avatar = await this.avatars.keepOwn(newId, await this.avatars.bytesOf(id));
    const c = this.validate({ ...from, id: newId, name, avatar });
    await this.write(c);
    return c;
  }

  /** Deletes a user's character, or an edited copy (the bundled original comes back). */
  async remove(id: string): Promise<LibraryEntry | null> {
    if (!this.user.has(id)) {
      if (this.bundled.has(id)) throw new LibraryError(`${this.bundled.get(id)!.name} comes with Parley and cannot be deleted`, 409);
      throw new LibraryError(`no character "${id.slice(0, 40)}"`, 404);
    }
    await this.exclusive(async () => { await this.store.deleteCharacter(id); this.user.delete(id); });
    this.bus.changed({ what: "character", id });
    const back = this.bundled.get(id);
    if (back) { this.emit("changed", back); return this.entry(id)!; }
    await this.avatars.dropOwn(id);
    this.emit("removed", id);
    return null;
  }

  private async write(c: CharacterConfig): Promise<void> {
    await this.exclusive(async () => { await this.store.saveCharacter({ id: c.id, config: c, updatedAt: Date.now() }); this.user.set(c.id, c); });
    this.emit("changed", c);
    this.bus.changed({ what: "character", id: c.id });
  }
}

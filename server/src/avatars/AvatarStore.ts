/**
 * Where each character's avatar is: a VRM a person uploaded for it, else its
 * config's `avatar` — a name in assets/avatars, "./<id>.own.vrm" for a VRM of
 * its own (one that came in its card, or one picked in the studio), or a path
 * of the user's own (for example a VRoid Hub download). Uploaded and own VRMs
 * live in the store (record and bytes), so every process sharing the store
 * serves them; each process keeps a file per VRM to serve (AvatarFiles).
 * Uploads are checked to be loadable VRM 0.x or 1.0 files (checkVrm.ts). No
 * path is built from what a client sent: store ids come from the cast's own ids.
 */
import { EventEmitter } from "node:events";
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { CharacterConfig } from "@parley/shared";
import { checkVrm, VrmError } from "./checkVrm.js";
import { AvatarFiles } from "./AvatarFiles.js";
import type { AvatarRecord, Store } from "../store/Store.js";
import { avatarRecord } from "../store/libraryRows.js";
import { LibraryBus } from "../cluster/LibraryBus.js";

export { checkVrm };

/** a character id, as the config schema allows it */
const CHARACTER_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export const MAX_AVATAR_BYTES = 64 * 1024 * 1024;

/** A failed avatar request, with its HTTP status. */
export class AvatarError extends VrmError {}

/** the store's ids of a character's avatars */
export const uploadedKey = (id: string): string => `character/${id}`;
export const ownKey = (id: string): string => `own/${id}`;
/** the character a stored avatar id belongs to, or null for a person's */
const characterOf = (key: string): string | null => /^(?:character|own)\/([a-z0-9][a-z0-9_-]{0,31})$/.exec(key)?.[1] ?? null;
/** "./<id>.own.vrm": the id whose own VRM a config's avatar names */
const ownName = (avatar: string): string | null => /^\.\/([a-z0-9][a-z0-9_-]{0,31})\.own\.vrm$/.exec(avatar)?.[1] ?? null;

export function checkedVrm(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength > MAX_AVATAR_BYTES) throw new AvatarError(`the file is larger than ${MAX_AVATAR_BYTES / 2 ** 20} MiB`, 413);
  checkVrm(bytes);
  return bytes;
}

type Lookup = (id: string) => CharacterConfig | undefined | Promise<CharacterConfig | undefined>;

export class AvatarStore extends EventEmitter<{ changed: [string] }> {
  private readonly find: Lookup;
  /** the characters' stored avatars' records (uploaded and own), kept fresh by reads and by other processes' word */
  private readonly records = new Map<string, AvatarRecord>();
  private readonly files: AvatarFiles;

  /**
   * @param characters the cast, or a lookup of every character the server knows
   * @param cacheDir where this process keeps the stored VRMs as files
   */
  constructor(
    characters: readonly CharacterConfig[] | Lookup,
    private readonly assetsDir: string,
    private readonly store: Store,
    cacheDir: string,
    private readonly bus = new LibraryBus(null),
  ) {
    super();
    this.find = typeof characters === "function" ? characters : (id) => characters.find((x) => x.id === id);
    this.files = new AvatarFiles(store, cacheDir);
  }

  /** Reads the stored records; from now on follows other processes' changes. */
  async load(): Promise<this> {
    await this.refreshAll();
    this.bus.onChange((c) => { if (c.what === "avatar" && characterOf(c.id)) void this.refresh(c.id); });
    return this;
  }

  /** Reads every character avatar's record again. */
  async refreshAll(): Promise<void> {
    const now = new Map((await this.store.avatars()).filter((a) => characterOf(a.id)).map((a) => [a.id, a]));
    for (const key of new Set([...this.records.keys(), ...now.keys()])) this.note(key, now.get(key) ?? null);
  }

  /** Reads one stored avatar's record again; its character's URL changes when its bytes did. */
  async refresh(key: string): Promise<AvatarRecord | null> {
    const a = await this.store.avatar(key);
    this.note(key, a);
    return a;
  }

  private note(key: string, a: AvatarRecord | null): void {
    const had = this.records.get(key);
    if (a) this.records.set(key, a);
    else this.records.delete(key);
    const id = characterOf(key);
    if (id && had?.sha256 !== a?.sha256) this.emit("changed", id);
  }

  /** The character a client's id names; its own id (not the client's string) names what is read. */
  private async member(id: string): Promise<CharacterConfig> {
    const c = CHARACTER_ID.test(id) ? await this.find(id) : undefined;
    if (!c) throw new AvatarError(`no character "${String(id).slice(0, 40)}"`, 404);
    return c;
  }

  /** The file serving a character's avatar now. */
  async fileFor(id: string): Promise<string> {
    const c = await this.member(id);
    for (const key of [uploadedKey(c.id), ...(ownName(c.avatar) ? [ownKey(ownName(c.avatar)!)] : [])]) {
      const a = await this.refresh(key);
      const file = a && (await this.files.file(a));
      if (file) return file;
    }
    return this.configFile(c.avatar);
  }

  /** The file a config's avatar names: a generated one, or the user's own path. */
  private configFile(avatar: string): string {
    const a = avatar.startsWith("~/") ? join(homedir(), avatar.slice(2)) : avatar;
    return isAbsolute(a) || a.startsWith("./") || a.startsWith("../") ? resolve(a) : join(this.assetsDir, a);
  }

  /** The bytes of a character's avatar now (to copy, to export). */
  async bytesOf(id: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(await this.fileFor(id)));
  }

  private async keep(key: string, owner: string, bytes: Uint8Array): Promise<void> {
    const c = await this.find(owner);
    const a = avatarRecord(key, c?.name ?? owner, owner, checkedVrm(bytes));
    await this.store.saveAvatar(a, bytes);
    await this.files.put(bytes);
    this.note(key, a);
    this.bus.changed({ what: "avatar", id: key });
  }

  private async drop(key: string): Promise<void> {
    await this.store.deleteAvatar(key);
    this.note(key, null);
    this.bus.changed({ what: "avatar", id: key });
  }

  /** Keeps a checked VRM as a character's own ("./<id>.own.vrm"); returns that avatar value. */
  async keepOwn(id: string, bytes: Uint8Array): Promise<string> {
    if (!CHARACTER_ID.test(id)) throw new AvatarError(`no character "${String(id).slice(0, 40)}"`, 404);
    await this.keep(ownKey(id), id, bytes);
    return `./${id}.own.vrm`;
  }

  /** Forgets a character's own VRM (the character is deleted). */
  async dropOwn(id: string): Promise<void> {
    if (CHARACTER_ID.test(id)) await this.drop(ownKey(id));
  }

  /** The file of a generated avatar (a bare name in assets/avatars), or null for anything else. */
  generatedFile(name: string): string | null {
    return /^[a-z0-9][a-z0-9_-]{0,80}\.vrm$/.test(name) ? join(this.assetsDir, name) : null;
  }

  /** Whether the character has a VRM of its own in the store. */
  hasOwn(id: string): boolean { return this.records.has(ownKey(id)); }

  /** The URL clients load it from; it changes whenever the VRM does (cache busting). */
  urlFor(c: CharacterConfig): string {
    const up = this.records.get(uploadedKey(c.id));
    if (/^https?:\/\//.test(c.avatar) && !up) return c.avatar;
    const stored = up ?? (ownName(c.avatar) ? this.records.get(ownKey(ownName(c.avatar)!)) : undefined);
    let v = stored?.sha256.slice(0, 16) ?? "0";
    if (!stored) {
      try { v = String(Math.round(statSync(this.configFile(c.avatar)).mtimeMs)); } catch { /* missing: the client shows the error */ }
    }
    return `/avatars/character/${encodeURIComponent(c.id)}?v=${v}`;
  }

  /** A VRM a person uploaded for a character: it wears it instead of its config's. */
  async upload(id: string, bytes: Uint8Array): Promise<void> {
    const c = await this.member(id);
    await this.keep(uploadedKey(c.id), c.id, bytes);
  }

  /** Back to the avatar in the character's config. */
  async reset(id: string): Promise<void> {
    const c = await this.member(id);
    await this.drop(uploadedKey(c.id));
  }
}

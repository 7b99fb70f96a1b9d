/**
 * People's avatars: one of the generated cast in assets/avatars, or a VRM file the
 * person uploads (checked like a character's upload, kept in the store under
 * the SHA-256 of its bytes, so the same file uploaded twice is stored once, its
 * URL never changes under a client, and every process sharing the store serves it).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { castAvatarUrl, PERSON_AVATAR_URL } from "@parley/shared";
import { checkedVrm } from "./AvatarStore.js";
import { AvatarFiles } from "./AvatarFiles.js";
import type { Store } from "../store/Store.js";
import { avatarRecord } from "../store/libraryRows.js";
import { LibraryBus } from "../cluster/LibraryBus.js";

export interface CastAvatar { name: string; avatarUrl: string }

/** the store's id of a person's avatar, from its URL's hash */
const personKey = (sha: string): string => `person/${sha}`;

export class PersonAvatars {
  private cast: CastAvatar[] | null = null;
  /** the hashes of people's uploads known here (the store has them) */
  private readonly uploads = new Set<string>();
  private readonly files: AvatarFiles;

  constructor(private readonly assetsDir: string, private readonly store: Store, cacheDir: string, private readonly bus = new LibraryBus(null)) {
    this.files = new AvatarFiles(store, cacheDir);
  }

  /** Reads which uploads the store has; from now on follows other processes' uploads. */
  async load(): Promise<this> {
    for (const a of await this.store.avatars()) if (a.id.startsWith("person/")) this.uploads.add(a.sha256);
    this.bus.onChange((c) => { if (c.what === "avatar" && c.id.startsWith("person/")) void this.ensure(`/avatars/${c.id}.vrm`); });
    return this;
  }

  /** The generated cast, by file name (read once: the folder ships with Parley). */
  list(): CastAvatar[] {
    this.cast ??= (existsSync(this.assetsDir) ? readdirSync(this.assetsDir) : [])
      .filter((f) => /^[a-z0-9-]{1,40}\.vrm$/.test(f))
      .sort()
      .map((f) => ({ name: f.replace(/\.vrm$/, ""), avatarUrl: castAvatarUrl(f) }));
    return this.cast;
  }

  /** The cast file or the upload's hash an avatar URL names (the URL's own shape checked), or null. */
  private parse(url: string): { cast: string } | { sha: string } | null {
    const m = PERSON_AVATAR_URL.exec(url)?.[1];
    if (!m) return null;
    if (m.startsWith("cast/")) return this.list().some((c) => c.avatarUrl === url) ? { cast: m.slice(5) } : null;
    return { sha: m.slice(7, -4) };
  }

  /** Whether an avatar URL names one this server offers (as far as this process knows now). */
  known(url: string): boolean {
    const p = this.parse(url);
    return !!p && ("cast" in p || this.uploads.has(p.sha));
  }

  /** Whether it does, asking the store when this process has not heard of the upload. */
  async ensure(url: string): Promise<boolean> {
    const p = this.parse(url);
    if (!p || "cast" in p || this.uploads.has(p.sha)) return this.known(url);
    if (await this.store.avatar(personKey(p.sha))) this.uploads.add(p.sha);
    return this.uploads.has(p.sha);
  }

  /** The file behind an avatar URL this store hands out, or null when there is none. */
  async fileFor(url: string): Promise<string | null> {
    const p = this.parse(url);
    if (!p) return null;
    if ("cast" in p) return join(this.assetsDir, p.cast);
    const a = await this.store.avatar(personKey(p.sha));
    return a ? this.files.file(a) : null;
  }

  /** A cast avatar nobody at the table wears yet (the first one when all are worn). */
  pick(worn: ReadonlySet<string>): string {
    const all = this.list();
    return (all.find((c) => !worn.has(c.avatarUrl)) ?? all[0])?.avatarUrl ?? "";
  }

  /** Stores a person's own VRM; returns the URL to wear it by. */
  async upload(bytes: Uint8Array): Promise<string> {
    const a = avatarRecord("", "", "people", checkedVrm(bytes));
    const key = personKey(a.sha256);
    if (!this.uploads.has(a.sha256) && !(await this.store.avatar(key))) {
      await this.store.saveAvatar({ ...a, id: key }, bytes);
      this.bus.changed({ what: "avatar", id: key });
    }
    await this.files.put(bytes);
    this.uploads.add(a.sha256);
    return `/avatars/person/${a.sha256}.vrm`;
  }
}

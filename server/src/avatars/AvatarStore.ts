/**
 * Where each character's avatar file is: a file a person uploaded for it (kept in
 * the data dir, surviving restarts), else its config's `avatar` — a name in
 * assets/avatars, "./<file>" for a VRM of its own kept in the data dir (one that
 * came in its card, or one picked in the studio), or a path of the user's own
 * (for example a VRoid Hub download).
 * Uploads are checked to be loadable VRM 0.x or 1.0 files (checkVrm.ts). Paths
 * are built only from the ids of the cast, never from what a client sent.
 */
import { EventEmitter } from "node:events";
import { existsSync, statSync } from "node:fs";
import { mkdir, rename, writeFile, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { CharacterConfig } from "@parley/shared";
import { checkVrm, VrmError } from "./checkVrm.js";

export { checkVrm };

/** a character id, as the config schema allows it: safe as a file name */
const CHARACTER_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export const MAX_AVATAR_BYTES = 64 * 1024 * 1024;

/** A failed avatar request, with its HTTP status. */
export class AvatarError extends VrmError {}

export class AvatarStore extends EventEmitter<{ changed: [string] }> {
  private readonly find: (id: string) => CharacterConfig | undefined;

  /** @param characters the cast, or a lookup of every character the server knows */
  constructor(
    characters: readonly CharacterConfig[] | ((id: string) => CharacterConfig | undefined),
    private readonly assetsDir: string,
    private readonly uploadDir: string,
  ) {
    super();
    this.find = typeof characters === "function" ? characters : (id) => characters.find((x) => x.id === id);
  }

  /** The character a client's id names; its own id (not the client's string) builds paths. */
  private member(id: string): CharacterConfig {
    const c = this.find(id);
    if (!c) throw new AvatarError(`no character "${String(id).slice(0, 40)}"`, 404);
    return c;
  }

  private uploaded(c: CharacterConfig): string { return join(this.uploadDir, `${c.id}.vrm`); }

  /** The file serving a character's avatar now. */
  fileFor(id: string): string {
    const c = this.member(id);
    const up = this.uploaded(c);
    if (existsSync(up)) return up;
    const own = this.ownFile(c.avatar);
    if (own && existsSync(own)) return own;
    const a = c.avatar.startsWith("~/") ? join(homedir(), c.avatar.slice(2)) : c.avatar;
    return isAbsolute(a) || a.startsWith("./") || a.startsWith("../") ? resolve(a) : join(this.assetsDir, a);
  }

  /** The URL clients load it from; it changes whenever the file does (cache busting). */
  /** "./<file>.vrm": a VRM of the character's own in the data dir (a plain file name, never a path out of it). */
  ownFile(avatar: string): string | null {
    const m = /^\.\/([a-z0-9][a-z0-9_.-]{0,80}\.vrm)$/.exec(avatar);
    return m ? join(this.uploadDir, m[1]!) : null;
  }

  /** Keeps a checked VRM as a character's own ("./<id>.own.vrm"); returns that avatar value. */
  async keepOwn(id: string, bytes: Uint8Array): Promise<string> {
    if (!CHARACTER_ID.test(id)) throw new AvatarError(`no character "${String(id).slice(0, 40)}"`, 404);
    if (bytes.byteLength > MAX_AVATAR_BYTES) throw new AvatarError(`the file is larger than ${MAX_AVATAR_BYTES / 2 ** 20} MiB`, 413);
    checkVrm(bytes);
    await mkdir(this.uploadDir, { recursive: true });
    const file = join(this.uploadDir, `${id}.own.vrm`);
    await writeFile(`${file}.${process.pid}.tmp`, bytes);
    await rename(`${file}.${process.pid}.tmp`, file);
    this.emit("changed", id);
    return `./${id}.own.vrm`;
  }

  /** Forgets a character's own VRM (the character is deleted). */
  async dropOwn(id: string): Promise<void> {
    if (CHARACTER_ID.test(id)) await rm(join(this.uploadDir, `${id}.own.vrm`), { force: true });
  }

  /** The file of a generated avatar (a bare name in assets/avatars), or null for anything else. */
  generatedFile(name: string): string | null {
    return /^[a-z0-9][a-z0-9_-]{0,80}\.vrm$/.test(name) ? join(this.assetsDir, name) : null;
  }

  /** Whether the character has a VRM of its own kept here. */
  hasOwn(id: string): boolean { return CHARACTER_ID.test(id) && existsSync(join(this.uploadDir, `${id}.own.vrm`)); }

  urlFor(c: CharacterConfig): string {
    if (/^https?:\/\//.test(c.avatar) && !existsSync(this.uploaded(c))) return c.avatar;
    let v = 0;
    try { v = Math.round(statSync(this.fileFor(c.id)).mtimeMs); } catch { /* missing: the client shows the error */ }
    return `/avatars/character/${encodeURIComponent(c.id)}?v=${v}`;
  }

  async upload(id: string, bytes: Uint8Array): Promise<void> {
    const c = this.member(id);
    if (bytes.byteLength > MAX_AVATAR_BYTES) throw new AvatarError(`the file is larger than ${MAX_AVATAR_BYTES / 2 ** 20} MiB`, 413);
    checkVrm(bytes);
    await mkdir(this.uploadDir, { recursive: true });
    const tmp = `${this.uploaded(c)}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, this.uploaded(c));
    this.emit("changed", c.id);
  }

  /** Back to the avatar in the character's config. */
  async reset(id: string): Promise<void> {
    const c = this.member(id);
    await rm(this.uploaded(c), { force: true });
    this.emit("changed", c.id);
  }
}

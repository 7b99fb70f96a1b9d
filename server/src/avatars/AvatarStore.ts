/**
 * Where each character's avatar file is: a file a person uploaded for it (kept in
 * the data dir, surviving restarts), else its config's `avatar` — a name in
 * assets/avatars or a path of the user's own (for example a VRoid Hub download).
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

export const MAX_AVATAR_BYTES = 64 * 1024 * 1024;

/** A failed avatar request, with its HTTP status. */
export class AvatarError extends VrmError {}

export class AvatarStore extends EventEmitter<{ changed: [string] }> {
  constructor(
    private readonly characters: readonly CharacterConfig[],
    private readonly assetsDir: string,
    private readonly uploadDir: string,
  ) { super(); }

  /** The cast member a client's id names; its own id (not the client's string) builds paths. */
  private member(id: string): CharacterConfig {
    const c = this.characters.find((x) => x.id === id);
    if (!c) throw new AvatarError(`no character "${String(id).slice(0, 40)}"`, 404);
    return c;
  }

  private uploaded(c: CharacterConfig): string { return join(this.uploadDir, `${c.id}.vrm`); }

  /** The file serving a character's avatar now. */
  fileFor(id: string): string {
    const c = this.member(id);
    const up = this.uploaded(c);
    if (existsSync(up)) return up;
    const a = c.avatar.startsWith("~/") ? join(homedir(), c.avatar.slice(2)) : c.avatar;
    return isAbsolute(a) || a.startsWith("./") || a.startsWith("../") ? resolve(a) : join(this.assetsDir, a);
  }

  /** The URL clients load it from; it changes whenever the file does (cache busting). */
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

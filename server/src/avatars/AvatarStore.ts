/**
 * Where each character's avatar file is: a file a person uploaded for it (kept in
 * the data dir, surviving restarts), else its config's `avatar` — a name in
 * assets/avatars or a path of the user's own (for example a VRoid Hub download).
 * Uploads are checked to be glTF binaries carrying VRM 0.x or 1.0 data.
 */
import { EventEmitter } from "node:events";
import { existsSync, statSync } from "node:fs";
import { mkdir, rename, writeFile, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { CharacterConfig } from "@parley/shared";

export const MAX_AVATAR_BYTES = 64 * 1024 * 1024;

export class AvatarError extends Error {
  constructor(message: string, readonly status: number) { super(message); }
}

/** Checks that bytes are a VRM (glTF binary with a VRM extension); returns its VRM version. */
export function checkVrm(bytes: Uint8Array): "0" | "1" {
  if (bytes.byteLength < 28) throw new AvatarError("not a VRM file: too short", 400);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== 0x46546c67) throw new AvatarError("not a VRM file: it is not a glTF binary (.vrm/.glb)", 400);
  if (v.getUint32(4, true) !== 2) throw new AvatarError("not a VRM file: only glTF 2.0 is supported", 400);
  const jsonLen = v.getUint32(12, true);
  if (v.getUint32(16, true) !== 0x4e4f534a || 20 + jsonLen > bytes.byteLength) throw new AvatarError("not a VRM file: its JSON chunk is broken", 400);
  let json: { extensionsUsed?: unknown; extensions?: Record<string, unknown> };
  try { json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLen))) as typeof json; } catch {
    throw new AvatarError("not a VRM file: its JSON chunk does not parse", 400);
  }
  if (json.extensions?.VRMC_vrm) return "1";
  if (json.extensions?.VRM) return "0";
  throw new AvatarError("a glTF file without VRM data: export it as VRM (0.x or 1.0)", 400);
}

export class AvatarStore extends EventEmitter<{ changed: [string] }> {
  constructor(
    private readonly characters: readonly CharacterConfig[],
    private readonly assetsDir: string,
    private readonly uploadDir: string,
  ) { super(); }

  private uploaded(id: string): string { return join(this.uploadDir, `${id}.vrm`); }

  /** The file serving a character's avatar now. */
  fileFor(id: string): string {
    const c = this.characters.find((x) => x.id === id);
    if (!c) throw new AvatarError(`no character "${id}"`, 404);
    const up = this.uploaded(id);
    if (existsSync(up)) return up;
    const a = c.avatar.startsWith("~/") ? join(homedir(), c.avatar.slice(2)) : c.avatar;
    return isAbsolute(a) || a.startsWith("./") || a.startsWith("../") ? resolve(a) : join(this.assetsDir, a);
  }

  /** The URL clients load it from; it changes whenever the file does (cache busting). */
  urlFor(c: CharacterConfig): string {
    if (/^https?:\/\//.test(c.avatar) && !existsSync(this.uploaded(c.id))) return c.avatar;
    let v = 0;
    try { v = Math.round(statSync(this.fileFor(c.id)).mtimeMs); } catch { /* missing: the client shows the error */ }
    return `/avatars/character/${encodeURIComponent(c.id)}?v=${v}`;
  }

  async upload(id: string, bytes: Uint8Array): Promise<void> {
    if (!this.characters.some((x) => x.id === id)) throw new AvatarError(`no character "${id}"`, 404);
    if (bytes.byteLength > MAX_AVATAR_BYTES) throw new AvatarError(`the file is larger than ${MAX_AVATAR_BYTES / 2 ** 20} MiB`, 413);
    checkVrm(bytes);
    await mkdir(this.uploadDir, { recursive: true });
    const tmp = `${this.uploaded(id)}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, this.uploaded(id));
    this.emit("changed", id);
  }

  /** Back to the avatar in the character's config. */
  async reset(id: string): Promise<void> {
    await rm(this.uploaded(id), { force: true });
    this.emit("changed", id);
  }
}

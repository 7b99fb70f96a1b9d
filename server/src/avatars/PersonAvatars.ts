/**
 * People's avatars: one of the generated cast in assets/avatars, or a VRM file the
 * person uploads (checked like a character's upload, kept in the data dir under
 * the SHA-256 of its bytes, so the same file uploaded twice is stored once and
 * its URL never changes under a client).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { castAvatarUrl, PERSON_AVATAR_URL } from "@parley/shared";
import { AvatarError, checkVrm, MAX_AVATAR_BYTES } from "./AvatarStore.js";

export interface CastAvatar { name: string; avatarUrl: string }

export class PersonAvatars {
  private cast: CastAvatar[] | null = null;

  constructor(private readonly assetsDir: string, private readonly uploadDir: string) {}

  /** The generated cast, by file name (read once: the folder ships with Parley). */
  list(): CastAvatar[] {
    this.cast ??= (existsSync(this.assetsDir) ? readdirSync(this.assetsDir) : [])
      .filter((f) => /^[a-z0-9-]{1,40}\.vrm$/.test(f))
      .sort()
      .map((f) => ({ name: f.replace(/\.vrm$/, ""), avatarUrl: castAvatarUrl(f) }));
    return this.cast;
  }

  /** The file behind an avatar URL this store hands out, or null when there is none. */
  fileFor(url: string): string | null {
    const m = PERSON_AVATAR_URL.exec(url)?.[1];
    if (!m) return null;
    const file = m.startsWith("cast/") ? join(this.assetsDir, m.slice(5)) : join(this.uploadDir, m.slice(7));
    if (m.startsWith("cast/") && !this.list().some((c) => c.avatarUrl === url)) return null;
    return existsSync(file) ? file : null;
  }

  /** A cast avatar nobody at the table wears yet (the first one when all are worn). */
  pick(worn: ReadonlySet<string>): string {
    const all = this.list();
    return (all.find((c) => !worn.has(c.avatarUrl)) ?? all[0])?.avatarUrl ?? "";
  }

  /** Stores a person's own VRM; returns the URL to wear it by. */
  async upload(bytes: Uint8Array): Promise<string> {
    if (bytes.byteLength > MAX_AVATAR_BYTES) throw new AvatarError(`the file is larger than ${MAX_AVATAR_BYTES / 2 ** 20} MiB`, 413);
    checkVrm(bytes);
    const name = `${createHash("sha256").update(bytes).digest("hex")}.vrm`;
    const file = join(this.uploadDir, name);
    if (!existsSync(file)) {
      await mkdir(this.uploadDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    }
    return `/avatars/person/${name}`;
  }
}

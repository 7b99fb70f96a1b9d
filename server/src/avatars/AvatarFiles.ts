/**
 * Stored avatars as files this process can serve and draw portraits of: each
 * VRM's bytes, read from the store once, kept in a cache dir under the SHA-256
 * of the bytes. A name is a hash computed here, never anything a client sent;
 * the same bytes are one file; a file never changes under its name, so a cached
 * file is never stale (a replaced avatar has a new hash, hence a new file).
 */
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AvatarRecord, Store } from "../store/Store.js";
import { sha256Hex } from "../store/libraryRows.js";

const SHA256 = /^[0-9a-f]{64}$/;

export class AvatarFiles {
  private readonly writing = new Map<string, Promise<string | null>>();

  constructor(private readonly store: Pick<Store, "avatarBytes">, private readonly dir: string) {}

  /** The file holding a stored avatar's bytes (written from the store the first time), or null when it is gone. */
  async file(a: AvatarRecord): Promise<string | null> {
    if (!SHA256.test(a.sha256)) return null;
    const file = join(this.dir, `${a.sha256}.vrm`);
    if (existsSync(file)) return file;
    let p = this.writing.get(a.sha256);
    if (!p) {
      p = this.fetch(a).finally(() => this.writing.delete(a.sha256));
      this.writing.set(a.sha256, p);
    }
    return p;
  }

  /** Keeps bytes just stored, so serving them needs no read back. */
  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256Hex(bytes);
    const file = join(this.dir, `${sha}.vrm`);
    if (existsSync(file)) return file;
    await mkdir(this.dir, { recursive: true });
    // a temp name of this process's own, renamed: a reader never sees half a file
    await writeFile(`${file}.${process.pid}.tmp`, bytes);
    await rename(`${file}.${process.pid}.tmp`, file);
    return file;
  }

  private async fetch(a: AvatarRecord): Promise<string | null> {
    const bytes = await this.store.avatarBytes(a.id);
    // replaced since the record was read: the file is named after the bytes there are now
    return bytes ? this.put(bytes) : null;
  }
}

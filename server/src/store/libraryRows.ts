/**
 * The user's characters and uploaded avatars as both stores keep them: one row
 * each, the character's config as JSON text (kept exactly as written), the
 * avatar's VRM bytes beside its record (BLOB in SQLite, bytea in PostgreSQL).
 */
import { createHash } from "node:crypto";
import type { AvatarRecord, CharacterRecord } from "./Store.js";

export type LibraryRow = Record<string, string | number | bigint | null | Uint8Array>;

export const LIBRARY_SCHEMA = (blob: "BLOB" | "BYTEA", int: "INTEGER" | "BIGINT"): string => `
CREATE TABLE IF NOT EXISTS characters (id TEXT PRIMARY KEY, config TEXT NOT NULL, updated_at ${int} NOT NULL);
CREATE TABLE IF NOT EXISTS avatars (id TEXT PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL, size ${int} NOT NULL, sha256 TEXT NOT NULL, created_at ${int} NOT NULL, bytes ${blob} NOT NULL);
`;

/** the avatar columns but the bytes */
export const AVATAR_COLUMNS = "id, name, owner, size, sha256, created_at";

/** Bytes that do not match the record they are saved with. */
export class AvatarBytesError extends Error {}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A record for `bytes` (its size and hash computed here). */
export function avatarRecord(id: string, name: string, owner: string, bytes: Uint8Array, createdAt = Date.now()): AvatarRecord {
  return { id, name, owner, size: bytes.byteLength, sha256: sha256Hex(bytes), createdAt };
}

export function checkAvatarBytes(a: AvatarRecord, bytes: Uint8Array): void {
  if (a.size !== bytes.byteLength || a.sha256 !== sha256Hex(bytes)) throw new AvatarBytesError(`the bytes saved as avatar ${a.id} are not the ones its record describes`);
}

export function characterFromRow(r: LibraryRow): CharacterRecord {
  return { id: String(r.id), config: JSON.parse(String(r.config)) as unknown, updatedAt: Number(r.updated_at) };
}

export function avatarFromRow(r: LibraryRow): AvatarRecord {
  return { id: String(r.id), name: String(r.name), owner: String(r.owner), size: Number(r.size), sha256: String(r.sha256), createdAt: Number(r.created_at) };
}

export function bytesFromRow(r: LibraryRow | undefined): Uint8Array | null {
  const b = r?.bytes;
  // both drivers hand out memory of its own (SQLite copies out of its heap, pg makes a Buffer)
  return b instanceof Uint8Array ? b : null;
}

/**
 * Once, at start: the user's characters and uploaded avatars that earlier
 * Parleys kept as files in the data dir (characters/<id>.json, avatars/<id>.vrm,
 * avatars/<id>.own.vrm, avatars/people/<sha256>.vrm) go into the store. Each
 * file is moved into a backup dir (`imported-files/`, same layout) after its
 * record is stored, never deleted, so nothing is imported twice and nothing is
 * lost. What the store already has (another process imported its own copy) wins;
 * the file is still moved aside. A file that does not read is moved aside too,
 * with a warning naming where it is.
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CharacterConfig } from "@parley/shared";
import type { Store } from "../store/Store.js";
import { avatarRecord, sha256Hex } from "../store/libraryRows.js";
import { checkVrm } from "../avatars/checkVrm.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

export const BACKUP_DIR = "imported-files";

export interface ImportReport { characters: number; avatars: number; kept: number; unreadable: string[] }

/** A file the data dir held, what it becomes in the store. */
interface Found { rel: string; kind: "character" | "avatar"; key: string; owner: string }

function found(dataDir: string): Found[] {
  const list = (rel: string): string[] => (existsSync(join(dataDir, rel)) ? readdirSync(join(dataDir, rel)).sort() : []);
  const out: Found[] = [];
  for (const f of list("characters")) {
    const id = /^([a-z0-9][a-z0-9_-]{0,31})\.json$/.exec(f)?.[1];
    if (id) out.push({ rel: `characters/${f}`, kind: "character", key: id, owner: id });
  }
  for (const f of list("avatars")) {
    const own = /^([a-z0-9][a-z0-9_-]{0,31})\.own\.vrm$/.exec(f)?.[1];
    const up = /^([a-z0-9][a-z0-9_-]{0,31})\.vrm$/.exec(f)?.[1];
    if (own) out.push({ rel: `avatars/${f}`, kind: "avatar", key: `own/${own}`, owner: own });
    else if (up) out.push({ rel: `avatars/${f}`, kind: "avatar", key: `character/${up}`, owner: up });
  }
  for (const f of list("avatars/people")) {
    const sha = /^([0-9a-f]{64})\.vrm$/.exec(f)?.[1];
    if (sha) out.push({ rel: `avatars/people/${f}`, kind: "avatar", key: `person/${sha}`, owner: "people" });
  }
  return out;
}

type Parsed = { kind: "character"; config: CharacterConfig } | { kind: "avatar"; bytes: Uint8Array };

/** Reads and checks a file; throws when it is not what its name says. */
async function parse(dataDir: string, f: Found): Promise<Parsed> {
  const bytes = new Uint8Array(await readFile(join(dataDir, f.rel)));
  if (f.kind === "character") {
    const config = CharacterConfig.parse(JSON.parse(new TextDecoder().decode(bytes)));
    if (config.id !== f.key) throw new Error(`its id is "${config.id}"`);
    return { kind: "character", config };
  }
  checkVrm(bytes);
  if (f.key.startsWith("person/") && sha256Hex(bytes) !== f.key.slice(7)) throw new Error("its bytes are not the ones its name says");
  return { kind: "avatar", bytes };
}

/** Stores it unless the store has it already. A store that fails throws: the file stays where it is, for the next start. */
async function keep(store: Store, f: Found, p: Parsed): Promise<"stored" | "kept"> {
  if (p.kind === "character") {
    if (await store.character(f.key)) return "kept";
    await store.saveCharacter({ id: f.key, config: p.config, updatedAt: Date.now() });
    return "stored";
  }
  if (await store.avatar(f.key)) return "kept";
  await store.saveAvatar(avatarRecord(f.key, f.owner === "people" ? "" : f.owner, f.owner, p.bytes), p.bytes);
  return "stored";
}

/** Moves a file into the backup dir (a free name there, never over another). */
async function setAside(dataDir: string, rel: string): Promise<string> {
  let to = join(dataDir, BACKUP_DIR, rel);
  for (let n = 2; existsSync(to); n++) to = join(dataDir, BACKUP_DIR, `${rel}.${n}`);
  await mkdir(dirname(to), { recursive: true });
  await rename(join(dataDir, rel), to);
  return to;
}

export async function importDataDir(store: Store, dataDir: string): Promise<ImportReport> {
  const report: ImportReport = { characters: 0, avatars: 0, kept: 0, unreadable: [] };
  const files = found(dataDir);
  for (const f of files) {
    let p: Parsed | null = null;
    try {
      p = await parse(dataDir, f);
    } catch (err) {
      report.unreadable.push(f.rel);
      log.warn(`${f.rel} in ${dataDir} was not imported (${errorMessage(err).slice(0, 200)}); it is kept in ${join(dataDir, BACKUP_DIR)}`);
    }
    if (p) {
      if ((await keep(store, f, p)) === "kept") report.kept++;
      else report[f.kind === "character" ? "characters" : "avatars"]++;
    }
    // stored (or not storable): either way it is not read from the data dir again
    await setAside(dataDir, f.rel);
  }
  if (files.length) log.info(`imported ${report.characters} characters and ${report.avatars} avatars from ${dataDir} into the store (${report.kept} it had already); the files are in ${join(dataDir, BACKUP_DIR)}`);
  return report;
}

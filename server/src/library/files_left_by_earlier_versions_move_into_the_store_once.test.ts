/**
 * Characters and avatars earlier Parleys kept as files in the data dir go into
 * the store at start, once: every file is moved into the backup dir (never
 * deleted), what the store already has wins, a file that does not read is kept
 * aside with a warning, and a start after that imports nothing again.
 */
import { describe, it, expect, afterAll } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../store/SqliteStore.js";
import { BACKUP_DIR, importDataDir } from "./importDataDir.js";
import { avatarRecord, sha256Hex } from "../store/libraryRows.js";
import { REPO_ROOT } from "../config.js";

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const vrm = (name: string): Uint8Array => new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", name)));
const character = (id: string, name: string): object => ({ id, name, persona: "Someone.", avatar: "ada.vrm" });

describe("files left in the data dir by earlier versions", () => {
  it("move into the store once, each file kept in the backup dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "parley-import-"));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, "characters"));
    mkdirSync(join(dataDir, "avatars", "people"), { recursive: true });
    writeFileSync(join(dataDir, "characters", "eve.json"), JSON.stringify({ ...character("eve", "Ева"), avatar: "./eve.own.vrm" }));
    writeFileSync(join(dataDir, "characters", "ada.json"), JSON.stringify(character("ada", "Ada, edited")));
    writeFileSync(join(dataDir, "characters", "kept.json"), JSON.stringify(character("kept", "From this dir")));
    writeFileSync(join(dataDir, "characters", "broken.json"), "{ not json");
    writeFileSync(join(dataDir, "characters", "eve.json.123.tmp"), "half a file");
    const own = vrm("noa.vrm");
    const uploaded = vrm("juno.vrm");
    const person = vrm("kenji.vrm");
    writeFileSync(join(dataDir, "avatars", "eve.own.vrm"), own);
    writeFileSync(join(dataDir, "avatars", "ada.vrm"), uploaded);
    writeFileSync(join(dataDir, "avatars", "people", `${sha256Hex(person)}.vrm`), person);
    writeFileSync(join(dataDir, "avatars", "people", `${"0".repeat(64)}.vrm`), person);

    const store = SqliteStore.open(join(dataDir, "parley.sqlite"));
    try {
      // another process put its own "kept" into the shared store first
      await store.saveCharacter({ id: "kept", config: character("kept", "Already stored"), updatedAt: 1 });
      const report = await importDataDir(store, dataDir);
      expect(report).toEqual({ characters: 2, avatars: 3, kept: 1, unreadable: ["characters/broken.json", `avatars/people/${"0".repeat(64)}.vrm`] });
      expect((await store.character("eve"))?.config).toMatchObject({ name: "Ева", avatar: "./eve.own.vrm" });
      expect((await store.character("ada"))?.config).toMatchObject({ name: "Ada, edited" });
      expect((await store.character("kept"))?.config).toMatchObject({ name: "Already stored" });
      expect(await store.avatar("own/eve")).toMatchObject({ owner: "eve", size: own.byteLength, sha256: sha256Hex(own) });
      expect(Buffer.compare(Buffer.from((await store.avatarBytes("character/ada"))!), Buffer.from(uploaded))).toBe(0);
      expect(await store.avatar(`person/${sha256Hex(person)}`)).toMatchObject({ owner: "people", sha256: sha256Hex(person) });

      // every file it read is in the backup dir, byte for byte; the half-written temp file is left alone
      const backup = join(dataDir, BACKUP_DIR);
      expect(readdirSync(join(dataDir, "characters"))).toEqual(["eve.json.123.tmp"]);
      expect(readdirSync(join(dataDir, "avatars", "people"))).toEqual([]);
      expect(readdirSync(join(backup, "characters")).sort()).toEqual(["ada.json", "broken.json", "eve.json", "kept.json"]);
      expect(readFileSync(join(backup, "characters", "broken.json"), "utf8")).toBe("{ not json");
      expect(Buffer.compare(readFileSync(join(backup, "avatars", "eve.own.vrm")), Buffer.from(own))).toBe(0);
      expect(existsSync(join(backup, "avatars", "people", `${sha256Hex(person)}.vrm`))).toBe(true);

      // the next start finds nothing to import; a file of the same name later goes beside the first copy
      expect(await importDataDir(store, dataDir)).toEqual({ characters: 0, avatars: 0, kept: 0, unreadable: [] });
      writeFileSync(join(dataDir, "characters", "ada.json"), JSON.stringify(character("ada", "Ada, again")));
      expect(await importDataDir(store, dataDir)).toMatchObject({ kept: 1 });
      expect(readFileSync(join(backup, "characters", "ada.json.2"), "utf8")).toContain("Ada, again");
    } finally {
      await store.close();
    }
  });

  it("leaves a file where it is when the store cannot take it, for the next start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "parley-import-"));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, "avatars"));
    writeFileSync(join(dataDir, "avatars", "ada.vrm"), vrm("juno.vrm"));
    const store = SqliteStore.inMemory();
    await store.close();
    await expect(importDataDir(store, dataDir)).rejects.toThrow();
    expect(existsSync(join(dataDir, "avatars", "ada.vrm"))).toBe(true);
    expect(existsSync(join(dataDir, BACKUP_DIR))).toBe(false);
    // and with a store that works, it goes in
    const working = SqliteStore.inMemory();
    await working.saveAvatar(avatarRecord("character/theo", "Theo", "theo", vrm("theo.vrm")), vrm("theo.vrm"));
    expect(await importDataDir(working, dataDir)).toMatchObject({ avatars: 1 });
    expect((await working.avatars()).map((a) => a.id)).toEqual(["character/ada", "character/theo"]);
    await working.close();
  });
});

import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteStore, StoreBusyError } from "./SqliteStore.js";
import { line } from "./storeConformance.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "../../..");
const dirs: string[] = [];
const fresh = (): string => { const d = mkdtempSync(join(tmpdir(), "parley-kill-")); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Runs the writer until it has acknowledged `atLeast` lines (plus a random moment), then kill -9. */
function writeAndKill(path: string, atLeast: number, extraMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // node itself (not the tsx launcher, which would leave its child running when killed)
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "sqliteWriterChild.ts"), path], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let armed = false;
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (!armed && out.split("\n").length > atLeast) { armed = true; setTimeout(() => child.kill("SIGKILL"), extraMs); }
    });
    child.stderr.on("data", (b: Buffer) => { err += b.toString(); });
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") { reject(new Error(`writer ended by itself: ${err.slice(0, 500)}`)); return; }
      // only complete lines were acknowledged
      resolve(out.split("\n").slice(0, -1));
    });
  });
}

describe("the embedded store under a kill -9", () => {
  it("keeps every acknowledged line and opens cleanly, run after run", async () => {
    const path = join(fresh(), "parley.sqlite");
    let acknowledged: string[] = [];
    for (let run = 0; run < 4; run++) {
      acknowledged = [...acknowledged, ...(await writeAndKill(path, 20, 37 * run + 11))];
      const store = SqliteStore.open(path);
      expect(store.notice).toBe("");
      const ids = new Set((await store.allLines("main")).map((l) => l.id));
      const lost = acknowledged.filter((id) => !ids.has(id));
      expect(lost, `run ${run}: lost ${lost.length} of ${acknowledged.length}`).toEqual([]);
      await store.close();
    }
  }, 60_000);
});

describe("a damaged database file", () => {
  it("is set aside and a new one started, with a notice saying so", async () => {
    const dir = fresh();
    const path = join(dir, "parley.sqlite");
    writeFileSync(path, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(3000, 0x41)]));
    const store = SqliteStore.open(path);
    expect(store.notice).toMatch(/could not be read/);
    expect(store.notice).toMatch(/set aside/);
    await store.saveLine("main", line("fresh start"), null);
    expect(await store.allLines("main")).toHaveLength(1);
    await store.close();
    expect(readdirSync(dir).some((f) => f.startsWith("parley.sqlite.damaged-"))).toBe(true);
  });

  it("a half-written copy of a good database is set aside too", async () => {
    const dir = fresh();
    const good = join(dir, "good.sqlite");
    const s = SqliteStore.open(good);
    for (let i = 0; i < 200; i++) await s.saveLine("main", line(`line ${i} ${"y".repeat(200)}`), null);
    await s.close();
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(good);
    const half = join(dir, "half.sqlite");
    writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const store = SqliteStore.open(half);
    expect(store.notice).toMatch(/set aside/);
    await store.close();
  });
});

describe("one owner per file", () => {
  it("refuses a second live process and recovers from a dead one's leftovers", async () => {
    const dir = fresh();
    const path = join(dir, "parley.sqlite");
    // a live other owner (this test's parent process stands in for it)
    writeFileSync(`${path}.pid`, String(process.ppid));
    expect(() => SqliteStore.open(path)).toThrow(StoreBusyError);
    // a dead owner that crashed mid-write: its pid and lock directory are cleared
    writeFileSync(`${path}.pid`, "999999");
    mkdirSync(`${path}.lock`);
    const store = SqliteStore.open(path);
    await store.saveLine("main", line("after a crash"), null);
    expect(existsSync(`${path}.lock`)).toBe(false);
    await store.close();
  });
});

/**
 * Two processes on one PostgreSQL: what one saves to a table, the other reads,
 * whichever of them wrote first, and in the order it was said.
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PostgresStore } from "./PostgresStore.js";
import { line } from "./storeConformance.js";
import { startPostgres, type RunningPostgres } from "../../../tests/support/postgres.js";

const here = dirname(fileURLToPath(import.meta.url));
let server: RunningPostgres;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

/** Runs the writer child to its end; returns the ids it saved and the ids it read back. */
function child(url: string, table: string, count: number): Promise<{ saved: string[]; read: string[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", join(here, "postgresWriterChild.ts"), url, table, String(count)], { cwd: join(here, "../../.."), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (b: Buffer) => { out += b.toString(); });
    p.stderr.on("data", (b: Buffer) => { err += b.toString(); });
    p.on("exit", (code) => {
      if (code !== 0) { reject(new Error(`writer failed (${code}): ${err.slice(-1000)}`)); return; }
      const of = (kind: string): string[] => out.split("\n").filter((l) => l.startsWith(`${kind} `)).map((l) => l.slice(kind.length + 1));
      resolve({ saved: of("saved"), read: of("read") });
    });
  });
}

describe("a table's history on a shared PostgreSQL", () => {
  it("written by one process is read by another, both ways, in order", async () => {
    const url = await server.createDatabase("shared");
    const mine = await PostgresStore.open(url);
    const first = line("from this process, first", { at: Date.now() - 1000 });
    await mine.saveLine("t1", first, null);
    // another process writes to the same table, and reads this process's line
    const other = await child(url, "t1", 25);
    expect(other.saved).toHaveLength(25);
    expect(other.read).toEqual([first.id, ...other.saved]);
    // this process, still open, reads the other's lines
    const after = line("from this process, after", { at: Date.now() + 1000 });
    await mine.saveLine("t1", after, null);
    expect((await mine.allLines("t1")).map((l) => l.id)).toEqual([first.id, ...other.saved, after.id]);
    expect((await mine.recentLines("t1", 3)).map((l) => l.id)).toEqual([...other.saved.slice(-2), after.id]);
    await mine.close();
  });
});

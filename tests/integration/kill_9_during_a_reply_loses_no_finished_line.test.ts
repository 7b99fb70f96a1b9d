/**
 * The real server, as `npm run demo` starts it, killed with SIGKILL while a
 * character is mid-reply, then started again on the same data dir: every line
 * any client saw finished before the kill is there, and the database opens.
 */
import { describe, it, expect, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import { REPO_ROOT } from "../../server/src/config.js";
import { TEST_CACHE_DIR } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";

const dataDir = mkdtempSync(join(tmpdir(), "parley-kill9-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `server/src/main.ts --demo`; resolves with the process and its port once it listens. */
function startServer(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "server/src/main.ts"), "--demo"], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", PARLEY_DATA_DIR: dataDir, PARLEY_CACHE_DIR: TEST_CACHE_DIR, PARLEY_OFFLINE: "1", PARLEY_THREADS: "1", PARLEY_ASR: "none" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out.slice(-2000)}`)), 60_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /open http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, port: Number(m[1]) }); }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => { clearTimeout(timer); if (!/open http/.test(out)) reject(new Error(`server exited (${code}): ${out.slice(-2000)}`)); });
  });
}

async function joinTable(port: number): Promise<Room> {
  const room = await new Client(`ws://127.0.0.1:${port}`).joinOrCreate("parley", { name: "Sam", personId: "sam-kill-test-01" });
  room.onMessage("*", () => {});
  if (!(room.state as { characters?: unknown }).characters) await new Promise<void>((r) => room.onStateChange.once(() => r()));
  await until(() => view(room).llm.ready, 30_000, "the demo model");
  return room;
}

describe("a kill -9 during a reply", () => {
  it("loses no line any client saw finished, run after run", async () => {
    const seen = new Map<string, string>();
    for (let run = 0; run < 3; run++) {
      const { child, port } = await startServer();
      const room = await joinTable(port);
      // what an earlier run saw finished is back
      for (const [id, text] of seen) expect(view(room).transcript.find((l) => l.id === id)?.text, `line ${id} from before`).toBe(text);
      const log = new MessageLog(room);
      room.send("chat", { text: `Ada, tell me something, round ${run}.` });
      await log.waitForType("utt:end", 30_000);
      await until(() => view(room).transcript.filter((l) => l.speakerName === "Ada" && l.done).length > 0, 5000, "Ada's line done");
      // and a second question: killed while she answers it
      const question = `Theo, and you? Round ${run}.`;
      room.send("chat", { text: question });
      if (run === 0) {
        // killed the moment the client sees the question finished (Theo is still thinking)
        await until(() => view(room).transcript.some((l) => l.text === question && l.done), 10_000, "the question");
      } else {
        const start = await log.waitFor((r) => r.type === "utt:start" && (r.payload as { characterId: string }).characterId === "theo", 30_000, "Theo starts");
        const id = (start.payload as { utteranceId: string }).utteranceId;
        await log.waitFor((r) => r.type === "utt:chunk" && (r.payload as { utteranceId: string }).utteranceId === id, 30_000, "Theo speaking");
        await new Promise((r) => setTimeout(r, run * 120));
      }
      for (const l of view(room).transcript) if (l.done) seen.set(l.id, l.text);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      expect(seen.size).toBeGreaterThanOrEqual(2 * (run + 1));
    }
    // the last restart: it opens, and everything is there
    const { child, port } = await startServer();
    const room = await joinTable(port);
    for (const [id, text] of seen) expect(view(room).transcript.find((l) => l.id === id)?.text).toBe(text);
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }, 240_000);
});

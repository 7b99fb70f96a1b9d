/**
 * A real Redis (Debian's redis-server) for a test: 127.0.0.1 only, a free port,
 * its own temp dir, nothing saved to disk; `stop()` ends it and removes the dir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./freePort.js";

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), "parley-redis-"));
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", [
    "--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out.slice(-1000)}`)), 15_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (/Ready to accept connections/.test(out)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (err) => { clearTimeout(timer); reject(new Error(`redis-server could not be run (apt-get install redis-server): ${err.message}`)); });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`redis-server exited (${code}): ${out.slice(-1000)}`)); });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

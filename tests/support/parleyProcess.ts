/**
 * A real Parley process (`server/src/main.ts --demo`, run by node itself so a
 * kill -9 ends the server and not a launcher) on 127.0.0.1 and a free port,
 * with the test's environment on top of the demo model and offline voices.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../server/src/config.js";
import { TEST_CACHE_DIR } from "./boot.js";
import { freePort } from "./freePort.js";

export interface ParleyProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** everything it printed */
  output(): string;
  /** kill -9; resolves when it is gone */
  kill9(): Promise<void>;
  /** a graceful stop (SIGTERM); resolves when it is gone */
  stop(): Promise<void>;
}

const gone = (child: ChildProcess): Promise<void> => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r())));

export async function startParleyProcess(env: Record<string, string>): Promise<ParleyProcess> {
  // a test that needs the port beforehand (in PARLEY_PROCESS_ADDRESS, say) picks it
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "server/src/main.ts"), "--demo"], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), PARLEY_CACHE_DIR: TEST_CACHE_DIR, PARLEY_OFFLINE: "1", PARLEY_THREADS: "1", PARLEY_ASR: "none", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`Parley did not start: ${out.slice(-2000)}`)); }, 60_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (out.includes(`open http://127.0.0.1:${port}`)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`Parley exited (${code}): ${out.slice(-2000)}`)); });
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    async kill9() { child.kill("SIGKILL"); await gone(child); },
    async stop() { child.kill("SIGTERM"); await gone(child); },
  };
}

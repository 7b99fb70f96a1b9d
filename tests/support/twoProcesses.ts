/**
 * Two Parley processes sharing one real Redis and one real PostgreSQL (each
 * with its own data dir), started together; `stop()` ends all of it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedis } from "./redis.js";
import { startPostgres } from "./postgres.js";
import { startParleyProcess, type ParleyProcess } from "./parleyProcess.js";

export interface TwoProcesses {
  a: ParleyProcess;
  b: ParleyProcess;
  stop(): Promise<void>;
}

export async function startTwoProcesses(env: Record<string, string> = {}): Promise<TwoProcesses> {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const dirs = [mkdtempSync(join(tmpdir(), "parley-proc-")), mkdtempSync(join(tmpdir(), "parley-proc-"))];
  const stopAll = async (procs: readonly ParleyProcess[]): Promise<void> => {
    // a process the test killed is gone already; the others stop gracefully
    for (const p of procs) await p.stop();
    await redis.stop();
    await postgres.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  const shared = { ...env, PARLEY_REDIS_URL: redis.url, PARLEY_DATABASE_URL: await postgres.createDatabase("parley") };
  const started = await Promise.allSettled(dirs.map((d) => startParleyProcess({ ...shared, PARLEY_DATA_DIR: d })));
  const procs = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) { await stopAll(procs); throw failed.reason; }
  const [a, b] = procs as [ParleyProcess, ParleyProcess];
  return { a, b, stop: () => stopAll(procs) };
}

/**
 * A real PostgreSQL (Debian's, initdb + pg_ctl) for a test: 127.0.0.1 only, a
 * free port, a fresh cluster in its own temp dir; `stop()` ends it and removes
 * the dir. PostgreSQL refuses to run as root, so as root the cluster belongs to
 * the `postgres` user (or `nobody`) and its commands run as that user.
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./freePort.js";

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl: the newest Debian cluster version, else PATH. */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return join(root, versions[0], "bin");
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(join(dir, "initdb"))) return dir;
  throw new Error("PostgreSQL's initdb was not found (apt-get install postgresql)");
}

/** Who runs the cluster: this user, or a system user when this is root. */
function clusterUser(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      return { uid: Number(execFileSync("id", ["-u", name], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", name], { encoding: "utf8" })) };
    } catch { /* no such user */ }
  }
  throw new Error("running as root and neither a postgres nor a nobody user exists to run PostgreSQL");
}

export interface RunningPostgres {
  /** a connection URL for a database (default: postgres) */
  url(database?: string): string;
  /** makes a new empty database; returns its URL */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binDir();
  const user = clusterUser();
  const dir = mkdtempSync(join(tmpdir(), "parley-pg-"));
  const data = join(dir, "data");
  mkdirSync(data, { mode: 0o700 });
  if (user) { chownSync(dir, user.uid, user.gid); chownSync(data, user.uid, user.gid); }
  const as = (cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> => user
    ? run("setpriv", [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--", join(bin, cmd), ...args], { cwd: dir })
    : run(join(bin, cmd), args, { cwd: dir });
  const port = await freePort();
  try {
    await as("initdb", ["-D", data, "-U", "parley", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
    // sockets in the cluster's own dir; TCP on 127.0.0.1 only
    await as("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`, "start"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}`);
  }
  const url = (database = "postgres"): string => `postgres://parley@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try { await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`); } finally { await client.end(); }
      return url(name);
    },
    async stop() {
      await as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

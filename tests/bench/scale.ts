/**
 * scale.*: how many talking tables one Parley process holds, and a join across
 * two processes.
 *
 * One Parley process (a child: `main.ts --demo`, offline voices, one model
 * thread) gets talking tables one level at a time (tables of three characters,
 * four SDK clients each, "everyone talks" on, nudged when they fall quiet).
 * Three clients per table load it from this process; the fourth is the
 * measuring client, in a probe process of its own (scaleProbe.ts). At each
 * level, after a settling time: the message delay (a Colyseus ping's round trip
 * through the table's room, ms) and the audio chunks that arrive after their
 * play time on the page's schedule. `scale.tables_per_process` is the last
 * level with p95 ≤ 50 ms and no late chunk; `scale.rss_mb_per_table` what one more
 * open table with four people seated adds to the server's RSS.
 *
 * `scale.two_process_join_ms`: two processes on a real Redis and PostgreSQL; a
 * seat reserved through one (HTTP matchmaking) in a table living in the other,
 * until the first state arrives.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client, type Room } from "@colyseus/sdk";
import { REPO_ROOT } from "../../server/src/config.js";
import type { ProbeCommand, ProbeResults } from "./scaleProbe.js";
import { startParleyProcess, type ParleyProcess } from "../support/parleyProcess.js";
import { startTwoProcesses } from "../support/twoProcesses.js";
import { summary, round, type Section } from "./stats.js";

/** talking tables at each step of the ramp */
const LEVELS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];
const SETTLE_MS = 5000;
const WINDOW_MS = 15_000;
const MAX_DELAY_P95_MS = 50;
/** clients per table: one is the probe's, the others load the server from this process */
const CLIENTS_PER_TABLE = 4;
/** quiet tables (seated, not talking) added after the ramp to weigh a table's memory */
const WEIGHED_TABLES = 12;
const RSS_SAMPLES = 8;
const JOINS = 20;

/** POST JSON from a given loopback address (the per-address budget for new tables is 20 a minute). */
function post(url: string, body: unknown, localAddress: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: "POST", localAddress, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      let text = "";
      res.on("data", (b: Buffer) => { text += b.toString(); });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
/** CPU time the process has used (user + system), ms: fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** The server's RSS once a second for `seconds` (a median of these evens out the garbage collector). */
async function sampleRss(server: ParleyProcess, seconds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < seconds; i++) { await new Promise((r) => setTimeout(r, 1000)); out.push(rssMb(server.child.pid!)); }
  return out;
}

/** The measuring client process (scaleProbe.ts): one command at a time, one JSON line back. */
class Probe {
  private readonly child: ChildProcess;
  private readonly replies: ((line: string) => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "tests/bench/scaleProbe.ts")], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] });
    createInterface({ input: this.child.stdout! }).on("line", (line) => this.replies.shift()?.(line));
  }

  ask<T>(cmd: ProbeCommand): Promise<T> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => {
        const v = JSON.parse(line) as T & { error?: string };
        if (v.error) reject(new Error(`probe: ${v.error}`)); else resolve(v);
      });
      this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.stdin!.write(`${JSON.stringify({ op: "close" })}\n`);
    await exited;
  }
}

/** One talking table: the load clients in this process, nudging the characters when they fall quiet. */
class TalkingTable {
  readonly rooms: Room[] = [];
  private nudger: NodeJS.Timeout | null = null;
  private speaking = 0;
  private quietSince = performance.now();
  private nudges = 0;

  /** a new table with its clients seated: measured by the probe and talking, or quiet */
  static async open(server: ParleyProcess, n: number, probe: Probe | null): Promise<TalkingTable> {
    const made = await post(`${server.url}/api/tables`, { name: `Scale ${n}`, characters: ["ada", "theo", "juno"], language: "en" }, `127.0.0.${2 + Math.floor(n / 20)}`);
    if (made.status !== 201) throw new Error(`table ${n}: ${made.status} ${JSON.stringify(made.json)}`);
    const id = (made.json as { id: string }).id;
    const ws = server.url.replace(/^http/, "ws");
    if (probe) await probe.ask({ op: "join", url: ws, tableId: id });
    const t = new TalkingTable();
    for (let i = probe ? 1 : 0; i < CLIENTS_PER_TABLE; i++) {
      const room = await new Client(ws).joinById(id, { name: `P${n}-${i}` });
      room.onMessage("*", () => {});
      t.rooms.push(room);
    }
    if (probe) t.talk();
    return t;
  }

  private talk(): void {
    const room = this.rooms[0]!;
    room.onMessage("utt:start", () => { this.speaking++; });
    const ended = (): void => { this.speaking = Math.max(0, this.speaking - 1); this.quietSince = performance.now(); };
    room.onMessage("utt:end", ended);
    room.onMessage("utt:cancel", ended);
    room.send("settings", { everyoneTalks: true, maxAutoTurns: 50, speculation: true });
    room.send("chat", { text: "Ada, Theo, Juno: tell each other about your day." });
    // characters that rested (a cap of turns, nobody picked): someone speaks up, a different client each time
    this.nudger = setInterval(() => {
      if (this.speaking > 0 || performance.now() - this.quietSince < 3000) return;
      this.quietSince = performance.now();
      this.rooms[this.nudges++ % this.rooms.length]!.send("chat", { text: this.nudges % 2 ? "Everyone, what do you think about that?" : "Juno, tell us more." });
    }, 1000);
  }

  async close(): Promise<void> {
    if (this.nudger) clearInterval(this.nudger);
    await Promise.all(this.rooms.map((r) => r.leave().catch(() => {})));
  }
}

interface Level { tables: number; delay: ReturnType<typeof summary>; chunks: number; late: number; rss: number; cpu: number; probeLoopP99: number; benchLoopP99: number }

async function rampTables(): Promise<{ figures: Record<string, unknown>; notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-scale-"));
  const server = await startParleyProcess({ PARLEY_DATA_DIR: dataDir });
  const probe = new Probe();
  const tables: TalkingTable[] = [];
  const benchLoop = monitorEventLoopDelay({ resolution: 10 });
  const levels: Level[] = [];
  const load = loadavg()[0]!;
  try {
    for (const level of LEVELS) {
      while (tables.length < level) tables.push(await TalkingTable.open(server, tables.length, probe));
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      await probe.ask({ op: "count" });
      benchLoop.reset();
      benchLoop.enable();
      const cpu0 = cpuMs(server.child.pid!);
      const t0 = performance.now();
      const rss = await sampleRss(server, WINDOW_MS / 1000);
      // the share of one core the server used
      const cpu = (cpuMs(server.child.pid!) - cpu0) / (performance.now() - t0);
      benchLoop.disable();
      const got = await probe.ask<ProbeResults>({ op: "results" });
      const r: Level = { tables: level, delay: summary(got.pings), chunks: got.chunks, late: got.late, rss: median(rss), cpu, probeLoopP99: round(got.loopP99Ms), benchLoopP99: round(benchLoop.percentile(99) / 1e6) };
      levels.push(r);
      process.stdout.write(`  scale: ${level} tables: delay p50 ${r.delay.p50} p95 ${r.delay.p95} ms, ${r.late}/${r.chunks} chunks late, server RSS ${round(r.rss)} MB, CPU ${round(r.cpu * 100)}% of a core, loop p99 probe ${r.probeLoopP99} ms, load ${r.benchLoopP99} ms\n`);
      if (r.delay.p95 > MAX_DELAY_P95_MS || r.late > 0 || r.chunks === 0) break;
    }
    // a table's memory: quiet tables with their people seated, added to the talking ones
    const before = median(await sampleRss(server, RSS_SAMPLES));
    for (let i = 0; i < WEIGHED_TABLES; i++) tables.push(await TalkingTable.open(server, tables.length, null));
    const after = median(await sampleRss(server, RSS_SAMPLES));
    const best = levels.filter((l) => l.delay.p95 <= MAX_DELAY_P95_MS && l.late === 0 && l.chunks > 0).at(-1);
    const top = levels.at(-1)!;
    return {
      figures: {
        "scale.tables_per_process": best?.tables ?? 0,
        "scale.message_delay_ms": best ? { p50: best.delay.p50, p95: best.delay.p95, n: best.delay.n } : { p50: NaN, p95: NaN, n: 0 },
        "scale.rss_mb_per_table": round((after - before) / WEIGHED_TABLES),
        // the server's CPU at the limit, per talking table: what one table asks of a core
        "scale.cpu_share_per_table": best ? round(best.cpu / best.tables, 3) : NaN,
      },
      notes: [
        `scale: RSS per table: ${WEIGHED_TABLES} quiet tables (${CLIENTS_PER_TABLE} people seated each) took the server from ${round(before)} to ${round(after)} MB (medians of ${RSS_SAMPLES} samples)`,
        `scale: levels ${levels.map((l) => `${l.tables}: p95 ${l.delay.p95} ms, ${l.late}/${l.chunks} late, RSS ${round(l.rss)} MB, CPU ${round(l.cpu * 100)}%`).join("; ")}${top === best ? ` (the ramp ended at ${top.tables} tables without reaching the limit)` : ""}`,
        `scale: one server process (demo model on 1 thread, offline voices); per table 1 measuring client in a probe process (its event loop p99 at the last level: ${top.probeLoopP99} ms) and ${CLIENTS_PER_TABLE - 1} in the bench process; ${SETTLE_MS / 1000} s settling + ${WINDOW_MS / 1000} s measured per level; machine load average at the start: ${round(load)} on ${cpus().length} cores`,
      ],
    };
  } finally {
    for (const t of tables) await t.close();
    await probe.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function twoProcessJoin(): Promise<Record<string, unknown>> {
  const { a, b, stop } = await startTwoProcesses();
  try {
    const made = await post(`${a.url}/api/tables`, { name: "Across", characters: ["ada", "theo"], language: "en" }, "127.0.0.1");
    const id = (made.json as { id: string }).id;
    const client = new Client(b.url.replace(/^http/, "ws"));
    const times: number[] = [];
    for (let i = 0; i < JOINS + 3; i++) {
      const t0 = performance.now();
      const room = await client.joinById(id, { name: `J${i}` });
      if (!(room.state as { characters?: unknown }).characters) await new Promise<void>((r) => room.onStateChange.once(() => r()));
      const ms = performance.now() - t0;
      if (i >= 3) times.push(ms); // the first joins warm both processes up
      await room.leave();
    }
    return { "scale.two_process_join_ms": summary(times) };
  } finally {
    await stop();
  }
}

export async function benchScale(): Promise<Section> {
  const ramp = await rampTables();
  const join = await twoProcessJoin();
  return { figures: { ...ramp.figures, ...join }, notes: ramp.notes };
}

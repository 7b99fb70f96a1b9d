/**
 * scale.*: how many talking tables one Parley process holds, and a join across
 * two processes.
 *
 * One Parley process (a child: `main.ts --demo`, offline voices, one model
 * thread) gets talking tables one level at a time (tables of three characters,
 * four SDK clients each, "everyone talks" on, nudged when they fall quiet); the
 * clients live in this process, so the server's event loop is the child's own.
 * At each level, after a settling time: the message delay (a Colyseus ping's
 * round trip from one client per table through the table's room, ms) and the
 * audio chunks that arrive after their play time (the page's own schedule:
 * the first chunk plays 80 ms after it arrives, the rest back to back; a chunk
 * with less than 10 ms to spare is late). `scale.tables_per_process` is the
 * last level with p95 ≤ 50 ms and no late chunk; `scale.rss_mb_per_table` the
 * slope of the server's RSS over the talking tables.
 *
 * `scale.two_process_join_ms`: two processes on a real Redis and PostgreSQL; a
 * seat reserved through one (HTTP matchmaking) in a table living in the other,
 * until the first state arrives.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client, type Room } from "@colyseus/sdk";
import { startParleyProcess, type ParleyProcess } from "../support/parleyProcess.js";
import { startRedis } from "../support/redis.js";
import { startPostgres } from "../support/postgres.js";
import { summary, round, type Section } from "./stats.js";
import type { UttChunk } from "../../shared/src/index.js";

/** talking tables at each step of the ramp */
const LEVELS = [1, 2, 4, 6, 8, 12, 16, 24, 32];
const SETTLE_MS = 5000;
const WINDOW_MS = 15_000;
const PING_EVERY_MS = 250;
const MAX_DELAY_P95_MS = 50;
/** the page's schedule (client/src/audio/AudioEngine.ts): first chunk's delay, and the least slack, ms */
const START_DELAY_MS = 80;
const MIN_SLACK_MS = 10;
const CLIENTS_PER_TABLE = 4;
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

/** One talking table: its clients, its pings and its late chunks (counted while `counting`). */
class TalkingTable {
  readonly rooms: Room[] = [];
  pings: number[] = [];
  chunks = 0;
  late = 0;
  counting = false;
  private readonly t0 = new Map<string, number>();
  private pinger: NodeJS.Timeout | null = null;
  private nudger: NodeJS.Timeout | null = null;
  private speaking = 0;
  private quietSince = performance.now();
  private nudges = 0;

  static async open(server: ParleyProcess, n: number): Promise<TalkingTable> {
    const made = await post(`${server.url}/api/tables`, { name: `Scale ${n}`, characters: ["ada", "theo", "juno"], language: "en" }, `127.0.0.${2 + Math.floor(n / 20)}`);
    if (made.status !== 201) throw new Error(`table ${n}: ${made.status} ${JSON.stringify(made.json)}`);
    const id = (made.json as { id: string }).id;
    const t = new TalkingTable();
    const client = new Client(server.url.replace(/^http/, "ws"));
    for (let i = 0; i < CLIENTS_PER_TABLE; i++) {
      const room = await client.joinById(id, { name: `P${n}-${i}` });
      room.onMessage("*", () => {});
      t.rooms.push(room);
    }
    t.listen(t.rooms[0]!);
    t.rooms[0]!.send("settings", { everyoneTalks: true, maxAutoTurns: 50, speculation: true });
    t.rooms[1]!.send("chat", { text: "Ada, Theo, Juno: tell each other about your day." });
    return t;
  }

  /** the probe client: arrival of each chunk against its play time, and pings */
  private listen(room: Room): void {
    room.onMessage("utt:start", () => { this.speaking++; });
    room.onMessage("utt:end", () => { this.speaking = Math.max(0, this.speaking - 1); this.quietSince = performance.now(); });
    room.onMessage("utt:cancel", () => { this.speaking = Math.max(0, this.speaking - 1); this.quietSince = performance.now(); });
    room.onMessage("utt:chunk", (m: UttChunk) => {
      const now = performance.now();
      const at = (m.startSample / m.sampleRate) * 1000;
      let t0 = this.t0.get(m.utteranceId) ?? now + START_DELAY_MS - at;
      const when = t0 + at;
      const late = now > when - MIN_SLACK_MS;
      // the page shifts the rest of the utterance after a late chunk
      if (late) t0 += now + MIN_SLACK_MS - when;
      this.t0.set(m.utteranceId, t0);
      if (!this.counting) return;
      this.chunks++;
      if (late) this.late++;
    });
    this.pinger = setInterval(() => { if (this.counting) room.ping((ms) => { this.pings.push(ms); }); }, PING_EVERY_MS);
    // characters that rested (a cap of turns, nobody picked): someone speaks up, a different client each time
    this.nudger = setInterval(() => {
      if (this.speaking > 0 || performance.now() - this.quietSince < 3000) return;
      this.quietSince = performance.now();
      this.rooms[this.nudges++ % this.rooms.length]!.send("chat", { text: this.nudges % 2 ? "Everyone, what do you think about that?" : "Juno, tell us more." });
    }, 1000);
  }

  async close(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    if (this.nudger) clearInterval(this.nudger);
    await Promise.all(this.rooms.map((r) => r.leave().catch(() => {})));
  }
}

async function rampTables(): Promise<{ figures: Record<string, unknown>; notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-scale-"));
  const server = await startParleyProcess({ PARLEY_DATA_DIR: dataDir });
  const tables: TalkingTable[] = [];
  const benchLoop = monitorEventLoopDelay({ resolution: 10 });
  const levels: { tables: number; delay: ReturnType<typeof summary>; chunks: number; late: number; rss: number; benchLoopP99: number }[] = [];
  try {
    const idleRss = rssMb(server.child.pid!);
    for (const level of LEVELS) {
      while (tables.length < level) tables.push(await TalkingTable.open(server, tables.length));
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      for (const t of tables) { t.pings = []; t.chunks = 0; t.late = 0; t.counting = true; }
      benchLoop.reset();
      benchLoop.enable();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      benchLoop.disable();
      for (const t of tables) t.counting = false;
      const r = {
        tables: level,
        delay: summary(tables.flatMap((t) => t.pings)),
        chunks: tables.reduce((s, t) => s + t.chunks, 0),
        late: tables.reduce((s, t) => s + t.late, 0),
        rss: rssMb(server.child.pid!),
        benchLoopP99: round(benchLoop.percentile(99) / 1e6),
      };
      levels.push(r);
      process.stdout.write(`  scale: ${level} tables: delay p50 ${r.delay.p50} p95 ${r.delay.p95} ms, ${r.late}/${r.chunks} chunks late, server RSS ${round(r.rss)} MB, bench loop p99 ${r.benchLoopP99} ms\n`);
      if (r.delay.p95 > MAX_DELAY_P95_MS || r.late > 0 || r.chunks === 0) break;
    }
    const passed = levels.filter((l) => l.delay.p95 <= MAX_DELAY_P95_MS && l.late === 0 && l.chunks > 0);
    const best = passed.at(-1);
    // RSS per talking table: least-squares slope over the levels measured
    const xs = levels.map((l) => l.tables);
    const ys = levels.map((l) => l.rss);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const slope = den > 0 ? xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / den : (ys[0]! - idleRss) / xs[0]!;
    const top = levels.at(-1)!;
    return {
      figures: {
        "scale.tables_per_process": best?.tables ?? 0,
        "scale.message_delay_ms": best ? { p50: best.delay.p50, p95: best.delay.p95, n: best.delay.n } : { p50: NaN, p95: NaN, n: 0 },
        "scale.rss_mb_per_table": round(slope),
        "scale.rss_mb_idle": round(idleRss),
      },
      notes: [
        `scale: levels ${levels.map((l) => `${l.tables}: p95 ${l.delay.p95} ms, ${l.late}/${l.chunks} late`).join("; ")}${top === best ? ` (the ramp ended at ${top.tables} tables without reaching the limit)` : ""}`,
        `scale: one server process (demo model on 1 thread, offline voices), ${CLIENTS_PER_TABLE} SDK clients per table in the bench process (its event loop p99 at the last level: ${top.benchLoopP99} ms); ${SETTLE_MS / 1000} s settling + ${WINDOW_MS / 1000} s measured per level`,
      ],
    };
  } finally {
    for (const t of tables) await t.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function twoProcessJoin(): Promise<Record<string, unknown>> {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const dirs = [mkdtempSync(join(tmpdir(), "parley-bench-a-")), mkdtempSync(join(tmpdir(), "parley-bench-b-"))];
  const procs: ParleyProcess[] = [];
  try {
    const env = { PARLEY_REDIS_URL: redis.url, PARLEY_DATABASE_URL: await postgres.createDatabase("parley") };
    procs.push(...(await Promise.all(dirs.map((d) => startParleyProcess({ ...env, PARLEY_DATA_DIR: d })))));
    const [a, b] = procs as [ParleyProcess, ParleyProcess];
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
    for (const p of procs) await p.stop();
    await redis.stop();
    await postgres.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

export async function benchScale(): Promise<Section> {
  const ramp = await rampTables();
  const join = await twoProcessJoin();
  return { figures: { ...ramp.figures, ...join }, notes: ramp.notes };
}

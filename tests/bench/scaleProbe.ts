/**
 * The measuring client of the scale bench, in a process of its own so the load
 * (the other clients, in the bench process) does not delay what it measures:
 * one SDK client per table that pings through the table's room and checks each
 * audio chunk's arrival against its play time on the page's schedule
 * (client/src/audio/AudioEngine.ts: the first chunk plays 80 ms after it
 * arrives, the rest back to back; a chunk with less than 10 ms to spare is late).
 * Commands come as JSON lines on stdin; answers go out the same way.
 */
import { createInterface } from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client, type Room } from "@colyseus/sdk";
import type { UttChunk } from "../../shared/src/index.js";

const START_DELAY_MS = 80;
const MIN_SLACK_MS = 10;
const PING_EVERY_MS = 250;

export type ProbeCommand = { op: "join"; url: string; tableId: string } | { op: "count" } | { op: "results" } | { op: "close" };
export interface ProbeResults { pings: number[]; chunks: number; late: number; loopP99Ms: number }

const rooms: Room[] = [];
let counting = false;
let results: ProbeResults = { pings: [], chunks: 0, late: 0, loopP99Ms: 0 };
const loop = monitorEventLoopDelay({ resolution: 10 });
const reply = (v: unknown): void => { process.stdout.write(`${JSON.stringify(v)}\n`); };

async function join(url: string, tableId: string): Promise<void> {
  const room = await new Client(url).joinById(tableId, { name: `Probe ${rooms.length}` });
  room.onMessage("*", () => {});
  const t0 = new Map<string, number>();
  room.onMessage("utt:chunk", (m: UttChunk) => {
    const now = performance.now();
    const at = (m.startSample / m.sampleRate) * 1000;
    let start = t0.get(m.utteranceId) ?? now + START_DELAY_MS - at;
    const when = start + at;
    const late = now > when - MIN_SLACK_MS;
    // the page shifts the rest of the utterance after a late chunk
    if (late) start += now + MIN_SLACK_MS - when;
    t0.set(m.utteranceId, start);
    if (!counting) return;
    results.chunks++;
    if (late) results.late++;
  });
  setInterval(() => { if (counting) room.ping((ms) => { if (counting) results.pings.push(ms); }); }, PING_EVERY_MS).unref();
  rooms.push(room);
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const cmd = JSON.parse(line) as ProbeCommand;
  if (cmd.op === "join") join(cmd.url, cmd.tableId).then(() => reply({ ok: true }), (err: unknown) => reply({ error: String(err) }));
  else if (cmd.op === "count") { results = { pings: [], chunks: 0, late: 0, loopP99Ms: 0 }; loop.reset(); loop.enable(); counting = true; reply({ ok: true }); }
  else if (cmd.op === "results") { counting = false; loop.disable(); results.loopP99Ms = loop.percentile(99) / 1e6; reply(results); }
  else { void Promise.all(rooms.map((r) => r.leave().catch(() => {}))).then(() => process.exit(0)); }
});

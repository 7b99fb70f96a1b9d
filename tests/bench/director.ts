/**
 * director.gap_ms: in "everyone talks" mode, the silence between the end of one
 * character's audio and the start of the next one's, at a client, with and
 * without speculation (demo model, offline voice).
 */
import { boot } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { summary, round, type Section } from "./stats.js";
import type { UttChunk, UttStart } from "../../shared/src/index.js";

async function gaps(speculation: boolean, wanted: number): Promise<number[]> {
  // short replies so many turns fit in a minute
  const app = await boot({ PARLEY_MAX_TOKENS: "10" });
  try {
    const room = await app.join("Bench");
    const log = new MessageLog(room);
    room.send("settings", { everyoneTalks: true, maxAutoTurns: wanted + 2, interruptSensitivity: 0, speculation });
    await until(() => view(room).settings.everyoneTalks, 5000, "settings");
    room.send("chat", { text: "Ada, start us off." });
    const starts = () => log.of<UttStart>("utt:start");
    await until(() => starts().length >= wanted + 1, 240_000, `${wanted + 1} utterances`);
    room.send("stop");
    // audible interval of each utterance at this client: from its first chunk, for its length
    const iv = starts().map((s) => {
      const chunks = log.all.filter((r) => r.type === "utt:chunk" && (r.payload as UttChunk).utteranceId === s.utteranceId);
      const first = chunks[0]!;
      const samples = chunks.reduce((n, r) => n + (r.payload as UttChunk).pcm.byteLength / 2, 0);
      return { from: first.at, to: first.at + (samples / s.sampleRate) * 1000 };
    });
    return iv.slice(1, wanted + 1).map((x, i) => x.from - iv[i]!.to);
  } finally {
    await app.stop();
  }
}

export async function benchDirector(runs: number): Promise<Section> {
  const n = Math.max(10, Math.min(runs, 20));
  const withSpec = await gaps(true, n);
  const without = await gaps(false, n);
  const a = summary(withSpec);
  const b = summary(without);
  return {
    figures: {
      "director.gap_ms": { p50: a.p50, p95: a.p95, n: a.n },
      "director.gap_ms_no_speculation": { p50: b.p50, p95: b.p95, n: b.n },
      "director.speculation_ratio": round(a.p50 / b.p50, 3),
    },
    notes: ["director.gap_ms: includes the director's natural pause (150 ± 60 ms)"],
  };
}

/**
 * pipeline.*: from a client sending a chat message to that client receiving the
 * first audio chunk of the reply, over loopback with the real server and the
 * @colyseus/sdk client (demo model, offline voice). The same replies are also
 * produced the naive way (whole reply, then whole TTS, then send), alternating
 * run by run so both see the same machine state.
 */
import { boot } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { summary, round, type Section } from "./stats.js";
import type { UttChunk } from "../../shared/src/index.js";

export async function benchPipeline(runs: number): Promise<Section> {
  const app = await boot();
  try {
    // several people take turns, so no one trips the per-person chat limit
    const people = await Promise.all(["Ann", "Ben", "Cat", "Dan", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kay", "Liv"].map(async (n) => {
      const room = await app.join(n);
      return { room, log: new MessageLog(room) };
    }));
    const room = people[0]!.room;
    const names = ["Ada", "Theo", "Juno"];
    const streamed: number[] = [];
    const unstreamed: number[] = [];
    let turn = 0;
    const measure = async (i: number, streaming: boolean): Promise<number> => {
      app.parley.settings.streaming = streaming;
      const { room, log } = people[turn++ % people.length]!;
      const before = log.all.length;
      const t0 = performance.now();
      room.send("chat", { text: `Hello, ${names[i % names.length]}! How are you?` });
      const first = await log.waitFor((r) => r.type === "utt:chunk" && log.all.indexOf(r) >= before && (r.payload as UttChunk).seq === 0, 30_000, "first chunk");
      const ms = first.at - t0;
      // stop the reply and wait for the table to go quiet before the next run
      room.send("stop");
      await until(() => Object.values(view(room).characters).every((c) => c.state === "idle"), 15_000, "idle table");
      return ms;
    };
    // warm-up: first sequences, JIT, TTS worker
    for (let i = 0; i < 3; i++) { await measure(i, true); await measure(i, false); }
    for (let i = 0; i < runs; i++) {
      streamed.push(await measure(i, true));
      unstreamed.push(await measure(i, false));
    }
    const s = summary(streamed);
    const u = summary(unstreamed);
    return {
      figures: {
        "pipeline.first_audio_ms": s,
        "pipeline.first_audio_unstreamed_ms": { p50: u.p50, p95: u.p95, n: u.n },
        "pipeline.streaming_ratio": round(s.p50 / u.p50, 3),
      },
      notes: [`LLM: ${view(room).llm.model}; voice: espeak-ng WASM; ${runs} runs each, alternating`],
    };
  } finally {
    app.parley.settings.streaming = true;
    await app.stop();
  }
}

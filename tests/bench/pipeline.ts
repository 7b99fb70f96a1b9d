/**
 * pipeline.*:
 * - pipeline.first_audio_ms: in Chromium, the real page sends a typed message and
 *   plays the reply: from the send to the reply's first sample playing, on the
 *   page's AudioContext clock (demo model, offline voice, loopback);
 * - pipeline.first_chunk_at_node_client_ms: the same from a Node client (the
 *   @colyseus/sdk) to the first audio chunk's arrival, no playback; the same
 *   replies produced the naive way (whole reply, then whole TTS, then send),
 *   alternating run by run so both see the same machine state.
 */
import { boot } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { summary, round, type Section } from "./stats.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";

/** Typed message sent in the page -> the reply's first sample playing there, ms (each reply is stopped once it plays). */
async function inChromium(url: string, runs: number): Promise<number[]> {
  ensureClientBuilt();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 640, height: 360 } });
    await page.goto(`${url}/?quality=low`);
    await waitForDebug(page, (d) => d.connected && d.llm.ready, 60_000, "room", 100);
    const box = page.getByRole("textbox", { name: "Message" });
    const out: number[] = [];
    const names = ["Ada", "Theo", "Juno"];
    for (let i = 0; i < runs + 3; i++) {
      const seen = (await readDebug(page)).audio.firstPlays.length;
      await box.fill(`Hello, ${names[i % names.length]}! How are you?`);
      await box.press("Enter");
      const d = await waitForDebug(page, (v) => v.audio.firstPlays.length > seen, 30_000, "the reply playing", 20);
      if (i >= 3) out.push(d.audio.firstPlays.at(-1)!.at - d.latency.typedSentAt);
      await page.locator("button.stop").click({ timeout: 2000 }).catch(() => {});
      // within the page's chat budget (5 messages in 10 s)
      await new Promise((r) => setTimeout(r, 2100));
    }
    return out;
  } finally {
    await browser.close();
  }
}
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
    const page = summary(await inChromium(app.parley.url, runs));
    return {
      figures: {
        "pipeline.first_audio_ms": page,
        "pipeline.first_chunk_at_node_client_ms": s,
        "pipeline.first_chunk_unstreamed_at_node_client_ms": { p50: u.p50, p95: u.p95, n: u.n },
        "pipeline.streaming_ratio": round(s.p50 / u.p50, 3),
      },
      notes: [
        `LLM: ${view(room).llm.model}; voice: espeak-ng WASM; ${runs} runs each, alternating`,
        "pipeline.first_audio_ms: typed in the Chromium page -> the reply's first sample playing there (AudioContext clock via getOutputTimestamp; includes the page's 80 ms scheduling headroom and the output latency); pipeline.first_chunk_at_node_client_ms: a Node SDK client, first chunk's arrival, no playback",
      ],
    };
  } finally {
    app.parley.settings.streaming = true;
    await app.stop();
  }
}

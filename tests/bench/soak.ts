/**
 * soak: the table left talking on its own ("everyone talks", demo model,
 * offline voices) for half an hour (PARLEY_SOAK_MINUTES), with a person who
 * nudges it whenever the characters fall quiet. Reports the server's RSS at
 * start and end and its growth over the second half (a leak shows there, after
 * caches have filled), and the event loop's delay (p99, max): a stall there is a
 * stall in everyone's audio.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { boot } from "../support/boot.js";
import { until, view } from "../support/messages.js";
import { round, type Section } from "./stats.js";
import type { UttStart } from "../../shared/src/index.js";

const SAMPLE_MS = 15_000;
/** the monitor's timer period, ms: its histogram holds whole periods, so this is taken off */
const RESOLUTION_MS = 10;

/** Least-squares slope of y over x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2; }
  return den > 0 ? num / den : 0;
}

export async function benchSoak(): Promise<Section> {
  const minutes = Number(process.env.PARLEY_SOAK_MINUTES ?? 30);
  const app = await boot({ PARLEY_THREADS: "1" });
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  try {
    const room = await app.join("Soak");
    // count utterances without keeping messages: the client shares the process, and a log of
    // every audio chunk would be the growth this section is looking for
    let utterances = 0;
    room.onMessage("utt:start", (_m: UttStart) => { utterances++; });
    room.send("settings", { everyoneTalks: true, maxAutoTurns: 50, interruptSensitivity: 0.5, speculation: true });
    await until(() => view(room).settings.everyoneTalks, 5000, "settings");
    const t0 = performance.now();
    const end = t0 + minutes * 60_000;
    const samples: { t: number; rss: number }[] = [];
    const rss = (): number => process.memoryUsage().rss / 2 ** 20;
    samples.push({ t: 0, rss: rss() });
    delay.enable();
    let nudges = 0;
    let lastSample = t0;
    while (performance.now() < end) {
      // the characters rested (a cap, or nobody picked): a person speaks up
      if (view(room).characters && Object.values(view(room).characters).every((c) => c.state === "idle" || c.state === "listening")) {
        await new Promise((r) => setTimeout(r, 1500));
        if (Object.values(view(room).characters).every((c) => c.state === "idle" || c.state === "listening")) {
          room.send("chat", { text: nudges % 2 ? "Everyone, what do you think about that?" : "Ada, tell us more." });
          nudges++;
        }
      }
      await new Promise((r) => setTimeout(r, 1000));
      if (performance.now() - lastSample >= SAMPLE_MS) {
        lastSample = performance.now();
        samples.push({ t: (lastSample - t0) / 60_000, rss: rss() });
      }
    }
    delay.disable();
    samples.push({ t: (performance.now() - t0) / 60_000, rss: rss() });
    const half = samples.filter((s) => s.t >= minutes / 2);
    const perHour = slope(half.map((s) => s.t), half.map((s) => s.rss)) * 60;
    const late = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return {
      figures: {
        "soak.minutes": minutes,
        "soak.utterances": utterances,
        "soak.nudges": nudges,
        "soak.rss_mb_start": round(samples[0]!.rss),
        "soak.rss_mb_end": round(samples.at(-1)!.rss),
        "soak.rss_mb_max": round(Math.max(...samples.map((s) => s.rss))),
        "soak.rss_growth_mb_per_hour_second_half": round(perHour),
        "soak.event_loop_delay_ms": { p50: round(late(delay.percentile(50))), p99: round(late(delay.percentile(99))), max: round(late(delay.max)) },
        "soak.lines_saved": (await app.parley.store.allLines("main")).length,
      },
      notes: [`soak: ${minutes} min of "everyone talks" with the demo model in one process (server and bench client share it); RSS sampled every ${SAMPLE_MS / 1000} s; growth is the least-squares slope over the second half; event-loop delay is how late a ${RESOLUTION_MS} ms timer fired`],
    };
  } finally {
    await app.stop();
  }
}

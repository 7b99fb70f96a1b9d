/**
 * speakers.loop_delay_ms: how much later the page's sound leaves the speakers
 * when it goes through the local WebRTC loop that lets Chrome's echo canceller
 * hear it (on while the microphone is on, unless the person says headphones).
 * Each figure is one sound's onset going into the loop and coming out of it,
 * timed on the page's audio clock; beside it, the receiver's own reckoning
 * (its jitter buffer and an Opus frame).
 */
import { launchChromium } from "../support/browser.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { summary } from "./stats.js";

const ASKS = ["Hello, Ada!", "Theo, what do you think?", "Juno, tell me more.", "Ada, why is that?"];

export async function speakerLoopDelay(url: string, replies: number): Promise<{ loop: number[]; stats: number[] }> {
  const browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]);
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 320 } });
    await page.goto(`${url}/?quality=low&avatars=off`);
    await waitForDebug(page, (d) => d.connected && d.llm.ready, 30_000, "connected");
    await page.getByRole("button", { name: "Mic off" }).click();
    await waitForDebug(page, (d) => d.audio.loopback.state === "on", 20_000, "the loop on");
    const loop: number[] = [];
    const stats: number[] = [];
    let seen = 0;
    for (let i = 0; i < replies; i++) {
      const lines = (await readDebug(page)).transcript.length;
      const box = page.getByRole("textbox", { name: "Message" });
      await box.fill(ASKS[i % ASKS.length]!);
      await box.press("Enter");
      const d = await waitForDebug(page, (v) => v.transcript.length >= lines + 2 && v.audio.playing.length === 0
        && Object.values(v.characters).every((c) => c.state !== "speaking"), 60_000, "the reply heard");
      const l = d.audio.loopback;
      const fresh = Math.min(l.measured - seen, l.recentMs.length);
      loop.push(...l.recentMs.slice(l.recentMs.length - fresh));
      seen = l.measured;
      stats.push(l.statsDelayMs);
    }
    return { loop, stats };
  } finally {
    await browser.close();
  }
}

export const speakerNotes = [
  "speakers.loop_delay_ms: the page's sound through the local WebRTC loop that lets Chrome's echo canceller hear it (on while the microphone is on; off with 'headphones'): each sound's onset into the loop → out of it, on the page's audio clock. speakers.loop_stats_delay_ms: the receiver's own reckoning after each reply. With the loop on, add it to every figure measured at a page's speakers.",
];

export function speakerFigures(r: { loop: number[]; stats: number[] }): Record<string, unknown> {
  return { "speakers.loop_delay_ms": summary(r.loop), "speakers.loop_stats_delay_ms": summary(r.stats) };
}

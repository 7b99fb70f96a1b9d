import { describe, it, expect, afterEach } from "vitest";
import { createHarness, audibleIntervals, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

async function gaps(speculation: boolean): Promise<number[]> {
  // a slow brain: every token takes 15 ms, so preparing ahead matters
  h = createHarness({ settings: { everyoneTalks: true, maxAutoTurns: 3, interruptSensitivity: 0, speculation }, tokenDelayMs: 15, msPerChar: 12 });
  h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, begin.");
  await h.until(() => h.events.filter((e) => e.type === "end").length === 4, 30_000, "four lines");
  const iv = audibleIntervals(h.events).sort((a, b) => a.from - b.from);
  const out = iv.slice(1).map((x, i) => x.from - iv[i]!.to);
  await h.dispose();
  return out;
}

describe("speculation", () => {
  it("prepares the next speaker's reply during the current one, so gaps shrink", async () => {
    const withSpec = await gaps(true);
    const without = await gaps(false);
    const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    expect(median(withSpec)).toBeLessThan(median(without));
    expect(median(withSpec)).toBeLessThan(150);
  });

  it("throws the prepared reply away when a person changes the subject", async () => {
    h = createHarness({ settings: { everyoneTalks: true, maxAutoTurns: 5, interruptSensitivity: 0 }, tokenDelayMs: 2, msPerChar: 25 });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, begin.");
    // wait until the next reply has been requested from the brain while Ada still talks
    await h.until(() => h.llm.requests.length >= 2, 10_000, "a prepared reply");
    const prepared = /You are (\w+)/.exec(h.llm.requests[1]!.messages[0]!.content)![1];
    expect(h.events.filter((e) => e.type === "start")).toHaveLength(1);
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, new topic.");
    await h.until(() => h.events.filter((e) => e.type === "start").length === 2, 5000, "Theo");
    expect(h.events.filter((e) => e.type === "start").map((e) => e.characterId)).toEqual(["ada", "theo"]);
    // the prepared line never reached the transcript
    expect(h.log.recent(10).filter((e) => e.kind === "character").map((e) => e.speakerId)).toEqual(["ada", "theo"]);
    expect(prepared).not.toBe("Ada");
  });
});

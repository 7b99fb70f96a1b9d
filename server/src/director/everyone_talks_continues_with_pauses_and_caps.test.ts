import { describe, it, expect, afterEach } from "vitest";
import { createHarness, audibleIntervals, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

describe("everyone talks", () => {
  it("lets characters answer each other, to the last speaker, up to the cap", async () => {
    h = createHarness({ settings: { everyoneTalks: true, maxAutoTurns: 3, interruptSensitivity: 0 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, start us off.");
    await h.until(() => h.events.filter((e) => e.type === "end").length === 4, 20_000, "1 answer + 3 more");
    await h.sleep(500);
    const lines = h.log.recent(20).filter((e) => e.kind === "character");
    expect(lines).toHaveLength(4);
    expect(lines[0]!.addressee).toBe("sam");
    // each later line answers the one before it, never the same speaker twice in a row
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i]!.addressee).toBe(lines[i - 1]!.speakerId);
      expect(lines[i]!.speakerId).not.toBe(lines[i - 1]!.speakerId);
    }
  });

  it("leaves a short natural pause between speakers and never overlaps them", async () => {
    h = createHarness({ settings: { everyoneTalks: true, maxAutoTurns: 4, interruptSensitivity: 0 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, go.");
    await h.until(() => h.events.filter((e) => e.type === "end").length === 5, 25_000, "five lines");
    const iv = audibleIntervals(h.events).sort((a, b) => a.from - b.from);
    for (let i = 1; i < iv.length; i++) {
      const gap = iv[i]!.from - iv[i - 1]!.to;
      expect(gap).toBeGreaterThan(-5);
      // pause 60±20 ms in the harness, plus scheduling
      expect(gap).toBeLessThan(250);
    }
  });

  it("stops the moment a person speaks", async () => {
    h = createHarness({ settings: { everyoneTalks: true, maxAutoTurns: 20, interruptSensitivity: 0 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Juno, begin.");
    await h.until(() => h.events.filter((e) => e.type === "end").length >= 2, 10_000, "two lines");
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, just you now.");
    const before = h.events.length;
    await h.until(() => h.events.slice(before).some((e) => e.type === "start" && e.characterId === "ada"), 5000, "Ada answers");
    // nothing else from the old chain starts in between
    const between = h.events.slice(before).filter((e) => e.type === "start");
    expect(between[0]!.characterId).toBe("ada");
  });
});

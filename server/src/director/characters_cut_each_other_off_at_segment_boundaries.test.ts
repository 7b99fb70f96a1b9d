import { describe, it, expect, afterEach } from "vitest";
import { createHarness, audibleIntervals, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const heated = "[angry] That is absolutely wrong! Nobody believes that. It is obviously nonsense! I will never agree with it.";

describe("interruptions between characters", () => {
  it("a heated line at full sensitivity gets cut off, with only a brief overlap", async () => {
    h = createHarness({ reply: () => heated, settings: { interruptSensitivity: 1, everyoneTalks: true, maxAutoTurns: 4 }, msPerChar: 25, seed: 3, timing: { overlapMs: 120 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, what do you think?");
    await h.until(() => h.events.some((e) => e.type === "cancel" && (e.reason ?? "").startsWith("character:")), 15_000, "a cut-in");
    const cancel = h.events.find((e) => e.type === "cancel" && (e.reason ?? "").startsWith("character:"))!;
    const interrupter = cancel.reason!.split(":")[1]!;
    expect(interrupter).not.toBe(cancel.characterId);
    const iv = audibleIntervals(h.events);
    const victim = iv.find((x) => x.utteranceId === cancel.utteranceId)!;
    const cutter = iv.find((x) => x.characterId === interrupter && x.from > victim.from)!;
    const overlap = victim.to - cutter.from;
    expect(overlap).toBeGreaterThanOrEqual(0);
    expect(overlap).toBeLessThan(120 + 80);
    const line = h.log.recent(10).find((e) => e.speakerId === cancel.characterId && e.interrupted)!;
    expect(line.heardText.length).toBeGreaterThan(0);
    // the interrupter answers the one it cut off
    await h.until(() => h.log.recent(10).some((e) => e.speakerId === interrupter && e.addressee === cancel.characterId), 5000, "cutter's line");
  });

  it("never cuts off a character answering a person", async () => {
    h = createHarness({ reply: () => heated, settings: { interruptSensitivity: 1 }, msPerChar: 8, seed: 3 });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, what do you think?");
    await h.until(() => h.events.some((e) => e.type === "end"), 15_000, "Theo finishes");
    expect(h.events.filter((e) => e.type === "start").map((e) => e.characterId)).toEqual(["theo"]);
    expect(h.events.some((e) => e.type === "cancel")).toBe(false);
  });

  it("never happens at sensitivity 0", async () => {
    h = createHarness({ reply: () => heated, settings: { interruptSensitivity: 0, everyoneTalks: true, maxAutoTurns: 3 }, msPerChar: 5 });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo?");
    await h.until(() => h.events.filter((e) => e.type === "end").length === 4, 20_000, "four lines");
    expect(h.events.some((e) => e.type === "cancel")).toBe(false);
  });
});

import { describe, it, expect, afterEach } from "vitest";
import { createHarness, type Harness } from "../testing/directorHarness.js";
import type { LlmRequest } from "../llm/types.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const speaker = (req: LlmRequest): string => /You are (\w+)/.exec(req.messages[0]?.content ?? "")?.[1] ?? "?";
const starts = (): string[] => h.events.filter((e) => e.type === "start").map((e) => e.characterId);

describe("a character addressing someone by name", () => {
  it("gives the floor to the character it names, even without 'everyone talks'", async () => {
    h = createHarness({ reply: (req) => (speaker(req) === "Ada" ? "Theo, what do you think?" : "I think it is fine.") });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, start.");
    await h.until(() => starts().length === 2, 5000, "Theo answers Ada");
    expect(starts()).toEqual(["ada", "theo"]);
    const theo = h.log.recent(10).find((e) => e.speakerId === "theo")!;
    expect(theo.addressee).toBe("ada");
    // only one hand-off per person's line without "everyone talks"
    await h.sleep(500);
    expect(starts()).toHaveLength(2);
  });

  it("beats the policy in 'everyone talks': the named one answers next", async () => {
    // Juno is the most talkative; Ada names Theo, who must answer
    h = createHarness({ reply: (req) => (speaker(req) === "Ada" ? "What do you say, Theo?" : "Hmm. Let me think."), settings: { everyoneTalks: true, maxAutoTurns: 2 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, go on.");
    await h.until(() => starts().length >= 2, 5000, "next speaker");
    expect(starts().slice(0, 2)).toEqual(["ada", "theo"]);
  });

  it("a name merely mentioned hands nothing on", async () => {
    h = createHarness({ reply: () => "I once read what Theo wrote about that." });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, start.");
    await h.until(() => h.events.some((e) => e.type === "end"), 5000, "Ada done");
    await h.sleep(400);
    expect(starts()).toEqual(["ada"]);
  });

  it("waits for a person it asks by name before the others go on", async () => {
    h = createHarness({ reply: (req) => (speaker(req) === "Ada" ? "Sam, what do you think?" : "Well, I have a view too."), settings: { everyoneTalks: true, maxAutoTurns: 4 }, timing: { waitForPersonMs: 600 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, ask me.");
    await h.until(() => h.director.state === "waiting", 5000, "waiting for Sam");
    const waitStart = performance.now();
    await h.until(() => starts().length >= 2, 5000, "the others go on");
    expect(performance.now() - waitStart).toBeGreaterThan(500);
  });

  it("answers the person at once when they reply while the table waits", async () => {
    h = createHarness({ reply: (req) => (speaker(req) === "Ada" ? "Sam, what do you think?" : "Good point."), settings: { everyoneTalks: true, maxAutoTurns: 4 }, timing: { waitForPersonMs: 60_000 } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, ask me.");
    await h.until(() => h.director.state === "waiting", 5000, "waiting for Sam");
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "I think it is great.");
    await h.until(() => starts().length >= 2, 5000, "someone answers Sam");
    expect(h.log.recent(10).filter((e) => e.kind === "character").at(-1)!.addressee).toBe("sam");
  });
});

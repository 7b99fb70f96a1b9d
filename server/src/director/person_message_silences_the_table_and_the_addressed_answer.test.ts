import { describe, it, expect, afterEach } from "vitest";
import { createHarness, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const starts = (h: Harness): string[] => h.events.filter((e) => e.type === "start").map((e) => e.characterId);

describe("a person's message", () => {
  it("is answered by the character named in it", async () => {
    h = createHarness();
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, what do you think?");
    await h.until(() => h.events.some((e) => e.type === "end"), 5000, "an answer");
    expect(starts(h)).toEqual(["theo"]);
    expect(h.log.recent(5).map((e) => [e.kind, e.speakerId, e.addressee])).toEqual([["person", "sam", "theo"], ["character", "theo", "sam"]]);
    expect(h.lookAt.get("theo")).toBe("sam");
    expect(h.lookAt.get("ada")).toBe("theo");
  });

  it("addressed to everyone is answered by each character in turn, one at a time", async () => {
    h = createHarness();
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Hello everyone!");
    await h.until(() => h.events.filter((e) => e.type === "end").length === 3, 15_000, "three answers");
    expect(new Set(starts(h))).toEqual(new Set(["ada", "theo", "juno"]));
    await h.until(() => [...h.states.values()].every((s) => s === "idle"), 5000, "quiet");
  });

  it("addressed to 'you two' is answered by the two named, or the two who spoke last", async () => {
    h = createHarness();
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "What do you two think, Juno and Ada?");
    await h.until(() => h.events.filter((e) => e.type === "end").length === 2, 10_000, "two answers");
    expect(starts(h)).toEqual(["juno", "ada"]);
  });

  it("cuts off whoever is speaking at once, and the new answer follows", async () => {
    h = createHarness({ msPerChar: 30 });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, tell me a story.");
    await h.until(() => h.events.filter((e) => e.type === "chunk").length >= 3, 5000, "Ada speaking");
    await h.sleep(600); // some of it is heard
    const cutAt = performance.now();
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Sorry, Juno?");
    await h.until(() => h.events.some((e) => e.type === "cancel" && e.characterId === "ada"), 2000, "Ada cut");
    expect(performance.now() - cutAt).toBeLessThan(150);
    await h.until(() => starts(h).includes("juno"), 5000, "Juno answers");
    const ada = h.log.recent(10).find((e) => e.speakerId === "ada")!;
    expect(ada.interrupted).toBe(true);
    expect(ada.heardText.length).toBeLessThan(ada.text.length);
    // Juno's prompt shows Ada's line only as far as it was heard, ending in a dash
    const junoPrompt = h.llm.requests.at(-1)!.messages.map((m) => m.content).join("\n");
    expect(junoPrompt).toContain("—");
    expect(junoPrompt).not.toContain("[interrupted]");
  });

  it("stop silences the table and nobody carries on by themselves", async () => {
    h = createHarness({ msPerChar: 30, settings: { everyoneTalks: true } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada?");
    await h.until(() => h.events.some((e) => e.type === "chunk"), 5000, "Ada speaking");
    h.director.stop();
    await h.until(() => h.events.some((e) => e.type === "cancel"), 1000, "cancel");
    await h.sleep(600);
    expect(starts(h)).toEqual(["ada"]);
    expect([...h.states.values()].every((s) => s === "idle")).toBe(true);
  });

  it("with the manual policy, nobody answers an unaddressed message until a person nominates someone", async () => {
    h = createHarness({ settings: { policy: "manual" } });
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Anyone?");
    await h.sleep(300);
    expect(starts(h)).toEqual([]);
    h.director.nominate("theo", "sam");
    await h.until(() => starts(h).length === 1, 5000, "nominee speaks");
    expect(starts(h)).toEqual(["theo"]);
  });

  it("asks the model to choose with the LLM policy", async () => {
    h = createHarness({ settings: { policy: "llm" } });
    h.llm.chooser = (req) => (req.options.includes("Juno") ? "Juno" : req.options[0]!);
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "So, what now?");
    await h.until(() => starts(h).length === 1, 5000, "someone answers");
    expect(starts(h)).toEqual(["juno"]);
    expect(h.llm.chooseRequests[0]!.prompt).toContain("So, what now?");
  });
});

import { describe, it, expect, afterEach } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { createHarness, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const MIRA = CharacterConfig.parse({
  id: "mira", name: "Mira", persona: "A storyteller.", avatar: "mira.vrm",
  greeting: "*waves* Hello, {{user}}! I am {{char}}.",
  groupGreetings: ["*bows to the table* Good evening, all of you."],
});
const starts = (): string[] => h.events.filter((e) => e.type === "start").map((e) => e.characterId);
const sam = { id: "sam", name: "Sam" };

describe("a character joining a running table", () => {
  it("sits down and greets with its first message, spoken, without asking the model", async () => {
    h = createHarness({ characters: [] });
    h.seat(MIRA);
    await h.until(() => h.log.recent(5).some((e) => e.speakerId === "mira" && e.done), 5000, "Mira's greeting");
    expect(starts()).toEqual(["mira"]);
    expect(h.llm.requests.filter((r) => r.key === "mira")).toHaveLength(0);
    const line = h.log.recent(5).at(-1)!;
    // the transcript keeps the action; the voice says only the words; macros are filled
    expect(line).toMatchObject({ speakerId: "mira", text: "*waves* Hello, Sam! I am Mira.", done: true });
    expect(h.tts.calls.join(" ")).toBe("Hello, Sam! I am Mira.");
    // she is at the table now: named, she answers (through the model)
    h.director.onPersonMessage(sam, "Mira, tell me a story.");
    await h.until(() => starts().length === 2, 5000, "Mira answers");
    expect(starts()[1]).toBe("mira");
    expect(h.llm.requests.at(-1)!.messages[0]!.content).toContain("You are Mira.");
  });

  it("is never cut off by another character while it greets", async () => {
    h = createHarness({ msPerChar: 20, settings: { interruptSensitivity: 1, everyoneTalks: true } });
    h.seat(MIRA);
    await h.until(() => h.log.recent(10).some((e) => e.speakerId === "mira" && e.done), 10_000, "Mira's greeting");
    expect(h.log.recent(10).find((e) => e.speakerId === "mira")).toMatchObject({ interrupted: false, text: "*bows to the table* Good evening, all of you." });
  });

  it("uses a group-only greeting at a table with other characters", async () => {
    h = createHarness();
    h.seat(MIRA);
    await h.until(() => h.log.recent(5).some((e) => e.speakerId === "mira" && e.done), 5000, "Mira's greeting");
    expect(h.log.recent(5).at(-1)!.text).toBe("*bows to the table* Good evening, all of you.");
  });

  it("waits for whoever is speaking, then greets; a person speaking pauses the greeting", async () => {
    h = createHarness({ msPerChar: 20 });
    h.director.onPersonMessage(sam, "Ada, hello.");
    await h.until(() => h.events.some((e) => e.type === "chunk"), 5000, "Ada audible");
    h.seat(MIRA);
    expect(starts()).toEqual(["ada"]);
    await h.until(() => starts().includes("mira") && h.events.some((e) => e.type === "chunk" && e.characterId === "mira"), 10_000, "Mira greets after Ada");
    expect(h.events.filter((e) => e.type === "cancel")).toEqual([]);
    h.director.personStartsSpeaking("sam");
    await h.until(() => h.events.some((e) => e.type === "pause" && e.characterId === "mira"), 5000, "greeting paused");
    h.director.personSpeechDismissed("sam");
    await h.until(() => h.events.some((e) => e.type === "end" && e.characterId === "mira"), 10_000, "greeting finished");
  });

  it("says goodbye and leaves when taken off the table, cutting the speaker short; then nobody can call on it", async () => {
    h = createHarness({ msPerChar: 20 });
    h.director.onPersonMessage(sam, "Ada, hello.");
    await h.until(() => h.events.some((e) => e.type === "chunk"), 5000, "Ada audible");
    h.unseat("theo");
    await h.until(() => h.left.includes("theo"), 10_000, "Theo gone");
    expect(h.events.find((e) => e.type === "cancel")?.characterId).toBe("ada");
    const bye = h.log.recent(10).filter((e) => e.speakerId === "theo").at(-1)!;
    expect(bye.text).toBe("I have to go now. Goodbye, Sam!");
    expect(h.events.some((e) => e.type === "end" && e.characterId === "theo")).toBe(true);
    // "Theo" no longer names anyone at the table: someone else answers
    const before = starts().length;
    h.director.onPersonMessage(sam, "Theo, are you there?");
    await h.until(() => starts().length > before, 5000, "an answer");
    expect(starts().at(-1)).not.toBe("theo");
    // and the policy never picks him again
    h.unseat("theo");
    expect(h.left).toEqual(["theo"]);
  });

  it("still leaves when a person cuts its goodbye short", async () => {
    h = createHarness({ msPerChar: 40 });
    h.unseat("juno");
    await h.until(() => h.events.some((e) => e.type === "chunk" && e.characterId === "juno"), 5000, "goodbye audible");
    h.director.onPersonMessage(sam, "Wait!");
    await h.until(() => h.left.includes("juno"), 5000, "Juno gone");
    expect(h.events.some((e) => e.type === "cancel" && e.characterId === "juno")).toBe(true);
  });
});

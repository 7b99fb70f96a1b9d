import { describe, it, expect, afterEach } from "vitest";
import { createHarness, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const speakingAda = async (): Promise<void> => {
  h = createHarness({ msPerChar: 40 });
  h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, tell me everything.");
  await h.until(() => h.events.filter((e) => e.type === "chunk").length >= 4, 5000, "Ada speaking");
  await h.sleep(500);
};

describe("a person starting to speak", () => {
  it("pauses the speaker at once at the heard position", async () => {
    await speakingAda();
    const t = performance.now();
    h.director.personStartsSpeaking("sam");
    const pause = h.events.find((e) => e.type === "pause");
    expect(pause).toBeDefined();
    expect(performance.now() - t).toBeLessThan(20);
    expect(pause!.atSample!).toBeGreaterThan(0);
    await h.sleep(400);
    // nothing more is sent while paused
    expect(h.events.filter((e) => e.type === "chunk" && e.at > pause!.at + 5)).toHaveLength(0);
  });

  it("lets the speaker resume from where it was heard when it was only a backchannel", async () => {
    await speakingAda();
    h.director.personStartsSpeaking("sam");
    const pause = h.events.find((e) => e.type === "pause")!;
    await h.sleep(300);
    h.director.personSpeechDismissed("sam");
    await h.until(() => h.events.some((e) => e.type === "chunk" && e.at > pause.at), 2000, "resumed");
    const next = h.events.find((e) => e.type === "chunk" && e.at > pause.at)!;
    expect(next.startSample).toBe(pause.atSample);
    await h.until(() => h.events.some((e) => e.type === "end"), 10_000, "Ada finishes");
    await h.until(() => h.log.recent(5).some((e) => e.speakerId === "ada" && e.done), 10_000, "line done");
    const line = h.log.recent(5).find((e) => e.speakerId === "ada")!;
    expect(line.interrupted).toBe(false);
  });

  it("becomes an interruption once the person has spoken long enough", async () => {
    await speakingAda();
    h.director.personStartsSpeaking("sam");
    const pause = h.events.find((e) => e.type === "pause")!;
    h.director.personInterrupts("sam");
    await h.until(() => h.events.some((e) => e.type === "cancel"), 1000, "cancel");
    await h.until(() => h.log.recent(5).some((e) => e.speakerId === "ada" && e.done), 2000, "line done");
    const line = h.log.recent(5).find((e) => e.speakerId === "ada")!;
    expect(line.interrupted).toBe(true);
    // what was heard stops at the pause, not at the cancel
    const heardWords = line.heardText.split(" ").length;
    const perWord = (pause.atSample! / 16000) * 1000;
    expect(heardWords).toBeLessThanOrEqual(line.text.split(" ").length);
    expect(perWord).toBeGreaterThan(0);
    // and the words then arrive as a message, answered as usual
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, your view?");
    await h.until(() => h.events.some((e) => e.type === "start" && e.characterId === "theo"), 5000, "Theo answers");
  });
});

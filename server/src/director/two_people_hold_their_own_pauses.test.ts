import { describe, it, expect, afterEach } from "vitest";
import { createHarness, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const speakingAda = async (): Promise<void> => {
  h = createHarness({ msPerChar: 40 });
  h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, tell me everything.");
  await h.until(() => h.events.filter((e) => e.type === "chunk").length >= 4, 5000, "Ada speaking");
};
const chunksAfter = (at: number): number => h.events.filter((e) => e.type === "chunk" && e.at > at + 5).length;

describe("with two people at the table", () => {
  it("one person's backchannel does not resume a character while the other still speaks", async () => {
    await speakingAda();
    h.director.personStartsSpeaking("sam");
    const pause = h.events.find((e) => e.type === "pause")!;
    h.director.personStartsSpeaking("eve");
    // only one pause goes out: the character is already paused
    expect(h.events.filter((e) => e.type === "pause")).toHaveLength(1);
    h.director.personSpeechDismissed("eve");
    await h.sleep(400);
    expect(chunksAfter(pause.at)).toBe(0);
    expect(h.director.state).toBe("paused");
    h.director.personSpeechDismissed("sam");
    await h.until(() => chunksAfter(pause.at) > 0, 2000, "Ada resumes");
    expect(h.events.find((e) => e.type === "chunk" && e.at > pause.at)!.startSample).toBe(pause.atSample);
  });

  it("a person leaving in mid-speech releases the pause they held", async () => {
    await speakingAda();
    h.director.personStartsSpeaking("sam");
    const pause = h.events.find((e) => e.type === "pause")!;
    h.director.personLeft("sam");
    await h.until(() => chunksAfter(pause.at) > 0, 2000, "Ada resumes");
    expect(h.director.state).toBe("speaking");
  });

  it("a message from one person while another speaks is answered once the other's pause ends", async () => {
    await speakingAda();
    h.director.personStartsSpeaking("eve");
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Theo, your turn.");
    await h.sleep(400);
    // Theo's answer is ready but waits for Eve
    expect(h.director.state).toBe("paused");
    expect(h.events.some((e) => e.type === "chunk" && e.characterId === "theo")).toBe(false);
    h.director.personSpeechDismissed("eve");
    await h.until(() => h.events.some((e) => e.type === "chunk" && e.characterId === "theo"), 3000, "Theo speaks");
  });
});

import { describe, it, expect } from "vitest";
import { stopAtOtherSpeaker } from "./stopAtOtherSpeaker.js";

async function run(deltas: string[], names = ["Theo", "Juno"], failAt = -1): Promise<{ text: string; error?: string }> {
  async function* src() {
    for (let i = 0; i < deltas.length; i++) {
      if (i === failAt) throw new Error("boom");
      yield deltas[i]!;
    }
  }
  let text = "";
  try {
    for await (const d of stopAtOtherSpeaker(src(), names)) text += d;
  } catch (e) {
    return { text, error: (e as Error).message };
  }
  return { text };
}

describe("stopAtOtherSpeaker", () => {
  it("ends the reply where another speaker's line begins, even split over tokens", async () => {
    expect((await run(["I think so.", "\nThe", "o: No you", " don't."])).text).toBe("I think so.");
    expect((await run(["Sure thing. Ju", "no: me too"])).text).toBe("Sure thing.");
  });

  it("does not cut a name that merely starts a later stretch of text", async () => {
    expect((await run(["I told him once and", " then I told Theo: it is fine."])).text).toBe("I told him once and then I told Theo: it is fine.");
  });

  it("leaves names in ordinary sentences alone", async () => {
    expect((await run(["I agree with Theo", " here, and Juno", " too."])).text).toBe("I agree with Theo here, and Juno too.");
    expect((await run(["Theo said: wait"])).text).toBe("Theo said: wait");
  });

  it("passes the held-back tail on before a failure", async () => {
    expect(await run(["Let me think about", " that. Well, the", " rest"], ["Theo"], 2)).toEqual({ text: "Let me think about that. Well, the", error: "boom" });
  });
});

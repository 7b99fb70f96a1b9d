import { describe, it, expect } from "vitest";
import { stripSpeakerPrefix } from "./stripSpeakerPrefix.js";

async function run(deltas: string[], names = ["Ada"]): Promise<string> {
  async function* src() { yield* deltas; }
  let s = "";
  for await (const d of stripSpeakerPrefix(src(), names)) s += d;
  return s;
}

describe("stripSpeakerPrefix", () => {
  it("drops a leading 'Name:' even when split over tokens", async () => {
    expect(await run(["Ad", "a", ": [happy]", " Hi"])).toBe("[happy] Hi");
    expect(await run(["  ada:Hi"])).toBe("Hi");
  });
  it("leaves other text alone", async () => {
    expect(await run(["Adam", " is here"])).toBe("Adam is here");
    expect(await run(["[happy] Ada: is my name"])).toBe("[happy] Ada: is my name");
    expect(await run(["Ad"])).toBe("Ad");
  });
});

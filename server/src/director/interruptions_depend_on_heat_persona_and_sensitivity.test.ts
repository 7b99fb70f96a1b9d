import { describe, it, expect } from "vitest";
import { CharacterConfig, type Emotion } from "@parley/shared";
import { judgeInterruption, type InterruptCheck } from "./interruptions.js";
import { seededRandom } from "../util/random.js";

const mk = (id: string, name: string, interruptiveness: number) => CharacterConfig.parse({ id, name, persona: "x", interruptiveness, avatar: "a.vrm" });
const ada = mk("ada", "Ada", 0.9);
const theo = mk("theo", "Theo", 0.1);
const juno = mk("juno", "Juno", 0.5);

function rate(over: Partial<InterruptCheck>, runs = 4000): { rate: number; by: Map<string, number> } {
  const rng = seededRandom(3);
  const by = new Map<string, number>();
  let hits = 0;
  for (let i = 0; i < runs; i++) {
    const d = judgeInterruption({ speaker: juno, segmentIndex: 2, segmentText: "I think we could try that.", emotion: null as Emotion | null, candidates: [ada, theo], sensitivity: 0.5, sinceLastInterruptMs: 60_000, rng, ...over });
    if (d) { hits++; by.set(d.interrupterId, (by.get(d.interrupterId) ?? 0) + 1); }
  }
  return { rate: hits / runs, by };
}

describe("interruptions between characters", () => {
  it("never happen at sensitivity 0, in the first segment, or right after another", () => {
    expect(rate({ sensitivity: 0, emotion: "angry" }).rate).toBe(0);
    expect(rate({ segmentIndex: 0, emotion: "angry" }).rate).toBe(0);
    expect(rate({ sinceLastInterruptMs: 1000, emotion: "angry" }).rate).toBe(0);
  });

  it("are rare in calm talk and common in heated talk", () => {
    const calm = rate({}).rate;
    const heated = rate({ emotion: "angry", segmentText: "That is absolutely wrong!" }).rate;
    expect(calm).toBeGreaterThan(0);
    expect(calm).toBeLessThan(0.05);
    expect(heated).toBeGreaterThan(calm * 5);
  });

  it("grow with the room's sensitivity", () => {
    const low = rate({ sensitivity: 0.2, emotion: "surprised" }).rate;
    const high = rate({ sensitivity: 1, emotion: "surprised" }).rate;
    expect(high).toBeGreaterThan(low * 3);
  });

  it("come mostly from the most interruptive persona", () => {
    const { by } = rate({ sensitivity: 1, emotion: "angry", segmentText: "Nonsense!" });
    expect(by.get("ada")!).toBeGreaterThan(by.get("theo")! * 4);
  });

  it("come from the character asked by name", () => {
    const { by, rate: r } = rate({ sensitivity: 1, segmentText: "Theo, do you really believe that?" });
    expect(r).toBeGreaterThan(0.1);
    expect([...by.keys()]).toEqual(["theo"]);
  });
});

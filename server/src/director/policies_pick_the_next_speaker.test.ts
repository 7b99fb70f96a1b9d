import { describe, it, expect } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { NaturalPolicy } from "./policies/NaturalPolicy.js";
import { PooledPolicy } from "./policies/PooledPolicy.js";
import { ListPolicy } from "./policies/ListPolicy.js";
import { ManualPolicy } from "./policies/ManualPolicy.js";
import { LlmPolicy } from "./policies/LlmPolicy.js";
import type { PolicyContext } from "./policies/types.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import { seededRandom } from "../util/random.js";

const cast = [
  CharacterConfig.parse({ id: "ada", name: "Ada", persona: "Engineer.", talkativeness: 0.6, avatar: "a.vrm" }),
  CharacterConfig.parse({ id: "theo", name: "Theo", persona: "Philosopher.", talkativeness: 0.2, avatar: "t.vrm" }),
  CharacterConfig.parse({ id: "juno", name: "Juno", persona: "Assistant.", talkativeness: 0.9, avatar: "j.vrm" }),
];
let n = 0;
const line = (speakerId: string, kind: LogEntry["kind"] = "character"): LogEntry => ({
  id: String(++n), kind, speakerId, speakerName: speakerId, text: "x", heardText: "x", interrupted: false, error: "", done: true, addressee: "", at: n,
});
const ctx = (log: LogEntry[], exclude: string[] = [], seed = 1): PolicyContext => ({
  characters: cast, log, exclude: new Set(exclude), rng: seededRandom(seed), signal: new AbortController().signal,
});

async function histogram(make: (i: number) => Promise<string | null>, runs = 2000): Promise<Map<string | null, number>> {
  const h = new Map<string | null, number>();
  for (let i = 0; i < runs; i++) { const k = await make(i); h.set(k, (h.get(k) ?? 0) + 1); }
  return h;
}

describe("natural policy", () => {
  it("favours the talkative and rarely picks who just spoke", async () => {
    const p = new NaturalPolicy();
    const h = await histogram((i) => p.next(ctx([line("sam", "person"), line("juno")], [], i + 1)));
    expect(h.get("ada")!).toBeGreaterThan(h.get("theo")!);
    expect(h.get("juno")! / 2000).toBeLessThan(0.2);
    expect(h.get("theo")!).toBeGreaterThan(0);
  });
  it("never picks an excluded character", async () => {
    const h = await histogram((i) => new NaturalPolicy().next(ctx([], ["juno", "ada"], i + 1)), 200);
    expect([...h.keys()]).toEqual(["theo"]);
  });
});

describe("pooled policy", () => {
  it("lets everyone speak once before anyone repeats", async () => {
    const p = new PooledPolicy();
    const log = [line("sam", "person")];
    const order: string[] = [];
    for (let i = 0; i < 3; i++) { const id = (await p.next(ctx(log, [], i + 7)))!; order.push(id); log.push(line(id)); }
    expect(order.sort()).toEqual(["ada", "juno", "theo"]);
    const fourth = await p.next(ctx(log, [], 3));
    expect(fourth).not.toBe(log.at(-1)!.speakerId);
  });
});

describe("list policy", () => {
  it("goes round the table in order after the last speaker", async () => {
    const p = new ListPolicy();
    expect(await p.next(ctx([]))).toBe("ada");
    expect(await p.next(ctx([line("ada")]))).toBe("theo");
    expect(await p.next(ctx([line("juno")]))).toBe("ada");
    expect(await p.next(ctx([line("ada")], ["theo"]))).toBe("juno");
  });
});

describe("manual policy", () => {
  it("never picks anyone on its own", async () => {
    expect(await new ManualPolicy().next()).toBeNull();
  });
});

describe("LLM choice policy", () => {
  it("asks the model to choose among the roster and uses its answer", async () => {
    const asked: string[][] = [];
    const p = new LlmPolicy({ choose: async (_prompt, options) => { asked.push([...options]); return "Theo"; } });
    expect(await p.next(ctx([line("sam", "person")], ["ada"]))).toBe("theo");
    expect(asked[0]).toEqual(["Theo", "Juno"]);
  });
  it("falls back to the natural policy when the model fails", async () => {
    const p = new LlmPolicy({ choose: async () => { throw new Error("model offline"); } });
    expect(["ada", "theo", "juno"]).toContain(await p.next(ctx([line("sam", "person")])));
    expect(p.lastFallbackReason).toMatch(/offline/);
  });
});

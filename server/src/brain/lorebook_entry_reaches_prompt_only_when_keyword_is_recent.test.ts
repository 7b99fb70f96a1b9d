import { describe, it, expect } from "vitest";
import { CharacterConfig, Lorebook } from "@parley/shared";
import { Brain } from "./Brain.js";
import { LlmHost } from "../llm/LlmHost.js";
import { loadConfig } from "../config.js";
import { FakeLlm } from "../testing/FakeLlm.js";
import { activeLore } from "./lorebook.js";
import { estimateTokens, fillMacros } from "./macros.js";
import type { LogEntry } from "../conversation/ConversationLog.js";

const book = Lorebook.parse({
  scan_depth: 2,
  entries: [
    { keys: ["dragon"], content: "LORE-DRAGON: the dragon Ember sleeps under the mountain.", insertion_order: 10 },
    { keys: ["Город"], content: "LORE-CITY: Город стоит на семи холмах.", case_sensitive: true, insertion_order: 5 },
    { keys: ["龙"], content: "LORE-LONG: 龙住在山里。", insertion_order: 1 },
    { keys: ["tea"], content: "LORE-OFF: disabled entry.", enabled: false },
    { keys: ["cake"], selective: true, secondary_keys: ["birthday"], content: "LORE-CAKE: the cake is for a birthday." },
    { keys: [], constant: true, content: "LORE-ALWAYS: the tavern is called The Lantern.", insertion_order: 0 },
    { keys: ["before"], content: "LORE-BEFORE: said before the description.", position: "before_char" },
  ],
});

const character = CharacterConfig.parse({
  id: "seren", name: "Seren", persona: "A storyteller who speaks to {{user}}.", avatar: "mira.vrm",
  personality: "Warm, a little theatrical.", scenario: "{{char}} tends the tavern.", examples: "<START>\n{{user}}: Hi\n{{char}}: *bows* Welcome!", lorebook: book,
});

let n = 0;
const line = (text: string, speakerName = "Sam"): LogEntry => ({ id: `l${++n}`, kind: "person", speakerId: "s1", speakerName, text, heardText: text, interrupted: false, error: "", done: true, addressee: "", at: n });

async function systemFor(lines: LogEntry[]): Promise<string> {
  const brain = new Brain(character, LlmHost.withProvider(loadConfig({ PARLEY_QUIET: "1" }), new FakeLlm(() => "ok", 0)), { maxTokens: 50, historyLines: 40 });
  const messages = await brain.messages([{ id: "s1", name: "Sam", kind: "person" }, { id: "seren", name: "Seren", kind: "character" }], lines);
  return messages[0]!.content;
}

describe("a lorebook entry", () => {
  it("reaches the prompt only while its keyword is in the recent lines", async () => {
    const without = await systemFor([line("Good evening!")]);
    expect(without).not.toContain("LORE-DRAGON");
    const withKey = await systemFor([line("Tell me about the dragon.")]);
    expect(withKey).toContain("LORE-DRAGON");
    // two lines later (scan depth 2) the dragon is no longer recent
    const later = await systemFor([line("Tell me about the dragon."), line("Hm."), line("And then?")]);
    expect(later).not.toContain("LORE-DRAGON");
  });

  it("matches whole words, its case when asked, Cyrillic and Chinese keys", async () => {
    expect(await systemFor([line("dragonfly season")])).not.toContain("LORE-DRAGON");
    expect(await systemFor([line("What about the DRAGON?")])).toContain("LORE-DRAGON");
    expect(await systemFor([line("Расскажи про Город.")])).toContain("LORE-CITY");
    expect(await systemFor([line("расскажи про город.")])).not.toContain("LORE-CITY");
    expect(await systemFor([line("你见过龙吗？")])).toContain("LORE-LONG");
  });

  it("honours enabled, constant, selective secondary keys and position; fills macros", async () => {
    const s = await systemFor([line("tea and cake please")]);
    expect(s).not.toContain("LORE-OFF");
    expect(s).not.toContain("LORE-CAKE");
    expect(s).toContain("LORE-ALWAYS");
    expect(await systemFor([line("a cake for my birthday")])).toContain("LORE-CAKE");
    const b = await systemFor([line("I said it before.")]);
    expect(b.indexOf("LORE-BEFORE")).toBeLessThan(b.indexOf("A storyteller"));
    expect(b).toContain("A storyteller who speaks to Sam.");
    expect(b).toContain("Scenario: Seren tends the tavern.");
    expect(b).toContain("Sam: Hi\nSeren: *bows* Welcome!");
  });

  it("stays within the token budget, keeping the most important and the insertion order", () => {
    const big = Lorebook.parse({
      token_budget: 30,
      entries: [
        { keys: ["a"], content: "x ".repeat(60), insertion_order: 1, priority: 1 },
        { keys: ["a"], content: "FIRST short entry.", insertion_order: 2, priority: 5 },
        { keys: ["a"], content: "SECOND short entry.", insertion_order: 1, priority: 4 },
      ],
    });
    const lore = activeLore(big, ["a"]);
    expect(lore.after).toEqual(["SECOND short entry.", "FIRST short entry."]);
    expect(lore.tokens).toBeLessThanOrEqual(30);
    expect(estimateTokens("x ".repeat(40))).toBe(20);
    expect(estimateTokens("龙住在山里")).toBe(5);
  });

  it("ignores regular expressions that could run away", () => {
    const re = Lorebook.parse({ entries: [{ keys: ["(a+)+$"], use_regex: true, content: "BAD" }, { keys: ["/dra(g|k)on/i"], use_regex: true, content: "GOOD" }] });
    expect(activeLore(re, ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "a DRAKON"]).after).toEqual(["GOOD"]);
    expect(fillMacros("{{roll:1}} {{random:x}} <BOT> {{// hidden}}", { char: "C", user: "U" })).toBe("1 x C ");
  });
});

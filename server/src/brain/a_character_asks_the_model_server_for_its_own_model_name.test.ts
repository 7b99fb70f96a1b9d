import { describe, it, expect } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { Brain } from "./Brain.js";
import { LlmHost } from "../llm/LlmHost.js";
import { FakeLlm } from "../testing/FakeLlm.js";
import { loadConfig } from "../config.js";

const table = [{ id: "s1", name: "Sam", kind: "person" as const }];
const line = { id: "l1", kind: "person" as const, speakerId: "s1", speakerName: "Sam", text: "Hi", heardText: "Hi", interrupted: false, error: "", done: true, addressee: "", at: 1 };

async function modelAskedFor(c: Record<string, unknown>): Promise<string | undefined> {
  const llm = new FakeLlm(() => "Hello.", 0);
  const brain = new Brain(CharacterConfig.parse({ id: "ada", name: "Ada", persona: "An engineer.", avatar: "ada.vrm", ...c }), LlmHost.withProvider(loadConfig({ PARLEY_QUIET: "1" }), llm), { maxTokens: 50, historyLines: 40 });
  for await (const _ of brain.reply(table, [line], new AbortController().signal)) void _;
  return llm.requests.at(-1)!.model;
}

describe("a character on a shared model server", () => {
  it("asks for its own model name (a LoRA adapter the server serves under that name), or the server's default", async () => {
    expect(await modelAskedFor({ model: "ada-lora" })).toBe("ada-lora");
    expect(await modelAskedFor({})).toBeUndefined();
  });

  it("refuses a model name that is not one plain word", () => {
    for (const model of ["", "two words", "evil\nname", "x".repeat(201)]) {
      expect(CharacterConfig.safeParse({ id: "ada", name: "Ada", avatar: "ada.vrm", model }).success, JSON.stringify(model)).toBe(false);
    }
  });
});

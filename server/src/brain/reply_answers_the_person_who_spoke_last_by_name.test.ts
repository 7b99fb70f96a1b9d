import { describe, it, expect } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { buildMessages } from "./prompt.js";
import type { LogEntry } from "../conversation/ConversationLog.js";

const ada = CharacterConfig.parse({ id: "ada", name: "Ada", persona: "An engineer.", avatar: "ada.vrm" });
const table = [{ id: "s1", name: "Alice", kind: "person" as const }, { id: "s2", name: "Bob", kind: "person" as const }, { id: "theo", name: "Theo", kind: "character" as const }, { id: "ada", name: "Ada", kind: "character" as const }];
let n = 0;
const line = (kind: LogEntry["kind"], speakerId: string, speakerName: string, text: string): LogEntry => ({ id: `l${++n}`, kind, speakerId, speakerName, text, heardText: text, interrupted: false, error: "", done: true, addressee: "", at: n });
const system = (entries: LogEntry[]): string => buildMessages(ada, table, entries)[0]!.content;

describe("with several people at the table", () => {
  it("a character answers the person who spoke last, by their name", () => {
    const entries = [line("person", "s1", "Alice", "Hi all"), line("character", "theo", "Theo", "Hello Alice."), line("person", "s2", "Bob", "What shall we cook?")];
    expect(system(entries)).toContain("answer Bob, and call them by their name");
    expect(system(entries)).not.toContain("answer Alice");
  });

  it("says nothing of it when a character spoke last (characters talking among themselves)", () => {
    const entries = [line("person", "s1", "Alice", "Hi all"), line("character", "theo", "Theo", "Ada, what do you think?")];
    expect(system(entries)).not.toMatch(/spoke last/);
  });

  it("keeps a person's name on one line even if it carries line breaks", () => {
    const entries = [line("person", "s1", "Al\nice", "Hi")];
    expect(system(entries).split("\n").at(-1)).toBe("Al ice spoke last: answer Al ice, and call them by their name.");
  });
});

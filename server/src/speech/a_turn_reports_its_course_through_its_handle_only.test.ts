/**
 * A spoken turn flows one way, from the text down to the wire, and its course
 * comes back through one place: its handle's reports. They come in the order
 * they happened (the text as generated, the start once authorized, each segment
 * before its audio, its emotion, the first audio), the whole reply once, the
 * handle's own view of itself follows them, and nothing is reported after it
 * settles.
 */
import { describe, it, expect } from "vitest";
import { speakTurn } from "./speakTurn.js";
import { FakeTts } from "../testing/FakeTts.js";
import { TurnHandle, TurnPriority, type TurnEvent } from "../turn/TurnHandle.js";

async function* tokens(text: string, delayMs: number): AsyncIterable<string> {
  for (const part of text.match(/\S+\s*/g) ?? []) {
    await new Promise((r) => setTimeout(r, delayMs));
    yield part;
  }
}

const voice = { provider: "espeak" as const, voice: "en-us", speed: 1, pitch: 50 };
const sink = { start: () => {}, chunk: () => {}, end: () => {}, cancel: () => {} };

describe("a turn's reports", () => {
  it("come through its handle in the order things happened, and stop when it settles", async () => {
    const turn = new TurnHandle({ id: "u1", characterId: "ada", addressee: "sam", priority: TurnPriority.person, held: true });
    const seen: TurnEvent[] = [];
    turn.on((e) => seen.push(e));
    const done = speakTurn({ turn, text: tokens("[happy] Hello there, my friend. *smiles* [sad] That is all.", 2), tts: new FakeTts({ msPerChar: 2 }), voice, sink, leadMs: 5000 });
    // held: the text streams and is reported, but nothing starts before the director authorizes it
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.some((e) => e.kind === "text")).toBe(true);
    expect(seen.some((e) => e.kind === "started" || e.kind === "segment" || e.kind === "audible")).toBe(false);
    turn.authorize();
    const outcome = await done;
    turn.settle(outcome);
    const kinds = seen.map((e) => e.kind);
    const at = (k: TurnEvent["kind"]): number => kinds.indexOf(k);
    expect(kinds.filter((k) => k === "written")).toHaveLength(1);
    expect(kinds.filter((k) => k === "started")).toHaveLength(1);
    expect(kinds.filter((k) => k === "audible")).toHaveLength(1);
    // started, then the first segment's checkpoint and its emotion, then its first audio
    expect(at("started")).toBeLessThan(at("segment"));
    expect(at("segment")).toBeLessThan(at("emotion"));
    expect(at("emotion")).toBeLessThan(at("audible"));
    const segments = seen.filter((e): e is Extract<TurnEvent, { kind: "segment" }> => e.kind === "segment");
    expect(segments.map((s) => [s.index, s.text, s.emotion])).toEqual([[0, "Hello there,", "happy"], [1, "my friend.", null], [2, "That is all.", "sad"]]);
    // what the handle says of itself is what was reported: the shown text keeps the action, the voice does not
    const shown = seen.flatMap((e) => (e.kind === "text" ? [e.delta] : [])).join("");
    expect(turn.text).toBe(shown);
    expect(shown.replace(/\s+/g, " ").trim()).toBe("Hello there, my friend. *smiles* That is all.");
    expect(seen.find((e) => e.kind === "written")).toEqual({ kind: "written", text: "Hello there, my friend. *smiles* That is all." });
    expect([turn.written, turn.audible]).toEqual([true, true]);
    // settled: nothing more is reported
    const count = seen.length;
    turn.report({ kind: "text", delta: "late" });
    expect(seen.length).toBe(count);
    expect(turn.text).toBe(shown);
  });
});

import { describe, it, expect } from "vitest";
import type { UttChunk, UttPause } from "@parley/shared";
import { speakTurn } from "./speakTurn.js";
import { FakeTts } from "../testing/FakeTts.js";
import { TurnHandle, TurnPriority } from "../turn/TurnHandle.js";

const voice = { provider: "espeak" as const, voice: "en-us", speed: 1, pitch: 50 };
async function* words(text: string): AsyncIterable<string> { for (const w of text.split(" ")) yield `${w} `; }

/**
 * The race behind "resumed from sample 18000 instead of the paused 7018": the
 * sender runs a second ahead of playback and sleeps; a backchannel's pause and
 * resume both happen during that sleep. The resume must still replay from the
 * paused sample, and the playout wait must not end early either.
 */
describe("pause and resume while the sender sleeps", () => {
  it("resumes from the heard sample", async () => {
    const chunks: UttChunk[] = [];
    const pauses: UttPause[] = [];
    let ended = false;
    const turn = new TurnHandle({ characterId: "ada", addressee: "sam", priority: TurnPriority.person });
    const done = speakTurn({
      turn, text: words("One long sentence that keeps going for a while so that there is plenty to send ahead of playback."),
      tts: new FakeTts({ msPerChar: 20 }), voice, leadMs: 1000,
      sink: { start: () => {}, chunk: (m) => chunks.push(m), end: () => { ended = true; }, cancel: () => {}, pause: (m) => pauses.push(m) },
    });
    // the sender is now about a second ahead of playback, asleep
    await new Promise((r) => setTimeout(r, 450));
    const sentBefore = chunks.length;
    // a dismissed backchannel: both happen before the sender wakes up
    turn.pause("sam");
    turn.resume("sam");
    const r = await done;
    expect(pauses).toHaveLength(1);
    const at = pauses[0]!.atSample;
    expect(at).toBeGreaterThan(0);
    const firstAfter = chunks[sentBefore]!;
    expect(firstAfter.startSample).toBe(at);
    expect(ended).toBe(true);
    expect(r.interrupted).toBe(false);
  });

  it("waits out a pause that comes and goes during the final playout", async () => {
    const chunks: UttChunk[] = [];
    const pauses: UttPause[] = [];
    const turn = new TurnHandle({ characterId: "ada", addressee: "sam", priority: TurnPriority.person });
    let ended = false;
    const done = speakTurn({
      turn, text: words("Short line."), tts: new FakeTts({ msPerChar: 40 }), voice, leadMs: 1000,
      sink: { start: () => {}, chunk: (m) => chunks.push(m), end: () => { ended = true; }, cancel: () => {}, pause: (m) => pauses.push(m) },
    });
    while (!ended) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    // all audio is sent; the turn now waits for playout in short naps: pause and resume inside one nap
    const sentBefore = chunks.length;
    turn.pause("sam");
    turn.resume("sam");
    await done;
    const at = pauses[0]!.atSample;
    expect(at).toBeGreaterThan(0);
    // what was sent past the paused sample went again after the resume
    expect(chunks[sentBefore]?.startSample).toBe(at);
  });
});

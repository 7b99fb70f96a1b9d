import { describe, it, expect } from "vitest";
import { TurnHandle, TurnPriority } from "./TurnHandle.js";

const handle = (o: Partial<ConstructorParameters<typeof TurnHandle>[0]> = {}): TurnHandle =>
  new TurnHandle({ characterId: "ada", addressee: "sam", priority: TurnPriority.person, ...o });

describe("a turn handle", () => {
  it("stays paused while anyone holds a pause, and plays once the last owner lets go", async () => {
    const t = handle();
    const changes: boolean[] = [];
    t.onPauseChange((p) => changes.push(p));
    expect(t.pause("sam")).toBe(true);
    expect(t.pause("eve")).toBe(false);
    let playing = false;
    void t.untilPlaying().then(() => { playing = true; });
    t.resume("eve");
    await Promise.resolve();
    expect(t.paused).toBe(true);
    expect(playing).toBe(false);
    // a person who never paused it cannot resume it
    t.resume("nobody");
    expect(t.paused).toBe(true);
    t.resume("sam");
    await Promise.resolve();
    expect(playing).toBe(true);
    expect(changes).toEqual([true, false]);
  });

  it("starts paused by the people already speaking", () => {
    const t = handle({ pausedBy: ["sam"] });
    expect(t.paused).toBe(true);
    expect([...t.pausedBy]).toEqual(["sam"]);
  });

  it("holds a prepared reply until authorized, and lets go of waiters when interrupted", async () => {
    const held = handle({ held: true });
    expect(held.authorized).toBe(false);
    const first = held.untilAuthorized();
    held.authorize();
    expect(await first).toBe(true);
    const dropped = handle({ held: true, pausedBy: ["sam"] });
    const auth = dropped.untilAuthorized();
    const play = dropped.untilPlaying();
    dropped.interrupt("plan changed");
    expect(await auth).toBe(false);
    await play;
    expect(dropped.reason).toBe("plan changed");
    // an interrupted turn cannot be paused again
    expect(dropped.pause("eve")).toBe(false);
  });

  it("ranks a person's answer above a character's own turn", () => {
    expect(handle().priority).toBeGreaterThan(handle({ priority: TurnPriority.character }).priority);
  });

  it("reports its outcome once, to everyone waiting for its playout", async () => {
    const t = handle();
    const a = t.waitForPlayout();
    t.settle({ text: "hi", heardText: "hi", interrupted: false, totalSamples: 10, started: true });
    t.settle({ text: "other", heardText: "", interrupted: true, totalSamples: 0, started: false });
    expect((await a).text).toBe("hi");
    expect((await t.waitForPlayout()).text).toBe("hi");
    expect(t.settled).toBe(true);
  });
});

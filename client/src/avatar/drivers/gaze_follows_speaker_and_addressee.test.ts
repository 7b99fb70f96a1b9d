import { describe, it, expect } from "vitest";
import { GazeDriver, gazeTargetId } from "./GazeDriver.js";

const FRAME = 1 / 60;

describe("gaze target selection", () => {
  const base = { me: "ada", speaker: "", roomLookAt: "", candidates: ["sam", "theo", "juno"] };
  it("looks at whom it addresses while speaking", () => {
    expect(gazeTargetId({ ...base, speaker: "ada", roomLookAt: "sam" }, "juno")).toBe("sam");
  });
  it("looks at the speaker while listening", () => {
    expect(gazeTargetId({ ...base, speaker: "theo" }, "juno")).toBe("theo");
    expect(gazeTargetId({ ...base, speaker: "theo", roomLookAt: "theo" }, "juno")).toBe("theo");
  });
  it("never looks at itself, and falls back to its idle choice", () => {
    expect(gazeTargetId({ ...base, speaker: "ada", roomLookAt: "ada" }, "juno")).toBe("juno");
    expect(gazeTargetId(base, "sam")).toBe("sam");
  });
});

describe("gaze driver", () => {
  it("turns the head part of the way toward the target, smoothly", () => {
    const g = new GazeDriver(1);
    g.update(FRAME, 0.8, 0.2);
    expect(g.headYaw).toBeGreaterThan(0);
    expect(g.headYaw).toBeLessThan(0.1);
    for (let i = 0; i < 180; i++) g.update(FRAME, 0.8, 0.2);
    expect(g.headYaw).toBeCloseTo(0.8 * 0.4, 2);
    expect(g.headPitch).toBeCloseTo(0.2 * 0.4, 2);
  });

  it("makes small saccades and sometimes glances away", () => {
    const g = new GazeDriver(5);
    const xs: number[] = [];
    let away = 0;
    for (let i = 0; i < 60 * 120; i++) {
      g.update(FRAME, 0, 0);
      xs.push(g.offset.x);
      if (Math.abs(g.offset.x) > 0.15) away++;
    }
    const distinct = new Set(xs.map((x) => x.toFixed(3))).size;
    expect(distinct).toBeGreaterThan(50);
    const awayShare = away / xs.length;
    expect(awayShare).toBeGreaterThan(0.005);
    expect(awayShare).toBeLessThan(0.2);
  });

  it("prefers people when idle and changes target now and then", () => {
    const g = new GazeDriver(11);
    const counts = new Map<string, number>();
    let changes = 0;
    let last = "";
    for (let i = 0; i < 60 * 300; i++) {
      const t = g.updateIdle(FRAME, ["sam", "theo", "juno"]);
      counts.set(t, (counts.get(t) ?? 0) + 1);
      if (t !== last) { changes++; last = t; }
    }
    expect(changes).toBeGreaterThan(20);
    expect(counts.get("sam")!).toBeGreaterThan(counts.get("theo")!);
  });
});

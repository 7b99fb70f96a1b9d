import { describe, it, expect } from "vitest";
import { PlaybackReports } from "./PlaybackReports.js";

describe("playback reports", () => {
  it("extrapolate from the furthest client's last report, never past the server's estimate", () => {
    let now = 0;
    const r = new PlaybackReports(() => now);
    expect(r.playedBy("u", 16000, 8000)).toBe(8000);
    r.report("u", 3200);
    r.report("u", 1600); // a slower client does not pull it back
    now = 100; // 100 ms later: 1600 more samples played
    expect(r.playedBy("u", 16000, 8000)).toBe(4800);
    expect(r.playedBy("u", 16000, 4000)).toBe(4000);
  });

  it("forgets old utterances beyond its capacity", () => {
    const r = new PlaybackReports(() => 0, 2);
    r.report("a", 10);
    r.report("b", 10);
    r.report("c", 10);
    expect(r.playedBy("a", 16000, 999)).toBe(999);
    expect(r.playedBy("c", 16000, 999)).toBe(10);
  });
});

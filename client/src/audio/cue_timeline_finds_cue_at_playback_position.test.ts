import { describe, it, expect } from "vitest";
import { CueTimeline } from "./cueTimeline.js";
import { int16ToFloat32 } from "./pcm.js";

describe("cue timeline", () => {
  it("places chunk-relative cues on the utterance timeline and finds the one in force", () => {
    const t = new CueTimeline();
    t.addVisemes(0, [{ t: 0, w: {} }, { t: 100, w: { aa: 1 } }]);
    t.addVisemes(441, [{ t: 0, w: { aa: 1 } }, { t: 59, w: { oh: 1 } }]);
    expect(t.indexAt(-1)).toBe(-1);
    expect(t.visemes[t.indexAt(50)]!.w).toEqual({});
    expect(t.visemes[t.indexAt(100)]!.w).toEqual({ aa: 1 });
    expect(t.visemes[t.indexAt(499)]!.w).toEqual({ aa: 1 });
    expect(t.visemes[t.indexAt(500)]!.w).toEqual({ oh: 1 });
    expect(t.visemes[t.indexAt(1e9)]!.w).toEqual({ oh: 1 });
  });

  it("knows the emotion in force", () => {
    const t = new CueTimeline();
    t.addEmotions(0, [{ t: 0, emotion: "happy", intensity: 0.8 }]);
    t.addEmotions(1000, [{ t: 0, emotion: "sad", intensity: 0.5 }]);
    expect(t.emotionAt(10)?.emotion).toBe("happy");
    expect(t.emotionAt(1500)?.emotion).toBe("sad");
  });
});

describe("pcm", () => {
  it("decodes 16-bit little-endian samples, even from an odd offset", () => {
    const buf = new Uint8Array([0, 0x00, 0x80, 0xff, 0x7f, 0x00, 0x00]);
    expect(Array.from(int16ToFloat32(buf.subarray(1)))).toEqual([-1, 32767 / 32768, 0]);
  });
});

import { describe, it, expect } from "vitest";
import { EchoGate, type GateTarget, type Verdict } from "./EchoGate.js";

/** 32 ms frames of 16 kHz PCM, loud (`level`) */
const frame = (level: number): Uint8Array => new Uint8Array(new Int16Array(512).fill(level).buffer);

function setup(echoWhile: (pcm: Int16Array) => boolean | Verdict, played: boolean | "steady" = true) {
  const calls: string[] = [];
  const target: GateTarget = {
    start: () => calls.push("start"),
    audio: (b) => calls.push(`audio:${new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2)[0]}`),
    end: () => calls.push("end"),
    cancel: () => calls.push("cancel"),
  };
  const judge = (pcm: Int16Array): Verdict => { const v = echoWhile(pcm); return v === true ? "echo" : v === false ? "speech" : v; };
  return { gate: new EchoGate(target, judge, () => played), calls };
}

describe("the echo gate", () => {
  it("lets speech through at once when nothing played at the page", () => {
    const { gate, calls } = setup(() => true, false);
    gate.start();
    gate.audio(frame(100));
    expect(calls).toEqual(["start", "audio:100"]);
  });

  it("decides on the pre-roll and the first moments after the onset, and lets real speech through with every frame it held", () => {
    const { gate, calls } = setup(() => false);
    gate.start();
    for (let i = 0; i < 9; i++) gate.audio(frame(i + 1));
    expect(calls).toEqual([]);
    gate.audio(frame(10)); // 320 ms: decided
    expect(calls).toEqual(["start", ...Array.from({ length: 10 }, (_, i) => `audio:${i + 1}`)]);
    gate.audio(frame(11));
    gate.end();
    expect(calls.slice(-2)).toEqual(["audio:11", "end"]);
  });

  it("decides on the pre-roll alone when the page has played without a break for a while (a barge-in mid-sentence)", () => {
    const judged: number[] = [];
    const { gate, calls } = setup((pcm) => { judged.push(pcm.length); return false; }, "steady");
    gate.start();
    for (let i = 0; i < 5; i++) gate.audio(frame(i + 1));
    expect(calls).toEqual([]);
    gate.audio(frame(6)); // the 192 ms pre-roll: decided
    expect(calls).toEqual(["start", ...Array.from({ length: 6 }, (_, i) => `audio:${i + 1}`)]);
    expect(judged).toEqual([6 * 512]);
    const echo = setup(() => true, "steady");
    echo.gate.start();
    for (let i = 0; i < 6; i++) echo.gate.audio(frame(1000));
    expect(echo.gate.echoes).toBe(1);
    expect(echo.calls).toEqual([]);
  });

  it("holds echo back entirely: no start, no audio, no end", () => {
    const { gate, calls } = setup(() => true);
    gate.start();
    for (let i = 0; i < 30; i++) gate.audio(frame(1000));
    gate.end();
    expect(calls).toEqual([]);
    expect(gate.echoes).toBe(1);
  });

  it("lets a person through who starts talking over the echo, with the last moments of audio", () => {
    let echo = true;
    const { gate, calls } = setup(() => echo);
    gate.start();
    for (let i = 0; i < 12; i++) gate.audio(frame(1000));
    expect(calls).toEqual([]);
    echo = false;
    // four judgements in a row (about 500 ms) say a person is talking
    let frames = 0;
    while (calls.length === 0 && frames < 20) { gate.audio(frame(2000)); frames++; }
    expect(calls[0]).toBe("start");
    expect(frames).toBeLessThanOrEqual(17);
    // at most 600 ms (about 19 frames) were held and replayed
    expect(calls.length - 1).toBeLessThanOrEqual(19);
    expect(calls.at(-1)).toBe("audio:2000");
  });

  it("holds audio too quiet to tell while something plays, without counting it as echo", () => {
    const { gate, calls } = setup(() => "unsure");
    gate.start();
    for (let i = 0; i < 30; i++) gate.audio(frame(100));
    gate.end();
    expect(calls).toEqual([]);
    expect(gate.echoes).toBe(0);
  });

  it("does not let echo through on judgements that look like speech now and then (playout hiccups), only on four in a row", () => {
    const verdicts: Verdict[] = ["echo", "echo", "speech", "echo", "speech", "speech", "speech", "unsure", "speech", "speech", "speech", "speech"];
    const { gate, calls } = setup(() => verdicts.shift() ?? "echo");
    gate.start();
    // the decision at 320 ms, then a judgement every ~100 ms (3-4 frames)
    for (let i = 0; i < 10; i++) gate.audio(frame(1000));
    for (let i = 0; i < 4 * 7; i++) gate.audio(frame(1000));
    expect(calls).toEqual([]);
    for (let i = 0; i < 4 * 4; i++) gate.audio(frame(2000));
    expect(calls[0]).toBe("start");
  });

  it("judges a burst of frames a busy page sent late at the time they were captured, not at their arrival", async () => {
    const judged: { end: number; at: number }[] = [];
    const gate = new EchoGate({ start() {}, audio() {}, end() {}, cancel() {} }, (_pcm, endMs) => { judged.push({ end: endMs, at: performance.now() }); return "echo"; }, () => true);
    gate.start();
    const t0 = performance.now();
    // the pre-roll (6 frames, 192 ms captured before the onset) and 4 frames in real time
    for (let i = 0; i < 6; i++) gate.audio(frame(1000));
    for (let i = 0; i < 4; i++) { await new Promise((r) => setTimeout(r, 32)); gate.audio(frame(1000)); }
    // the decision: 320 ms of audio whose last sample was captured as the tenth frame came
    expect(judged).toHaveLength(1);
    expect(judged[0]!.at - judged[0]!.end).toBeLessThan(30);
    // the page stalls for 600 ms, then sends the 19 frames it captured meanwhile at once
    await new Promise((r) => setTimeout(r, 600));
    const stalled = performance.now() - t0;
    for (let i = 0; i < 19; i++) gate.audio(frame(1000));
    const burst = judged.slice(1);
    expect(burst.length).toBeGreaterThanOrEqual(4);
    // the first recheck in the burst judges audio captured about 500 ms before it arrived; the last, audio just captured
    expect(burst[0]!.at - burst[0]!.end).toBeGreaterThan(stalled - 128 - 4 * 32 - 100);
    expect(burst.at(-1)!.at - burst.at(-1)!.end).toBeLessThan(burst[0]!.at - burst[0]!.end);
  });

  it("decides after a short wait even if the pre-roll never comes, and a malformed frame is never taken for echo", async () => {
    const { gate, calls } = setup(() => false);
    gate.start();
    await new Promise((r) => setTimeout(r, 430));
    expect(calls).toEqual(["start"]);
    const other = setup(() => true);
    other.gate.start();
    other.gate.audio(new Uint8Array(3));
    expect(other.calls).toEqual(["start", "audio:0"]);
  });
});

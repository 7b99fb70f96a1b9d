import { describe, it, expect } from "vitest";
import { PersonVoice, type TurnTiming, type VoiceEvents } from "./PersonVoice.js";
import { FakeAsr } from "../testing/FakeAsr.js";
import { LatencyTrace } from "../turn/LatencyTrace.js";

/** A person says one sentence; the page reports its end with `end`; returns the turn's timing. */
async function turn(end: { silenceMs: number; endedAt?: (reportWallMs: number) => number }): Promise<{ timing: TurnTiming; reportedAt: number }> {
  let timing: TurnTiming | undefined;
  const ev: VoiceEvents = { started: () => false, confirmed: () => {}, partial: () => {}, message: (_t, tm) => { timing = tm; }, dismissed: () => {}, error: () => {} };
  const v = new PersonVoice(new FakeAsr({ script: ["Ada what do you think."], msPerWord: 10 }), ev, { silenceMs: 0 });
  v.start();
  const frame = new Int16Array(512).fill(3000);
  for (let i = 0; i < 10; i++) v.audio(new Uint8Array(frame.buffer.slice(0)));
  const reportedAt = performance.now();
  const wall = performance.timeOrigin + reportedAt;
  await v.end({ silenceMs: end.silenceMs, ...(end.endedAt ? { endedAt: end.endedAt(wall) } : {}) });
  for (let i = 0; i < 100 && !timing; i++) await new Promise((r) => setTimeout(r, 10));
  return { timing: timing!, reportedAt };
}

describe("a reply's stages", () => {
  it("start where the speaker's page dated the speech's last sound, on the server's clock", async () => {
    // the page: its last sound was 260 ms before the report arrived (a 200 ms silence, the detector's tail, the transport)
    const { timing, reportedAt } = await turn({ silenceMs: 200, endedAt: (wall) => wall - 260 });
    expect(timing.speechEndAt).toBeCloseTo(reportedAt - 260, 0);
    expect(timing.reportedAt).toBeGreaterThanOrEqual(reportedAt);
    // the stages follow one another from there to the first audio, and say both ends on the epoch clock for the page
    const stages = new LatencyTrace(timing).stages(timing.finalAt + 50);
    expect(stages.startAt).toBeCloseTo(performance.timeOrigin + timing.speechEndAt, 0);
    expect(stages.firstAudioAt - stages.startAt).toBeCloseTo(stages.endOfTurnMs + stages.recognitionMs + stages.firstTokenMs + stages.firstClauseMs + stages.firstAudioMs, 0);
    expect(stages.reportedAt).toBeCloseTo(performance.timeOrigin + timing.reportedAt, 0);
  });

  it("start at the report minus its silence when the page's date is absent or impossible", async () => {
    for (const endedAt of [undefined, (wall: number) => wall + 5_000, (wall: number) => wall - 60_000]) {
      const { timing, reportedAt } = await turn({ silenceMs: 200, ...(endedAt ? { endedAt } : {}) });
      // the report's own reckoning: it arrived a moment after `reportedAt` was read, 200 ms after the speech ended
      expect(timing.speechEndAt - (reportedAt - 200)).toBeGreaterThanOrEqual(0);
      expect(timing.speechEndAt - (reportedAt - 200)).toBeLessThan(20);
    }
  });
});

/**
 * The end-of-turn decision on real audio: espeak-ng phrases go through Silero VAD
 * with the page's rules (the reports a browser would send, with the silence it
 * measured) into a PersonVoice, in real time. The end-of-turn model is scripted
 * (its real loading and inference are tested on a generated graph elsewhere):
 * what is tested here is what the voice does with its verdicts and the silence.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { PersonVoice, type TurnTiming, type VOICE_DEFAULTS } from "./PersonVoice.js";
import { FakeAsr } from "../testing/FakeAsr.js";
import { FakeTurnModel } from "../testing/FakeTurnModel.js";
import { NodeSileroVad, browserVadReports, VAD_FRAME_MS, type VadReport } from "../testing/browserVad.js";
import { espeakSpeech, concatPcm, silence } from "../testing/asrAudio.js";

let vad: NodeSileroVad;
let complete: Int16Array;
let trailing: Int16Array;
let rest: Int16Array;
beforeAll(async () => {
  vad = await NodeSileroVad.load();
  [complete, trailing, rest] = await espeakSpeech([
    { text: "I would like a cup of tea please.", voice: "en-us" },
    { text: "I went to the shop and then", voice: "en-us" },
    { text: "I bought some bread.", voice: "en-us" },
  ]);
});
afterAll(async () => { await vad?.release(); });

/** where the speech in `pcm` really ends, ms */
function lastSoundMs(pcm: Int16Array): number {
  let i = pcm.length - 1;
  while (i > 0 && Math.abs(pcm[i]!) < 500) i--;
  return (i * 1000) / 16000;
}

interface Run { messages: { text: string; at: number; timing?: TurnTiming }[]; started: number; reports: VadReport[] }

/** Plays the reports into a voice at the pace of the audio; times are ms from the audio's start. */
async function play(audio: Int16Array, o: { redemptionMs: number; script: string[]; model: FakeTurnModel | null; voice?: Partial<typeof VOICE_DEFAULTS>; tailMs?: number }): Promise<Run> {
  const reports = await browserVadReports(vad, audio, { redemptionMs: o.redemptionMs });
  const run: Run = { messages: [], started: 0, reports };
  const t0 = performance.now();
  const v = new PersonVoice(new FakeAsr({ script: o.script, msPerWord: 120 }), {
    started: () => { run.started++; return false; },
    confirmed: () => {},
    partial: () => {},
    message: (text, timing) => run.messages.push({ text, at: performance.now() - t0, timing }),
    dismissed: () => {},
    error: (code, m) => { throw new Error(`${code}: ${m}`); },
  }, { silenceMs: 500, incompleteMs: 1200, ...o.voice }, undefined, undefined, o.model);
  for (const r of reports) {
    const due = t0 + (r.frame + 1) * VAD_FRAME_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    if (r.kind === "start") v.start();
    else if (r.kind === "audio") v.audio(new Uint8Array(r.pcm!.buffer.slice(0)));
    else if (r.kind === "end") void v.end({ silenceMs: r.silenceMs });
    else v.cancel();
  }
  // the rest of the audio (silence) plays out, then a little more
  const over = t0 + audio.length / 16 + (o.tailMs ?? 300) - performance.now();
  await new Promise((res) => setTimeout(res, Math.max(0, over)));
  v.close();
  return run;
}

const ends = (r: Run): number => r.reports.filter((x) => x.kind === "end").length;

describe("the end of a person's turn", () => {
  it("comes a short silence after a complete sentence when the model hears one, where the old thresholds wait 500 ms", async () => {
    const audio = concatPcm(silence(400), complete, silence(1000));
    const speechEnd = 400 + lastSoundMs(complete);
    const model = new FakeTurnModel(() => 0.95);
    const fast = await play(audio, { redemptionMs: 200, script: ["I would like a cup of tea please."], model });
    expect(ends(fast)).toBe(1);
    expect(fast.messages).toHaveLength(1);
    expect(fast.messages[0]!.text).toBe("I would like a cup of tea please.");
    // the model heard the whole sentence (and some of the silence after it)
    expect(model.calls.at(-1)! / 16).toBeGreaterThan(lastSoundMs(complete));
    const fastWait = fast.messages[0]!.at - speechEnd;
    expect(fastWait).toBeLessThan(450);
    expect(fast.messages[0]!.timing).toMatchObject({ by: "model", probability: 0.95 });

    // the old fixed thresholds: the browser waits 500 ms of silence itself
    const old = await play(audio, { redemptionMs: 500, script: ["I would like a cup of tea please."], model: null });
    const oldWait = old.messages[0]!.at - speechEnd;
    expect(oldWait).toBeGreaterThanOrEqual(500);
    expect(oldWait - fastWait).toBeGreaterThan(200);

    // a short browser silence without the model: the server waits out the rest of the 500 ms
    const made = await play(audio, { redemptionMs: 200, script: ["I would like a cup of tea please."], model: null });
    expect(made.messages[0]!.at - speechEnd).toBeGreaterThanOrEqual(480);
    expect(made.messages[0]!.timing?.by).toBe("silence");
  });

  it("starts the model while the silence is still short, so a slow model adds no wait to the reported end", async () => {
    const audio = concatPcm(silence(400), complete, silence(1000));
    const speechEnd = 400 + lastSoundMs(complete);
    // 180 ms per verdict: without the early start, end report + 180 ms
    const slow = new FakeTurnModel(() => 0.95, 180);
    const r = await play(audio, { redemptionMs: 200, script: ["I would like a cup of tea please."], model: slow });
    const reported = r.reports.find((x) => x.kind === "end")!;
    const reportedAt = (reported.frame + 1) * VAD_FRAME_MS;
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.at - reportedAt).toBeLessThan(120);
    expect(r.messages[0]!.at - speechEnd).toBeLessThan(450);
  });

  it("leaves the decision to the old silence when the model is slower than it, so a crowded CPU never makes the wait longer", async () => {
    const audio = concatPcm(silence(400), complete, silence(1500));
    const speechEnd = 400 + lastSoundMs(complete);
    // 1.5 s per verdict: far beyond the 500 ms the silence alone would wait
    const crawling = new FakeTurnModel(() => 0.95, 1500);
    const r = await play(audio, { redemptionMs: 200, script: ["I would like a cup of tea please."], model: crawling, tailMs: 600 });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.timing?.by).toBe("silence");
    const waited = r.messages[0]!.at - speechEnd;
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(waited).toBeLessThan(900);
  });

  it("waits through a pause after a trailing 'and then', and joins what follows into one turn", async () => {
    const audio = concatPcm(silence(400), trailing, silence(700), rest, silence(1600));
    // unfinished until it has heard the second part
    const model = new FakeTurnModel((pcm) => (pcm.length / 16 > trailing.length / 16 + 500 ? 0.95 : 0.1));
    const r = await play(audio, { redemptionMs: 200, script: ["I went to the shop and then", "I bought some bread."], model });
    expect(ends(r)).toBe(2);
    // the verdict that ended the turn heard both parts
    expect(model.calls.at(-1)! / 16).toBeGreaterThan(trailing.length / 16 + 500);
    expect(r.started).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["I went to the shop and then I bought some bread."]);
    const speechEnd = 400 + (trailing.length / 16) + 700 + lastSoundMs(rest);
    expect(r.messages[0]!.at - speechEnd).toBeLessThan(450);
  });

  it("answers an unfinished sentence after the model's longer silence when nothing follows", async () => {
    const audio = concatPcm(silence(400), trailing, silence(2200));
    const speechEnd = 400 + lastSoundMs(trailing);
    const r = await play(audio, { redemptionMs: 200, script: ["I went to the shop and then"], model: new FakeTurnModel(() => 0.1), tailMs: 600 });
    expect(r.messages.map((m) => m.text)).toEqual(["I went to the shop and then"]);
    const waited = r.messages[0]!.at - speechEnd;
    expect(waited).toBeGreaterThanOrEqual(1150);
    expect(waited).toBeLessThan(1600);
  });

  it("without the model, still waits after words that trail off", async () => {
    const audio = concatPcm(silence(400), trailing, silence(2000));
    const speechEnd = 400 + lastSoundMs(trailing);
    const r = await play(audio, { redemptionMs: 200, script: ["I went to the shop and then"], model: null, voice: { trailingWaitMs: 700 }, tailMs: 300 });
    // 500 ms of silence, then the trailing-words wait
    expect(r.messages[0]!.at - speechEnd).toBeGreaterThanOrEqual(1150);
  });
});

import { describe, it, expect } from "vitest";
import { PersonVoice, type VoiceEvents } from "./PersonVoice.js";
import { FakeAsr } from "../testing/FakeAsr.js";
import { isBackchannel, trailsOff } from "./turnEnd.js";

type Ev = [string, ...unknown[]];

/** `overSpeech`: whether a character was audible when the person began (default: yes) */
function voice(script: string[], opts: ConstructorParameters<typeof PersonVoice>[2] = {}, asr: FakeAsr | null = new FakeAsr({ script, msPerWord: 100 }), overSpeech = true) {
  const events: Ev[] = [];
  const ev: VoiceEvents = {
    started: () => { events.push(["started"]); return overSpeech; },
    confirmed: () => events.push(["confirmed"]),
    partial: (t) => events.push(["partial", t]),
    message: (t) => events.push(["message", t]),
    dismissed: (r, t) => events.push(["dismissed", r, t]),
    error: (c, m) => events.push(["error", c, m]),
  };
  return { v: new PersonVoice(asr, ev, { trailingWaitMs: 150, ...opts }), events };
}

/** `ms` of loud 16 kHz PCM in 32 ms frames, as a client would stream it (paced in real time). */
async function speak(v: PersonVoice, ms: number, realTime = true): Promise<void> {
  const frame = new Int16Array(512).fill(3000);
  for (let t = 0; t < ms; t += 32) {
    v.audio(new Uint8Array(frame.buffer.slice(0)));
    if (realTime) await new Promise((r) => setTimeout(r, 32));
  }
}

const kinds = (events: Ev[]): string[] => events.map((e) => e[0]);
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe("a person's voice", () => {
  it("pauses the table at onset and turns finished words into a message", async () => {
    const { v, events } = voice(["Ada what do you think."]);
    v.start();
    expect(kinds(events)).toEqual(["started"]);
    await speak(v, 800);
    await v.end();
    expect(kinds(events)).toContain("partial");
    expect(kinds(events)).toContain("confirmed");
    expect(events.at(-1)).toEqual(["message", "Ada what do you think."]);
  });

  it("dismisses a backchannel so the paused speaker can go on", async () => {
    const { v, events } = voice(["mm-hm"]);
    v.start();
    await speak(v, 300);
    await v.end();
    expect(events.at(-1)).toEqual(["dismissed", "backchannel", "mm-hm"]);
    expect(kinds(events)).not.toContain("confirmed");
  });

  it("answers a short yes said to a quiet table, in every language, but not a bare um", async () => {
    for (const word of ["yes", "okay", "sure", "да", "好的", "mm-hm"]) {
      const { v, events } = voice([word], {}, undefined, false);
      v.start();
      await speak(v, 300);
      await v.end();
      expect(events.at(-1), word).toEqual(["message", word]);
    }
    const { v, events } = voice(["um"], {}, undefined, false);
    v.start();
    await speak(v, 300);
    await v.end();
    expect(events.at(-1)).toEqual(["dismissed", "backchannel", "um"]);
  });

  it("ends speech whose audio stops coming, so a lost client cannot hold the table", async () => {
    // speech:start and then nothing: it was never speech
    const silent = voice(["x"], { audioTimeoutMs: 150 });
    silent.v.start();
    await settle(250);
    expect(silent.events.at(-1)?.slice(0, 2)).toEqual(["dismissed", "noise"]);
    expect(silent.v.speaking).toBe(false);
    // some audio, then the frames stop: what was said so far is taken as said
    const cut = voice(["Ada listen to me now."], { audioTimeoutMs: 150 });
    cut.v.start();
    await speak(cut.v, 400);
    await settle(400);
    expect(cut.events.at(-1)).toEqual(["message", "Ada listen to me now."]);
  });

  it("refuses a non-binary audio frame without throwing", () => {
    const { v, events } = voice(["x"]);
    v.start();
    expect(() => v.audio({ byteLength: 4, length: 1_000_000_000 } as unknown as Uint8Array)).not.toThrow();
    expect(events.at(-1)?.slice(0, 2)).toEqual(["error", "bad_message"]);
    v.cancel();
  });

  it("dismisses noise that is too short to be speech", async () => {
    const { v, events } = voice(["anything"], { minSpeechMs: 200 });
    v.start();
    await speak(v, 96);
    await v.end();
    expect(events.at(-1)?.slice(0, 2)).toEqual(["dismissed", "noise"]);
  });

  it("still hears speech the client takes back once it was long enough to count", async () => {
    const { v, events } = voice(["Ada listen to me."]);
    v.start();
    await speak(v, 800, false);
    expect(kinds(events)).toContain("confirmed");
    v.cancel();
    await settle(600);
    expect(events.at(-1)).toEqual(["message", "Ada listen to me."]);
  });

  it("treats a detector's false start as noise", async () => {
    const { v, events } = voice(["x"]);
    v.start();
    v.cancel();
    expect(events.at(-1)?.slice(0, 2)).toEqual(["dismissed", "noise"]);
  });

  it("waits for more when the words trail off, and joins what follows", async () => {
    const { v, events } = voice(["so I was thinking that", "we should go to the sea."]);
    v.start();
    await speak(v, 640);
    await v.end();
    expect(kinds(events).includes("message")).toBe(false);
    v.start();
    await speak(v, 640);
    await v.end();
    expect(events.at(-1)).toEqual(["message", "so I was thinking that we should go to the sea."]);
    expect(events.filter((e) => e[0] === "started")).toHaveLength(1);
  });

  it("answers trailing words after the wait when nothing follows", async () => {
    const { v, events } = voice(["and then"]);
    v.start();
    await speak(v, 400);
    await v.end();
    await settle(250);
    expect(events.at(-1)).toEqual(["message", "and then"]);
  });

  it("refuses audio without speaking rights, malformed frames and a flood, with one error each", async () => {
    const { v, events } = voice(["x"]);
    v.audio(new Uint8Array(1024));
    v.audio(new Uint8Array(1024));
    expect(events.filter((e) => e[1] === "no_speaking_rights")).toHaveLength(1);
    v.start();
    v.audio(new Uint8Array(3));
    v.audio(new Uint8Array(20000));
    expect(events.filter((e) => e[1] === "bad_message")).toHaveLength(1);
    await speak(v, 5000, false); // 5 s of audio in an instant
    expect(events.filter((e) => e[1] === "too_fast")).toHaveLength(1);
  });

  it("cuts an endless utterance at the maximum length and answers it", async () => {
    const { v, events } = voice(["a very long story"], { maxUtteranceMs: 600, rateSlack: 100 });
    v.start();
    await speak(v, 1500, false);
    await settle();
    expect(events.filter((e) => e[0] === "message")).toHaveLength(1);
  });

  it("says clearly when there is no recognizer", () => {
    const { v, events } = voice([], {}, null);
    v.start();
    expect(events[0]?.[1]).toBe("asr_failed");
    expect(String(events[0]?.[2])).toMatch(/PARLEY_ASR/);
  });
});

describe("reading the words", () => {
  it("knows backchannels in English, Russian and Chinese", () => {
    for (const t of ["mm-hm", "Yeah.", "uh huh", "угу", "Ага!", "嗯", "对对", "yeah yeah"]) expect(isBackchannel(t), t).toBe(true);
    for (const t of ["yeah but why", "Ada?", "нет, подожди", "不是这样的"]) expect(isBackchannel(t), t).toBe(false);
  });

  it("knows a sentence that trails off from one that ends", () => {
    for (const t of ["so I was thinking that", "and", "well,", "я думаю, что", "然后", "wait..."]) expect(trailsOff(t), t).toBe(true);
    for (const t of ["That is all.", "What do you think?", "Всё.", "好的。", "Hello there"]) expect(trailsOff(t), t).toBe(false);
  });
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { EchoGuard } from "./EchoGuard.js";
import { EspeakTts } from "../tts/EspeakTts.js";
import { concatInt16 } from "../tts/pcm.js";
import { resample } from "../asr/resample.js";

let espeak: EspeakTts;
/** what a page's microphone sends at the onset of speech (its pre-roll): the guard decides on this much, s */
const WINDOW_S = 0.19;
beforeAll(async () => { espeak = new EspeakTts(); await espeak.init(); });
afterAll(async () => { await espeak.close(); });

async function say(text: string, voice = "en-us+f3"): Promise<{ pcm: Int16Array; rate: number }> {
  const v = { provider: "espeak" as const, voice, speed: 1, pitch: 50 };
  const parts: Int16Array[] = [];
  for await (const p of espeak.synthesize(text, v, new AbortController().signal)) parts.push(p.pcm);
  return { pcm: concatInt16(parts), rate: espeak.sampleRate(v) };
}

/** What a microphone hears of `pcm` played from a speaker: quieter, later, with room noise, at 16 kHz. */
function throughTheRoom(pcm: Int16Array, rate: number, gain: number, seed = 1): Int16Array {
  const mic = resample(pcm, rate, 16_000);
  let x = seed;
  return mic.map((s) => { x = (x * 1103515245 + 12345) & 0x7fffffff; return Math.round(s * gain + ((x / 0x7fffffff) - 0.5) * 300); });
}

describe("the echo guard", () => {
  it("knows a character's voice coming back through a page's microphone", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    guard.sent(["page-1", "page-2"], clock, ada.pcm, ada.rate);
    // 300 ms later the speaker's sound starts reaching page 1's microphone; 600 ms of it arrive
    clock += 300 + 600;
    for (const gain of [0.1, 0.3, 1]) {
      const mic = throughTheRoom(ada.pcm, ada.rate, gain).subarray(0, 16_000 * WINDOW_S);
      expect(guard.isEcho("page-1", mic), `gain ${gain}`).toBe(true);
    }
  });

  it("knows the echo of the first sound a page was sent when it begins partway through the judged window", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    guard.sent(["page-1"], clock, ada.pcm, ada.rate);
    // the judged window: 120 ms of the page's quiet room, then the first 200 ms of the echo (300 ms late)
    const quiet = throughTheRoom(new Int16Array(1920), 16_000, 0);
    const echo = throughTheRoom(ada.pcm, ada.rate, 0.6).subarray(0, 3200);
    const mic = new Int16Array(quiet.length + echo.length);
    mic.set(quiet);
    mic.set(echo, quiet.length);
    clock += 300 + 200;
    expect(guard.score("page-1", mic)).toBeGreaterThanOrEqual(0.7);
  });

  it("does not mistake a person speaking over the character for echo", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    guard.sent(["page-1"], clock, ada.pcm, ada.rate);
    for (const [i, words] of ["Wait, wait, Theo, what do you think?", "No, I do not agree with that at all.", "Could you say that again more slowly please?"].entries()) {
      const person = await say(words, i % 2 ? "en-gb+m3" : "en-us+m2");
      const mic = throughTheRoom(person.pcm, person.rate, 0.8, i + 2).subarray(0, 16_000 * WINDOW_S);
      clock = 10_000 + 900 + i * 400;
      expect(guard.isEcho("page-1", mic), words).toBe(false);
    }
  });

  it("hears a person who speaks over the echo as a person", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    guard.sent(["page-1"], clock, ada.pcm, ada.rate);
    clock += 900;
    const echo = throughTheRoom(ada.pcm, ada.rate, 0.3).subarray(0, 16_000 * WINDOW_S);
    const person = await say("Wait, wait, Theo, what do you think?", "en-us+m2");
    const voice = throughTheRoom(person.pcm, person.rate, 0.8, 9).subarray(0, echo.length);
    const both = echo.map((x, i) => Math.max(-32768, Math.min(32767, x + (voice[i] ?? 0))));
    expect(guard.isEcho("page-1", both)).toBe(false);
  });

  it("tells when a page has played long enough without a break for its echo to fill a whole pre-roll", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    const half = Math.floor(ada.pcm.length / 2);
    // an utterance sent in two pieces back to back is one run
    guard.sentStream("u1", ["page-1"], clock, 0, ada.pcm.subarray(0, half), ada.rate);
    expect(guard.playingSteadily("page-1", 190)).toBe(false);
    clock += 400;
    guard.sentStream("u1", ["page-1"], 10_000, half, ada.pcm.subarray(half), ada.rate);
    expect(guard.playingSteadily("page-1", 190)).toBe(false);
    clock += 200;
    expect(guard.playingSteadily("page-1", 190)).toBe(true);
    // a page known to play late needs that much longer
    guard.playsLate("page-1", 500);
    expect(guard.playingSteadily("page-1", 190)).toBe(false);
    guard.playsLate("page-1", 0);
    // after a break (a new utterance a second after the last ended), a new run begins
    const end = 10_000 + (ada.pcm.length / ada.rate) * 1000;
    clock = end + 1000;
    expect(guard.playingSteadily("page-1", 190)).toBe(false);
    guard.sent(["page-1"], clock, ada.pcm, ada.rate);
    clock += 300;
    expect(guard.playingSteadily("page-1", 190)).toBe(false);
    expect(guard.playingSteadily("page-2", 190)).toBe(false);
  });

  it("knows a friend's voice whose playout at the page stalled, once the page says by how much", async () => {
    const friend = await say("Hello there everyone, I was just telling Ada about my trip to the mountains last week.", "en-gb+m3");
    const voice = resample(friend.pcm, friend.rate, 16_000);
    const frame = 512;
    const stallAt = frame * 30; // about 1 s in
    const gap = 1920; // 120 ms of nothing at the page
    // what the page played: the voice with a hole in it where its buffer ran dry
    const played = new Int16Array(voice.length + gap);
    played.set(voice.subarray(0, stallAt));
    played.set(voice.subarray(stallAt), stallAt + gap);
    // the judged window straddles the hole: 160 ms before it, the hole, 160 ms after
    const from = stallAt - 2560;
    const mic = throughTheRoom(played.subarray(from, from + 2560 + gap + 2560), 16_000, 0.6, 5);
    const judge = (report: boolean): number => {
      let clock = 10_000;
      const guard = new EchoGuard({}, () => clock);
      // the room relays frame by frame, reckoning the page plays them back to back
      for (let at = 0; at < voice.length; at += frame) guard.sentStream("voice:alice", ["page-bob"], 10_000, at, voice.subarray(at, at + frame), 16_000);
      if (report) guard.shiftStream("page-bob", "voice:alice", stallAt, 120);
      clock = 10_000 + ((from + mic.length) / 16_000) * 1000 + 60;
      return guard.score("page-bob", mic);
    };
    const without = judge(false);
    const withReport = judge(true);
    // a window across the hole matches no one alignment of what was reckoned; moved by the page's report it does
    expect(withReport).toBeGreaterThanOrEqual(0.85);
    expect(withReport).toBeGreaterThan(without + 0.2);
  });

  it("still knows echo after a page was sent far more than it keeps, frame by frame", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const said = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    const ada = resample(said.pcm, said.rate, 16_000);
    // 40 s of her voice again and again, relayed in 32 ms frames: more than three times the 12 s kept
    const frame = 512;
    const total = 16_000 * 40;
    for (let at = 0; at < total; at += frame) {
      const from = at % (ada.length - frame);
      guard.sentStream("voice:ada", ["page-1"], 10_000, at, ada.subarray(from, from + frame), 16_000);
    }
    // the echo of the last 320 ms sent, heard 100 ms later
    const tail = new Int16Array(5120);
    for (let i = 0; i < 5120; i += frame) { const f = (total - 5120 + i) % (ada.length - frame); tail.set(ada.subarray(f, f + frame), i); }
    clock = 10_000 + (total / 16) + 100;
    expect(guard.score("page-1", throughTheRoom(tail, 16_000, 0.5, 3))).toBeGreaterThanOrEqual(0.7);
  });

  it("does not take audio that ends in silence for a person while a sound plays (a stall the page has not reported yet)", async () => {
    let clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello, it is good to hear from you! I am speaking through a tiny demo model.");
    guard.sent(["page-1"], clock, ada.pcm, ada.rate);
    clock += 1500;
    const person = await say("Wait, wait, Theo, what do you think?", "en-us+m2");
    const voice = throughTheRoom(person.pcm, person.rate, 0.8, 4).subarray(0, 5120);
    expect(guard.judge("page-1", voice)).toBe("speech");
    // the same, its last 120 ms gone quiet
    const holed = voice.slice();
    holed.fill(0, 5120 - 1920);
    expect(guard.judge("page-1", holed)).toBe("unsure");
  });

  it("knows nothing about a page it sent nothing to, or about silence", async () => {
    const clock = 10_000;
    const guard = new EchoGuard({}, () => clock);
    const ada = await say("Hello there.");
    guard.sent(["page-1"], clock - 800, ada.pcm, ada.rate);
    expect(guard.isEcho("page-2", throughTheRoom(ada.pcm, ada.rate, 0.3))).toBe(false);
    expect(guard.isEcho("page-1", new Int16Array(16_000 * 0.5))).toBe(false);
  });
});

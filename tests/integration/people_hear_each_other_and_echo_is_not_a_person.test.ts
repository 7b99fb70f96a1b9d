/**
 * People at one table hear each other (their speech is relayed to everyone else,
 * never back to the speaker), and a page whose microphone picks up what the
 * page is playing — a character's voice, a friend's voice — does not pause
 * anyone, is not relayed and never becomes a line.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Room } from "@colyseus/sdk";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { castDir } from "../support/cast.js";
import { resample } from "../../server/src/asr/resample.js";
import type { UttChunk, UttStart, VoiceAudio } from "../../shared/src/index.js";
import { spoken } from "../support/acousticLoop.js";

let app: Booted;
const cast = castDir([], { ada: { temperature: 0 } });
beforeAll(async () => {
  // the real offline voice: its speech has the rises and falls an echo carries
  app = await boot({ PARLEY_CHARACTERS_DIR: cast }, { asr: new FakeAsr({ script: ["Ada, what a nice day it is today, tell me more."], msPerWord: 60 }) });
});
afterAll(async () => { await app?.stop(); });

/** Streams 16 kHz PCM as a page's microphone does: 32 ms frames, in real time (from `began`, on the microphone's clock: no drift). */
async function speak(room: Room, pcm: Int16Array, began?: number): Promise<void> {
  for (let i = 0; (i + 1) * 512 <= pcm.length; i++) {
    room.sendBytes("speech:audio", new Uint8Array(pcm.slice(i * 512, (i + 1) * 512).buffer));
    await new Promise((r) => setTimeout(r, began === undefined ? 32 : Math.max(0, began + (i + 1) * 32 - performance.now())));
  }
}

/** A voice unlike any character's: a gliding, pulsing tone. */
function personVoice(seconds: number): Int16Array {
  const n = Math.floor(16_000 * seconds);
  return Int16Array.from({ length: n }, (_, i) => {
    const t = i / 16_000;
    return Math.round(9000 * Math.sin(2 * Math.PI * (180 + 60 * Math.sin(2 * Math.PI * 0.7 * t)) * t) * (0.55 + 0.45 * Math.sin(2 * Math.PI * 3.3 * t)));
  });
}

describe("people at one table", () => {
  it("hear each other's speech, and not their own", async () => {
    const sam = await app.join("Sam");
    const kim = await app.join("Kim");
    const samLog = new MessageLog(sam);
    const kimLog = new MessageLog(kim);
    sam.send("speech:start", {});
    const voice = personVoice(1.2);
    await speak(sam, voice);
    sam.send("speech:end", {});
    await kimLog.waitFor((r) => r.type === "voice:end", 5000, "Sam's voice ends at Kim's");
    const frames = kimLog.of<VoiceAudio>("voice:audio").filter((m) => m.from === sam.sessionId);
    expect(kimLog.of<{ from: string }>("voice:start")[0]?.from).toBe(sam.sessionId);
    // every frame, in order, as sent
    const heard = new Int16Array(frames.reduce((n, f) => n + f.pcm.byteLength / 2, 0));
    let at = 0;
    for (const f of frames) { heard.set(new Int16Array(f.pcm.buffer.slice(f.pcm.byteOffset, f.pcm.byteOffset + f.pcm.byteLength)), at); at += f.pcm.byteLength / 2; }
    expect(heard.length).toBe(voice.length - (voice.length % 512));
    expect(Array.from(heard.subarray(0, 2000))).toEqual(Array.from(voice.subarray(0, 2000)));
    expect(frames.map((f) => f.seq)).toEqual([...frames.map((f) => f.seq)].sort((a, b) => a - b));
    expect(samLog.of("voice:audio")).toEqual([]);
    await sam.leave();
    await kim.leave();
  });

  it("take a character's voice coming back through a microphone for echo: no pause, no line, nothing relayed", async () => {
    const sam = await app.join("Sam");
    const kim = await app.join("Kim");
    const samLog = new MessageLog(sam);
    const kimLog = new MessageLog(kim);
    sam.send("chat", { text: "Ada, tell me a story please." });
    const start = (await samLog.waitFor((r) => r.type === "utt:start" && (r.payload as UttStart).characterId === "ada", 20_000, "Ada")).payload as UttStart;
    // Kim's speakers play Ada; Kim's microphone hears it 250 ms later and the page "detects speech"
    await samLog.waitFor((r) => r.type === "utt:chunk" && (r.payload as UttChunk).seq >= 6, 20_000, "Ada a while");
    await new Promise((r) => setTimeout(r, 250));
    const chunks = kimLog.of<UttChunk>("utt:chunk").filter((c) => c.utteranceId === start.utteranceId);
    const played = new Int16Array(chunks.reduce((n, c) => n + c.pcm.byteLength / 2, 0));
    let at = 0;
    for (const c of chunks) { played.set(new Int16Array(c.pcm.buffer.slice(c.pcm.byteOffset, c.pcm.byteOffset + c.pcm.byteLength)), at); at += c.pcm.byteLength / 2; }
    const echo = resample(played, chunks[0]!.sampleRate, 16_000).map((s) => Math.round(s * 0.4));
    // what the page had just heard, from about where playback is now: its pre-roll and the rest
    const playedMs = Math.max(0, performance.now() - samLog.all.find((r) => r.type === "utt:chunk")!.at - 80);
    const from = Math.min(echo.length - 16_000, Math.max(0, Math.floor(((playedMs - 250 - 192) / 1000) * 16_000)));
    kim.send("speech:start", {});
    await speak(kim, echo.subarray(from, from + 16_000));
    kim.send("speech:end", {});
    await new Promise((r) => setTimeout(r, 400));
    expect(samLog.of("utt:pause")).toEqual([]);
    expect(samLog.of("voice:audio").filter((m) => (m as VoiceAudio).from === kim.sessionId)).toEqual([]);
    expect(view(sam).transcript.some((l) => l.speakerName === "Kim")).toBe(false);
    expect(view(sam).people[kim.sessionId]?.speaking).toBe(false);

    // Kim really speaks (another voice, over Ada): she pauses at once, and Sam hears Kim
    kim.send("speech:start", {});
    await speak(kim, personVoice(0.4));
    expect(samLog.of<{ utteranceId: string }>("utt:pause").map((p) => p.utteranceId)).toContain(start.utteranceId);
    await until(() => samLog.of<VoiceAudio>("voice:audio").some((m) => m.from === kim.sessionId), 3000, "Sam hears Kim");
    kim.send("speech:cancel", {});
  }, 60_000);

  it("take a friend's voice coming back through a microphone for echo, even when that page's playout of it stalled", async () => {
    const sam = await app.join("Sam");
    const kim = await app.join("Kim");
    const samLog = new MessageLog(sam);
    const kimLog = new MessageLog(kim);
    const said = await spoken("Hello there everyone, I was just telling Ada about my trip to the mountains last week, it was lovely.");
    const voice = resample(Int16Array.from(said.samples), said.rate, 16_000);
    const frames = Math.floor(voice.length / 512);
    // Kim's page plays Sam's frames back to back 60 ms after the first arrives, until frame 40 comes
    // late: its buffer ran dry and it goes on 150 ms later (and says so). Its microphone hears all of it
    // 100 ms after it plays, a little quieter.
    const STALL = 40;
    const GAP = 2400;
    const played = new Int16Array(frames * 512 + GAP);
    played.set(voice.subarray(0, STALL * 512));
    played.set(voice.subarray(STALL * 512, frames * 512), STALL * 512 + GAP);
    const echo = played.map((x) => Math.round(x * 0.5));
    sam.send("speech:start", {});
    const samSpeaks = speak(sam, voice, performance.now());
    const first = await kimLog.waitFor((r) => r.type === "voice:audio", 3000, "Sam's first frame at Kim's");
    const kimHears = (async () => {
      await new Promise((r) => setTimeout(r, Math.max(0, first.at + 160 - performance.now())));
      kim.send("speech:start", {});
      const began = performance.now();
      const stallAt = first.at + 60 + STALL * 32;
      let reported = false;
      for (let i = 0; (i + 1) * 512 <= echo.length; i++) {
        if (!reported && performance.now() >= stallAt) {
          const late = kimLog.of<VoiceAudio>("voice:audio").filter((m) => m.from === sam.sessionId)[STALL];
          if (late) { kim.send("playout:gap", { from: sam.sessionId, seq: late.seq, gapMs: GAP / 16 }); reported = true; }
        }
        kim.sendBytes("speech:audio", new Uint8Array(echo.slice(i * 512, (i + 1) * 512).buffer));
        await new Promise((r) => setTimeout(r, Math.max(0, began + (i + 1) * 32 - performance.now())));
      }
      kim.send("speech:end", {});
      return reported;
    })();
    await samSpeaks;
    sam.send("speech:end", {});
    expect(await kimHears).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    // Sam's voice reached Kim; nothing of Kim's microphone reached Sam, and Kim never spoke
    expect(kimLog.of<VoiceAudio>("voice:audio").filter((m) => m.from === sam.sessionId).length).toBeGreaterThan(STALL);
    expect(samLog.of<VoiceAudio>("voice:audio").filter((m) => m.from === kim.sessionId)).toEqual([]);
    expect(view(sam).transcript.some((l) => l.speakerName === "Kim")).toBe(false);
    expect(view(sam).people[kim.sessionId]?.speaking).toBe(false);
    await sam.leave();
    await kim.leave();
  }, 30_000);
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Room } from "@colyseus/sdk";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";
import { ECHO_GATE_DEFAULTS } from "../../server/src/voice/EchoGate.js";
import type { UttChunk, UttPause, UttStart, UttCancel, ErrorPayload } from "../../shared/src/index.js";

let app: Booted;
let asr: FakeAsr;
beforeAll(async () => {
  asr = new FakeAsr({ script: ["Ada, how are you today?", "mm-hm", "Wait, Theo, what do you think?"], msPerWord: 150 });
  app = await boot({}, { asr, tts: new FakeTts({ msPerChar: 45 }) });
});
afterAll(async () => { await app?.stop(); });

/** What a page sends at the onset of speech: its pre-roll (six 32 ms frames), at once. */
const PRE_ROLL_MS = 6 * 32;
function preRoll(room: Room): void {
  const frame = new Int16Array(512).fill(4000);
  for (let i = 0; i < 6; i++) room.sendBytes("speech:audio", new Uint8Array(frame.buffer.slice(0)));
}

/** Streams `ms` of loud 16 kHz PCM in 32 ms frames, in real time, like a microphone. */
async function talk(room: Room, ms: number): Promise<void> {
  const frame = new Int16Array(512).fill(4000);
  for (let t = 0; t < ms; t += 32) {
    room.sendBytes("speech:audio", new Uint8Array(frame.buffer.slice(0)));
    await new Promise((r) => setTimeout(r, 32));
  }
}

describe("voice in", () => {
  it("turns speech into a message, pauses for a backchannel, and stops the speaker on a real interruption", async () => {
    const room = await app.join("Sam");
    const log = new MessageLog(room);

    // 1. speech becomes a message: partial words show under the person's name, then Ada answers
    room.send("speech:start", {});
    await until(() => view(room).people[room.sessionId]?.speaking === true, 2000, "speaking flag");
    const partialSeen = talk(room, 1000).then(() => view(room).transcript.some((l) => l.speakerName === "Sam" && !l.done && l.text.length > 0));
    expect(await partialSeen).toBe(true);
    room.send("speech:end", {});
    const start = (await log.waitForType("utt:start", 10_000)).payload as UttStart;
    expect(start.characterId).toBe("ada");
    // no end-of-turn model here (offline): the silence decided; every stage is timed
    expect(start.latency?.turnEnd).toBe("silence");
    for (const v of Object.values(start.latency!)) if (typeof v === "number") expect(v).toBeGreaterThanOrEqual(0);
    const samLine = view(room).transcript.find((l) => l.speakerName === "Sam")!;
    expect(samLine).toMatchObject({ text: "Ada, how are you today?", done: true });
    await log.waitFor((r) => r.type === "utt:chunk" && (r.payload as UttChunk).seq === 5, 10_000, "Ada talking");
    await new Promise((r) => setTimeout(r, 400));

    // 2. a backchannel: Ada pauses as soon as the echo gate has heard a whole judged window (this
    // client plays what Ada says, so its speech could be her echo), then carries on from where she was heard
    const t0 = performance.now();
    room.send("speech:start", {});
    preRoll(room);
    const talking = talk(room, 300);
    const pause = await log.waitForType("utt:pause", 2000);
    expect(pause.at - t0).toBeLessThan(ECHO_GATE_DEFAULTS.decideAtMs - PRE_ROLL_MS + 100);
    const paused = pause.payload as UttPause;
    expect(paused.utteranceId).toBe(start.utteranceId);
    await talking;
    room.send("speech:end", {});
    const resumed = await log.waitFor((r) => r.type === "utt:chunk" && r.at > pause.at && (r.payload as UttChunk).utteranceId === start.utteranceId, 5000, "resumed chunk");
    expect((resumed.payload as UttChunk).startSample).toBe(paused.atSample);
    await until(() => !view(room).transcript.some((l) => l.text === "mm-hm"), 2000, "the backchannel leaves no line");

    // 3. a real interruption: long speech cuts Ada off for good, and the words are answered
    await new Promise((r) => setTimeout(r, 300));
    room.send("speech:start", {});
    await talk(room, 900);
    const cancel = (await log.waitForType("utt:cancel", 3000)).payload as UttCancel;
    expect(cancel).toEqual({ utteranceId: start.utteranceId, reason: "person" });
    room.send("speech:end", {});
    const next = await log.waitFor((r) => r.type === "utt:start" && (r.payload as UttStart).utteranceId !== start.utteranceId, 10_000, "next answer");
    expect((next.payload as UttStart).characterId).toBe("theo");
    const ada = view(room).transcript.find((l) => l.speakerName === "Ada")!;
    expect(ada.interrupted).toBe(true);
    expect(ada.heardText.length).toBeLessThan(ada.text.length);
    // the recognizer got the person's audio: 1 s, 0.3 s and 0.9 s
    expect(asr.streams).toHaveLength(3);
  });

  it("refuses audio without speaking rights and malformed frames, without disturbing anyone", async () => {
    const eve = await app.join("Eve");
    const log = new MessageLog(eve);
    eve.sendBytes("speech:audio", new Uint8Array(1024));
    eve.send("speech:start", { loud: true });
    eve.send("speech:start", {});
    eve.sendBytes("speech:audio", new Uint8Array(3));
    await until(() => log.of("error").length >= 3, 3000, "errors");
    expect(log.of<ErrorPayload>("error").map((e) => e.code)).toEqual(["no_speaking_rights", "bad_message", "bad_message"]);
    eve.send("speech:cancel", {});
  });
});

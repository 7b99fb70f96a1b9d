import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import type { UttStart, UttChunk, UttEnd, UttCancel, CharacterState } from "../../shared/src/index.js";

let app: Booted;
beforeAll(async () => { app = await boot(); });
afterAll(async () => { await app?.stop(); });

describe("a room with the demo model and the offline voice", () => {
  it("answers 'Hello, Ada!' with Ada's voice: start, chunks carrying cues, end", { timeout: 60_000 }, async () => {
    const room = await app.join("Sam");
    const other = await app.join("Kim");
    const log = new MessageLog(room);
    const otherLog = new MessageLog(other);
    const states: CharacterState[] = [];
    room.onStateChange(() => {
      const s = view(room).characters.ada?.state;
      if (s && states.at(-1) !== s) states.push(s);
    });
    room.send("chat", { text: "Hello, Ada!" });
    const end = await log.waitForType("utt:end", 30_000);

    const types = log.all.map((r) => r.type).filter((t) => t.startsWith("utt:"));
    expect(types[0]).toBe("utt:start");
    expect(types.at(-1)).toBe("utt:end");
    expect(types.slice(1, -1).every((t) => t === "utt:chunk")).toBe(true);

    const start = log.of<UttStart>("utt:start")[0]!;
    expect(start).toMatchObject({ characterId: "ada", sampleRate: 22050, addressee: room.sessionId });
    // a reply to a person tells how long its stages took, from the typed message's arrival
    expect(start.latency).toMatchObject({ turnEnd: "typed", endOfTurnMs: 0, recognitionMs: 0 });
    expect(start.latency!.firstTokenMs + start.latency!.firstClauseMs + start.latency!.firstAudioMs).toBeGreaterThan(0);
    const chunks = log.of<UttChunk>("utt:chunk");
    expect(chunks.length).toBeGreaterThan(5);
    let expectedStart = 0;
    chunks.forEach((c, i) => {
      expect(c.utteranceId).toBe(start.utteranceId);
      expect(c.seq).toBe(i);
      expect(c.sampleRate).toBe(22050);
      expect(c.pcm).toBeInstanceOf(Uint8Array);
      expect(c.pcm.byteLength % 2).toBe(0);
      // chunks are 100-250 ms of audio
      expect(c.pcm.byteLength / 2 / 22050).toBeLessThanOrEqual(0.25);
      expect(c.startSample).toBe(expectedStart);
      expectedStart += c.pcm.byteLength / 2;
      expect(c.cues.length).toBeGreaterThan(0);
      for (const cue of c.cues) {
        expect(cue.t).toBeGreaterThanOrEqual(0);
        expect(cue.t).toBeLessThan(c.pcm.byteLength / 2);
        for (const w of Object.values(cue.w)) { expect(w).toBeGreaterThanOrEqual(0); expect(w).toBeLessThanOrEqual(1); }
      }
    });
    // the mouth really moves: open shapes occur, and the utterance ends closed
    expect(chunks.flatMap((c) => c.cues).some((cue) => Object.values(cue.w).some((w) => w >= 0.8))).toBe(true);
    expect(chunks.at(-1)!.cues.at(-1)!.w).toEqual({});
    // every demo reply opens with an emotion tag, delivered with the first audio
    expect(chunks[0]!.emotions[0]?.emotion).toMatch(/happy|surprised|relaxed|neutral/);
    expect(chunks[0]!.text).toBeTruthy();

    const endMsg = end.payload as UttEnd;
    expect(endMsg.totalSamples).toBe(expectedStart);
    await until(() => view(room).characters.ada?.state === "idle", 10_000, "Ada idle");
    const lines = view(room).transcript;
    expect(lines.map((l) => [l.kind, l.speakerName])).toEqual([["person", "Sam"], ["character", "Ada"]]);
    expect(lines[1]!.text).toBe(endMsg.text);
    expect(lines[1]!.done).toBe(true);
    expect(states).toEqual(expect.arrayContaining(["thinking", "speaking", "idle"]));
    expect(states.indexOf("thinking")).toBeLessThan(states.indexOf("speaking"));

    // everyone at the table hears the same utterance
    await otherLog.waitForType("utt:end");
    expect(otherLog.of<UttChunk>("utt:chunk").length).toBe(chunks.length);
  });

  it("lets the room's policy pick who answers a message naming nobody", { timeout: 60_000 }, async () => {
    const room = await app.join("Lee");
    const log = new MessageLog(room);
    // "list" goes round the table: Ada spoke last, so Theo is next
    room.send("settings", { policy: "list" });
    await until(() => view(room).settings.policy === "list", 5000, "policy set");
    room.send("chat", { text: "Good evening." });
    const start = (await log.waitForType("utt:start")).payload as UttStart;
    expect(start.characterId).toBe(view(room).characters.juno!.seat < view(room).characters.theo!.seat ? "juno" : "theo");
    await log.waitForType("utt:end", 30_000);
    await until(() => view(room).characters[start.characterId]?.state === "idle", 15_000, "answer done");
  });

  it("stops the speaker when a person cuts in, keeping only what was heard", async () => {
    const room = await app.join("Max");
    const log = new MessageLog(room);
    room.send("chat", { text: "Theo, tell me something." });
    const first = (await log.waitFor((r) => r.type === "utt:chunk" && (r.payload as UttChunk).seq === 8, 20_000)).payload as UttChunk;
    room.send("chat", { text: "Ada, what do you think?" });
    const cancel = (await log.waitForType("utt:cancel")).payload as UttCancel;
    expect(cancel).toMatchObject({ utteranceId: first.utteranceId, reason: "person" });
    // no chunk of the cut-off utterance after its cancel
    const cancelAt = log.all.findIndex((r) => r.type === "utt:cancel");
    expect(log.of<UttEnd>("utt:end").some((e) => e.utteranceId === first.utteranceId)).toBe(false);
    expect(log.all.slice(cancelAt).some((r) => r.type === "utt:chunk" && (r.payload as UttChunk).utteranceId === first.utteranceId)).toBe(false);
    const next = (await log.waitFor((r) => r.type === "utt:start" && (r.payload as UttStart).utteranceId !== first.utteranceId)).payload as UttStart;
    expect(next.characterId).toBe("ada");
    await until(() => view(room).transcript.some((l) => l.speakerName === "Theo" && l.interrupted), 5000, "interrupted line");
    const theo = view(room).transcript.find((l) => l.speakerName === "Theo" && l.interrupted)!;
    expect(theo.heardText.length).toBeGreaterThan(0);
    expect(theo.heardText.length).toBeLessThan(theo.text.length);
    // Ada is answering; a stop ends her too, and the room falls quiet
    room.send("stop");
    await log.waitFor((r) => (r.type === "utt:end" || r.type === "utt:cancel") && (r.payload as UttEnd).utteranceId === next.utteranceId, 10_000, "Ada stopped");
    await until(() => Object.values(view(room).characters).every((c) => c.state === "idle"), 5000, "quiet table");
  }, 60_000);
});

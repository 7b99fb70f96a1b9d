import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { WebSocket } from "ws";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import type { ErrorPayload, UttStart } from "../../shared/src/index.js";
import { FakeLlm } from "../../server/src/testing/FakeLlm.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";
import { LlmHost } from "../../server/src/llm/LlmHost.js";
import { testConfig } from "../support/boot.js";

let app: Booted;
beforeAll(async () => {
  // a quick fake brain and voice: this test is about the room's boundary
  const llm = LlmHost.withProvider(testConfig(), new FakeLlm(() => "[happy] Hi there.", 1));
  app = await boot({}, { llm, tts: new FakeTts({ msPerChar: 5 }) });
});
afterAll(async () => { await app?.stop(); });

describe("bad input from a client", () => {
  it("is answered with a clear error to the sender only, and the room goes on", async () => {
    const bad = await app.join("Mallory");
    const good = await app.join("Alice");
    const badLog = new MessageLog(bad);
    const goodLog = new MessageLog(good);

    const cases: [string, unknown, string][] = [
      ["chat", { text: 42 }, "bad_message"],
      ["chat", {}, "bad_message"],
      ["chat", "just a string", "bad_message"],
      ["chat", { text: "   " }, "bad_message"],
      ["nominate", { characterId: "ada", admin: true }, "bad_message"],
      ["chat", { text: "x".repeat(2001) }, "too_long"],
      ["setName", { name: "y".repeat(500) }, "too_long"],
      ["playback", { utteranceId: "u", playedSamples: -5 }, "bad_message"],
      ["hack", { please: 1 }, "unknown_message"],
    ];
    for (const [type, payload] of cases) bad.send(type, payload);
    await until(() => badLog.of("error").length === cases.length, 5000, "an error per bad message");
    const errors = badLog.of<ErrorPayload>("error");
    expect(errors.map((e) => e.code)).toEqual(cases.map((c) => c[2]));
    for (const e of errors) expect(e.message.length).toBeGreaterThan(5);
    expect(errors[5]!.message).toMatch(/2000/);

    // nobody else saw any of it, and nothing entered the transcript
    expect(goodLog.of("error")).toHaveLength(0);
    expect(view(good).transcript).toHaveLength(0);
    expect(view(good).people[bad.sessionId]?.name).toBe("Mallory");

    // the room still works for everyone, including the sender
    good.send("chat", { text: "Hello, Ada!" });
    await goodLog.waitForType("utt:end");
    expect((goodLog.of<UttStart>("utt:start")[0])!.characterId).toBe("ada");
  });

  it("limits how fast one client may chat, politely", async () => {
    const spammer = await app.join("Spam");
    const log = new MessageLog(spammer);
    for (let i = 0; i < 8; i++) spammer.send("chat", { text: `msg ${i}` });
    await until(() => view(spammer).transcript.filter((l) => l.speakerName === "Spam").length === 5, 5000, "5 accepted lines");
    // one polite answer, not one per dropped message
    await until(() => log.of<ErrorPayload>("error").some((e) => e.code === "too_fast"), 5000, "too_fast error");
    await new Promise((r) => setTimeout(r, 200));
    expect(log.of<ErrorPayload>("error").filter((e) => e.code === "too_fast")).toHaveLength(1);
    expect(log.of<ErrorPayload>("error").find((e) => e.code === "too_fast")!.message).toMatch(/at most 5/);
    await new Promise((r) => setTimeout(r, 300));
    expect(view(spammer).transcript.filter((l) => l.speakerName === "Spam")).toHaveLength(5);
  });

  it("keeps hostile text as inert text", async () => {
    const room = await app.join("Eve");
    const text = `<img src=x onerror="alert(1)"> [happy] \u0007bell\u202Eevil`;
    room.send("chat", { text });
    await until(() => view(room).transcript.some((l) => l.speakerName === "Eve"), 5000, "Eve's line");
    const line = view(room).transcript.find((l) => l.speakerName === "Eve")!;
    // stored exactly as typed minus control characters; the client renders it as text
    expect(line.text).toBe(`<img src=x onerror="alert(1)"> [happy] bellevil`);
  });

  it("answers an oversized message with an error and keeps the connection; only a huge frame closes it", async () => {
    const watcher = await app.join("Watcher");
    const log = new MessageLog(watcher);
    const big = await app.join("Big");
    const bigLog = new MessageLog(big);
    big.send("chat", { text: "x".repeat(100 * 1024) });
    const err = (await bigLog.waitForType("error")).payload as ErrorPayload;
    expect(err.code).toBe("too_long");
    expect(err.message).toMatch(/bytes/);
    big.send("setName", { name: "Still here" });
    await until(() => view(watcher).people[big.sessionId]?.name === "Still here", 3000, "the sender is still connected");
    // past the transport's limit the socket closes with "message too big" (1009)
    const ws = new WebSocket(`ws://127.0.0.1:${app.parley.port}/`);
    await new Promise<void>((resolve) => { ws.on("open", () => resolve()); ws.on("error", () => resolve()); });
    const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.alloc(2 * 1024 * 1024, 1));
    expect(await closed).toBeGreaterThan(0);
    watcher.send("chat", { text: "Still there, Theo?" });
    const start = (await log.waitForType("utt:start")).payload as UttStart;
    expect(start.characterId).toBe("theo");
  });
});

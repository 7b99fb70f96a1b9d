import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, testConfig, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeLlm } from "../../server/src/testing/FakeLlm.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";
import { LlmHost } from "../../server/src/llm/LlmHost.js";
import type { UttCancel, UttStart, ErrorPayload } from "../../shared/src/index.js";

let app: Booted;
beforeAll(async () => {
  const llm = LlmHost.withProvider(testConfig(), new FakeLlm(() => "[happy] This is a long answer. It goes on and on. And on, for a good while longer.", 1));
  app = await boot({}, { llm, tts: new FakeTts({ msPerChar: 40 }) });
});
afterAll(async () => { await app?.stop(); });

describe("stop", () => {
  it("cuts the speaker off at once for everyone, keeping what was heard", async () => {
    const a = await app.join("Sam");
    const b = await app.join("Kim");
    const logA = new MessageLog(a);
    const logB = new MessageLog(b);
    a.send("chat", { text: "Ada, talk to me." });
    const start = (await logA.waitForType("utt:start")).payload as UttStart;
    // let a few chunks play, so some words have been heard
    await logA.waitFor((r) => r.type === "utt:chunk" && (r.payload as { seq: number }).seq === 6, 10_000, "seventh chunk");
    await new Promise((r) => setTimeout(r, 700));
    const t0 = performance.now();
    b.send("stop");
    const cancel = await logA.waitForType("utt:cancel", 2000);
    expect(cancel.at - t0).toBeLessThan(300);
    expect(cancel.payload as UttCancel).toEqual({ utteranceId: start.utteranceId, reason: "person" });
    await logB.waitForType("utt:cancel");
    await until(() => view(a).transcript.some((l) => l.speakerName === "Ada" && l.interrupted), 3000, "interrupted line");
    const line = view(a).transcript.find((l) => l.speakerName === "Ada")!;
    expect(line.heardText.length).toBeGreaterThan(0);
    expect(line.heardText.length).toBeLessThan(line.text.length);
    await until(() => view(a).characters.ada?.state === "idle", 3000, "idle");
  });

  it("rejects a stop with a payload", async () => {
    const c = await app.join("Eve");
    const log = new MessageLog(c);
    c.send("stop", { everyone: true });
    expect(((await log.waitForType("error")).payload as ErrorPayload).code).toBe("bad_message");
  });
});

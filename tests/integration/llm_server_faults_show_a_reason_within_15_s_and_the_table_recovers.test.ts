/**
 * An OpenAI-compatible server misbehaving in every way we know: each time the
 * table shows a reason within 15 s (default settings), and the next message is
 * answered once the server is well again.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Room } from "@colyseus/sdk";
import { boot, type Booted } from "../support/boot.js";
import { until, view } from "../support/messages.js";
import { startFakeOpenAIServer, type FakeBehaviour, type FakeOpenAIServer } from "../../server/src/testing/fakeOpenAIServer.js";

let fake: FakeOpenAIServer;
let app: Booted;
let room: Room;
let port = 0;
beforeAll(async () => {
  fake = await startFakeOpenAIServer(["m"]);
  port = Number(new URL(fake.baseUrl).port);
  app = await boot({ PARLEY_DEMO: "0", PARLEY_LLM_URL: fake.baseUrl, PARLEY_LLM_MODEL: "m" });
});
afterAll(async () => { await app?.stop(); await fake?.close(); });

let asked = 0;
/** Asks Ada something; resolves with her line once it is done, and how long that took. */
async function ask(): Promise<{ error: string; text: string; ms: number }> {
  const t0 = performance.now();
  const before = view(room).transcript.filter((l) => l.speakerName === "Ada").length;
  room.send("chat", { text: `Ada, question ${++asked}?` });
  await until(() => view(room).transcript.filter((l) => l.speakerName === "Ada" && l.done).length > before, 20_000, "Ada's line");
  const line = view(room).transcript.filter((l) => l.speakerName === "Ada").at(-1)!;
  await until(() => view(room).characters.ada?.state === "idle", 10_000, "Ada idle");
  return { error: line.error, text: line.text, ms: performance.now() - t0 };
}

async function recovers(): Promise<void> {
  fake.next({ kind: "stream", deltas: ["[happy] I am", " back."] });
  const ok = await ask();
  expect(ok).toMatchObject({ error: "", text: "I am back." });
}

const FAULTS: [string, FakeBehaviour, RegExp][] = [
  ["dies mid-stream", { kind: "dropMidStream", deltas: ["[neutral] Well,", " let me"] }, /closed the stream|terminated|failed/i],
  ["answers 500", { kind: "status", status: 500, body: '{"error":{"message":"out of memory"}}' }, /500.*out of memory/],
  ["sends garbage", { kind: "garbage" }, /malformed/],
  ["hangs without a byte", { kind: "hang" }, /no reply text .* for 12 s/],
  ["sends only keep-alive comments", { kind: "keepAlive", everyMs: 200 }, /no reply text .* for 12 s/],
];

describe("an OpenAI-compatible server that misbehaves", () => {
  for (const [what, behaviour, reason] of FAULTS) {
    it(`${what}: a reason shows within 15 s, then it answers again`, async () => {
      // a person of their own each time: one person may only send five messages in ten seconds
      room = await app.join(`Sam ${what}`);
      fake.next(behaviour);
      const failed = await ask();
      expect(failed.error).toMatch(reason);
      expect(failed.ms).toBeLessThan(15_000);
      await recovers();
    }, 60_000);
  }

  it("is down (connection refused): a reason within 15 s, and answers once it is back", async () => {
    room = await app.join("Kim");
    await fake.close();
    const failed = await ask();
    expect(failed.error).toMatch(/request to .* failed|fetch failed|ECONNREFUSED/i);
    expect(failed.ms).toBeLessThan(15_000);
    fake = await startFakeOpenAIServer(["m"], port);
    await recovers();
  }, 60_000);

  it("never speaks a non-text content delta", async () => {
    room = await app.join("Lee");
    fake.next({ kind: "oddContent", text: "[happy] Only this." });
    const said = await ask();
    expect(said.text).toBe("Only this.");
    expect(said.text).not.toMatch(/object|42/);
  });
});

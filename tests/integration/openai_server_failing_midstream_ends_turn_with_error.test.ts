import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../../server/src/testing/fakeOpenAIServer.js";
import type { UttCancel, UttEnd, UttStart } from "../../shared/src/index.js";

let fake: FakeOpenAIServer;
let app: Booted;
beforeAll(async () => {
  fake = await startFakeOpenAIServer(["local-model"]);
  app = await boot({ PARLEY_DEMO: "0", PARLEY_LLM_URL: fake.baseUrl, PARLEY_LLM_MODEL: "local-model" });
});
afterAll(async () => { await app?.stop(); await fake?.close(); });

describe("an OpenAI-compatible server behind the room", () => {
  it("is probed at start and shown as ready", async () => {
    const room = await app.join("Pat");
    expect(view(room).llm).toMatchObject({ ready: true, provider: "openai-compatible", model: "local-model", error: "" });
  });

  it("streams a reply into speech", async () => {
    const room = await app.join("Sam");
    const log = new MessageLog(room);
    fake.next({ kind: "stream", deltas: ["[happy] Hello", " Sam,", " nice to", " meet you."], delayMs: 5 });
    room.send("chat", { text: "Hi Juno" });
    const end = (await log.waitForType("utt:end", 20_000)).payload as UttEnd;
    expect(end.text).toBe("Hello Sam, nice to meet you.");
    const body = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(body.messages[0]!.role).toBe("system");
    expect(body.messages[0]!.content).toMatch(/You are Juno/);
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "Sam (to you): Hi Juno" });
    await until(() => view(room).characters.juno?.state === "idle", 10_000, "Juno idle");
  });

  it("ends the turn with a visible error when the server fails mid-stream, and the room lives", async () => {
    const room = await app.join("Ana");
    const log = new MessageLog(room);
    fake.next({ kind: "dropMidStream", deltas: ["[neutral] Let me think about", " that. Well, the"], delayMs: 5 });
    room.send("chat", { text: "Theo, what is time?" });
    const start = (await log.waitForType("utt:start")).payload as UttStart;
    const cancel = (await log.waitForType("utt:cancel", 20_000)).payload as UttCancel;
    expect(cancel).toEqual({ utteranceId: start.utteranceId, reason: "error" });
    await until(() => view(room).transcript.some((l) => l.speakerName === "Theo" && l.error !== ""), 5000, "error line");
    const line = view(room).transcript.find((l) => l.speakerName === "Theo" && l.error)!;
    expect(line.error).toMatch(/closed the stream|failed|terminated/i);
    expect(line.text).toBe("Let me think about that. Well, the");
    expect(line.done).toBe(true);
    await until(() => view(room).characters.theo?.state === "idle", 5000, "Theo idle");

    // and the next message is answered normally
    fake.next({ kind: "stream", deltas: ["[relaxed] Time is", " a river."] });
    room.send("chat", { text: "Theo, try again?" });
    const end = await log.waitFor((r) => r.type === "utt:end" && (r.payload as UttEnd).text === "Time is a river.", 20_000, "second answer");
    expect(end).toBeTruthy();
  });

  it("shows the server's own error when it refuses the request", async () => {
    const room = await app.join("Bo");
    fake.next({ kind: "status", status: 500, body: '{"error":{"message":"out of memory"}}' });
    room.send("chat", { text: "Ada?" });
    await until(() => view(room).transcript.some((l) => l.speakerName === "Ada" && l.error.includes("out of memory")), 10_000, "500 error shown");
  });
});

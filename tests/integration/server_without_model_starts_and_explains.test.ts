import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, type Booted } from "../support/boot.js";
import { until, view } from "../support/messages.js";

let app: Booted;
beforeAll(async () => {
  // offline and nothing configured: no model can be had
  app = await boot({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "1" });
});
afterAll(async () => { await app?.stop(); });

describe("a server with no model", () => {
  it("still starts, and says how to get a model", async () => {
    const room = await app.join();
    const llm = view(room).llm;
    expect(llm.ready).toBe(false);
    expect(llm.error).toMatch(/offline/);
    expect(llm.error).toMatch(/PARLEY_MODEL/);
    expect(llm.error).toMatch(/PARLEY_LLM_URL/);
    expect(llm.error).toMatch(/npm run demo/);
    // which model this machine would get, why, and how to choose another
    expect(llm.choice).toMatch(/^Qwen2\.5 [\d.]+B Instruct \(Q4_K_M\) on the (CPU|GPU): .*KV cache|no GPU/);
    expect(llm.choice).toMatch(/--model/);
    const status = await (await fetch(`${app.parley.url}/api/status`)).json() as { llm: { ready: boolean; choice: string } };
    expect(status.llm.ready).toBe(false);
    expect(status.llm.choice).toBe(llm.choice);
  });

  it("answers a message with a visible reason instead of crashing", async () => {
    const room = await app.join("Sam");
    room.send("chat", { text: "Hello, Ada!" });
    await until(() => view(room).transcript.some((l) => l.speakerName === "Ada" && l.done && l.error !== ""), 10_000, "error line");
    const line = view(room).transcript.find((l) => l.speakerName === "Ada")!;
    expect(line.error).toMatch(/PARLEY_MODEL/);
    await until(() => view(room).characters.ada?.state === "idle", 5000, "idle");
  });
});

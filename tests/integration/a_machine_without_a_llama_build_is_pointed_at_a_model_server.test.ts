/**
 * On a machine where no build of node-llama-cpp loads (here: it is told to find
 * none), the table does not fail obscurely: the terminal and the page say the
 * local model cannot run here and name the OpenAI-compatible way.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, testConfig, type Booted } from "../support/boot.js";
import { until, view } from "../support/messages.js";
import { LlmHost } from "../../server/src/llm/LlmHost.js";

let app: Booted;
const printed: string[] = [];
beforeAll(async () => {
  const error = console.error;
  console.error = (...args: unknown[]) => { printed.push(args.join(" ")); };
  try {
    // the demo model is a real GGUF: only the missing runtime stops it
    app = await boot({}, { llm: new LlmHost(testConfig(), { usePrebuiltBinaries: false }) });
  } finally {
    console.error = error;
  }
});
afterAll(async () => { await app?.stop(); });

describe("a machine without a working llama build", () => {
  it("says so in the terminal, pointing at Ollama and LM Studio", () => {
    const line = printed.find((l) => l.includes("LLM:"));
    expect(line).toMatch(/the local model cannot run here/);
    expect(line).toMatch(new RegExp(`${process.platform}-${process.arch}`));
    expect(line).toMatch(/Ollama/);
    expect(line).toMatch(/LM Studio/);
    expect(line).toMatch(/--llm-url http:\/\/127\.0\.0\.1:11434\/v1/);
    expect(line).not.toMatch(/NoBinaryFoundError/);
  });

  it("shows the page the same reason, and a message gets it instead of a crash", async () => {
    const room = await app.join();
    const llm = view(room).llm;
    expect(llm.ready).toBe(false);
    expect(llm.error).toMatch(/cannot run here.*Ollama.*LM Studio/s);
    room.send("chat", { text: "Hello, Ada!" });
    await until(() => view(room).transcript.some((l) => l.speakerName === "Ada" && l.done && l.error !== ""), 10_000, "error line");
    expect(view(room).transcript.find((l) => l.speakerName === "Ada")!.error).toMatch(/Ollama/);
  });
});

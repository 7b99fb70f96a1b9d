import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import { boot, testConfig, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeLlm } from "../../server/src/testing/FakeLlm.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";
import { LlmHost } from "../../server/src/llm/LlmHost.js";
import type { LlmRequest } from "../../server/src/llm/types.js";
import type { ForgottenPayload, MemoryPayload } from "../../shared/src/index.js";

const dataDir = mkdtempSync(join(tmpdir(), "parley-memory-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function brain(): FakeLlm {
  return new FakeLlm((req: LlmRequest) => {
    if (req.key === "__memory") return "FACT Sam: plays the cello in an orchestra\nFACT Sam: is learning Russian\nSUMMARY: Sam told us about music and languages.";
    return "[happy] Nice to hear that.";
  }, 1);
}

async function start(llm: FakeLlm): Promise<Booted> {
  return boot({ PARLEY_DATA_DIR: dataDir, PARLEY_MEMORY_QUIET_MS: "400" }, { llm: LlmHost.withProvider(testConfig(), llm), tts: new FakeTts({ msPerChar: 2 }) });
}

async function joinAs(app: Booted, name: string, personId: string): Promise<Room> {
  const room = await new Client(`ws://127.0.0.1:${app.parley.port}`).joinOrCreate("parley", { name, personId });
  room.onMessage("*", () => {});
  if (!(room.state as { characters?: unknown }).characters) await new Promise<void>((r) => room.onStateChange.once(() => r()));
  return room;
}

describe("long-term memory", () => {
  it("is written when the conversation goes quiet, shown only to that person, used in prompts, and survives a restart", async () => {
    const llm1 = brain();
    let app = await start(llm1);
    let sam = await joinAs(app, "Sam", "sam-browser-0001");
    const log = new MessageLog(sam);
    sam.send("chat", { text: "Ada, I play the cello in an orchestra and I'm learning Russian." });
    await log.waitForType("utt:end");
    // quiet for a while: Ada writes her memories through the LLM
    await until(() => llm1.requests.some((r) => r.key === "__memory"), 5000, "memory written");
    await until(async () => (await app.parley.store.facts("ada", "sam-browser-0001")).length === 2, 5000, "facts stored");

    sam.send("memory:get", { characterId: "ada" });
    const mem = (await log.waitForType("memory")).payload as MemoryPayload;
    expect(mem.facts.map((f) => f.text)).toEqual(["plays the cello in an orchestra", "is learning Russian"]);
    expect(mem.summaries[0]?.text).toMatch(/music/);

    // another person sees nothing of Sam's
    const kim = await joinAs(app, "Kim", "kim-browser-0002");
    const kimLog = new MessageLog(kim);
    kim.send("memory:get", { characterId: "ada" });
    expect(((await kimLog.waitForType("memory")).payload as MemoryPayload).facts).toEqual([]);
    await kim.leave();
    await sam.leave();
    await app.stop();

    // a new server on the same data: the transcript and the memories are back
    const llm2 = brain();
    app = await start(llm2);
    sam = await joinAs(app, "Sam", "sam-browser-0001");
    expect(view(sam).transcript.map((l) => l.speakerName)).toEqual(["Sam", "Ada"]);
    const log2 = new MessageLog(sam);
    sam.send("chat", { text: "Ada, remember me?" });
    await log2.waitForType("utt:end");
    const system = llm2.requests.find((r) => r.key === "main/ada")!.messages[0]!.content;
    expect(system).toContain("About Sam: plays the cello in an orchestra; is learning Russian");
    expect(system).toContain("Earlier: Sam told us about music and languages.");

    // and Sam can make Ada forget
    const factId = (await app.parley.store.facts("ada", "sam-browser-0001"))[0]!.id;
    sam.send("memory:forget", { characterId: "ada", factId });
    await until(async () => (await app.parley.store.facts("ada", "sam-browser-0001")).length === 1, 3000, "one forgotten");
    sam.send("memory:forget", { characterId: "ada" });
    await until(async () => (await app.parley.store.facts("ada", "sam-browser-0001")).length === 0, 3000, "all forgotten");
    const md = await (await fetch(`${app.parley.url}/api/transcript.md`)).text();
    expect(md).toContain("**Sam**");
    expect(md).toContain("remember me?");
    await sam.leave();
    await app.stop();
  });

  it("forgets a person everywhere when they ask: their lines, their name, facts and summaries", async () => {
    const llm = new FakeLlm((req: LlmRequest) => req.key === "__memory"
      ? "FACT Zoe: keeps bees on her roof\nSUMMARY: Zoe talked about her bees."
      : "[happy] Bees on a roof, Zoe? Wonderful.", 1);
    const app = await start(llm);
    const zoe = await joinAs(app, "Zoe", "zoe-browser-0003");
    const log = new MessageLog(zoe);
    zoe.send("chat", { text: "Ada, I keep bees on my roof." });
    await log.waitForType("utt:end");
    await until(async () => (await app.parley.store.facts("ada", "zoe-browser-0003")).length === 1, 5000, "fact stored");
    await until(async () => (await app.parley.store.summaries("ada", 10, "zoe-browser-0003")).length === 1, 5000, "summary stored");
    zoe.send("memory:forgetMe");
    const report = (await log.waitForType("memory:forgotten")).payload as ForgottenPayload;
    expect(report).toMatchObject({ lines: 1, facts: 1, summaries: 1 });
    expect(report.redacted).toBeGreaterThanOrEqual(1);
    expect(await app.parley.store.facts("ada", "zoe-browser-0003")).toEqual([]);
    expect(await app.parley.store.summaries("ada", 10, "zoe-browser-0003")).toEqual([]);
    const all = (await app.parley.store.allLines("main")).map((l) => l.text).join("\n");
    expect(all).not.toMatch(/bees on my roof/);
    expect(all).not.toMatch(/Zoe/);
    // the live table forgot too, and so does the export
    await until(() => !view(zoe).transcript.some((l) => l.speakerName === "Zoe" || l.text.includes("Zoe")), 3000, "live transcript");
    const md = await (await fetch(`${app.parley.url}/api/transcript.md`)).text();
    expect(md).not.toMatch(/Zoe|bees on my roof/);
    await zoe.leave();
    await app.stop();
  });
});

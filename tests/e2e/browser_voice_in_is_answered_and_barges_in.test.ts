import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { writeFakeMic, type MicFile } from "../support/fakeMic.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { waitForDebug } from "../support/pageDebug.js";
import { castDir } from "../support/cast.js";

const dir = mkdtempSync(join(tmpdir(), "parley-mic-"));
// Ada's demo answer is then always her longest (~10 s): the second phrase lands inside it
const cast = castDir([], { ada: { temperature: 0 } });
let app: Booted;
let browser: Browser;
let page: Page;
let mic: MicFile;
let asr: FakeAsr;


beforeAll(async () => {
  ensureClientBuilt();
  // the person says hello to Ada, stays quiet while she answers, then cuts in. Chromium
  // loops the file from the moment the page opens the microphone, and the page's
  // detector may load after the first phrase has passed (a busy machine): so both
  // phrases sit 4.5 s after the other, and whichever the page hears first, the next
  // lands inside the ~8 s answer to it (the recognizer's script says what each means)
  mic = await writeFakeMic(join(dir, "mic.wav"), { parts: [{ silenceS: 1, text: "Hello Ada, how are you today?" }, { silenceS: 4.5, text: "Wait, wait, Theo, what do you think?" }], tailS: 3.5 });
  asr = new FakeAsr({ script: ["Hello Ada, how are you today?", "Wait, wait, Theo, what do you think?"], msPerWord: 120 });
  app = await boot({ PARLEY_CHARACTERS_DIR: cast }, { asr });
  browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${mic.path}`]);
  page = await browser.newPage({ viewport: { width: 960, height: 600 } });
  await page.goto(app.parley.url);
  await waitForDebug(page, (v) => v.connected && v.llm.ready, 20_000, "room");
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(cast, { recursive: true, force: true });
});

describe("voice in, in Chromium with a fake microphone", () => {
  it("hears the person, gets an answer, and stops the answer when the person cuts in", async () => {
    await page.getByRole("button", { name: "Mic off" }).click();
    await waitForDebug(page, (v) => v.voice.mic === "on", 15_000, "microphone on");
    // the first phrase reaches the server and Ada answers it
    const speaking = await waitForDebug(page, (v) => v.characters.ada?.state === "speaking" && v.audio.playing.includes("ada"), 30_000, "Ada answering");
    expect(asr.streams.length).toBeGreaterThanOrEqual(1);
    expect(speaking.transcript.some((l) => l.text === "Hello Ada, how are you today?")).toBe(true);
    expect(speaking.voice.framesSent).toBeGreaterThan(20);
    // no end-of-turn model here: the page waits the full silence and says how long it heard silence
    expect(speaking.voice.silenceMs).toBe(500);
    expect(speaking.voice.endSilences[0]).toBeGreaterThanOrEqual(480);
    // the reply's stages, from the end of speech to its first sound here, in the panel and parleyDebug
    const timed = await waitForDebug(page, (v) => v.latency.last?.characterId === "ada", 10_000, "Ada's reply timed");
    const l = timed.latency.last!;
    expect(l.turnEnd).toBe("silence");
    expect(l.endOfTurnMs).toBeGreaterThanOrEqual(400);
    expect(l.totalMs).toBeCloseTo(l.endOfTurnMs + l.recognitionMs + l.firstTokenMs + l.firstClauseMs + l.firstAudioMs + l.deliveryMs! + l.playingMs, 0);
    // they run from where this page dated the speech's last sound to the first sample playing here: the
    // server's stages are placed on the page's clock by its reckoning of the server's, so they cover the whole
    expect(l.clock).not.toBeNull();
    expect(Math.min(...timed.voice.speechEnds.map((e) => Math.abs(e.soundAt - l.startedAt!)))).toBeLessThan(1);
    expect(Math.abs(l.at - l.startedAt! - l.totalMs)).toBeLessThan(1);
    expect(l.deliveryMs!).toBeGreaterThanOrEqual(-l.clock!.rttMs / 2);
    await expect(page.getByText(/^Last reply: [\d,]+ ms$/).isVisible()).resolves.toBe(true);
    // the second phrase, during her answer, stops her and Theo answers it
    const cut = await waitForDebug(page, (v) => v.transcript.some((l) => l.speaker === "Ada" && l.interrupted === true), 30_000, "Ada cut off");
    const adaLine = cut.transcript.find((l) => l.speaker === "Ada")!;
    expect(adaLine.heardText!.length).toBeLessThan(adaLine.text.length);
    // her voice stopped at this page (if it was between two sentences, there was nothing to stop)
    expect(cut.audio.playing).not.toContain("ada");
    expect(cut.audio.stops.every((s) => s.reason === "pause" || s.reason === "person")).toBe(true);
    await waitForDebug(page, (v) => v.characters.theo?.state === "speaking", 30_000, "Theo answering");
    expect(cut.voice.onsets.length).toBeGreaterThanOrEqual(2);
  });
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { VoiceConfig } from "../../shared/src/index.js";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { v3Card } from "../support/cards.js";
import { EspeakTts } from "../../server/src/tts/EspeakTts.js";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "../../server/src/tts/types.js";

/** The real offline voice, noting which voice config spoke which text. */
class RecordingVoice implements TtsProvider {
  readonly label = "espeak";
  readonly hasTimings = true;
  readonly said: { text: string; voice: VoiceConfig }[] = [];
  constructor(private readonly inner: EspeakTts) {}
  prepare(voice: VoiceConfig): Promise<void> { return this.inner.prepare(voice.provider === "espeak" ? voice : { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 }); }
  sampleRate(voice: VoiceConfig): number { return this.inner.sampleRate(voice); }
  listVoices(): Promise<TtsVoiceInfo[]> { return this.inner.listVoices(); }
  synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    this.said.push({ text, voice });
    return this.inner.synthesize(text, voice, signal);
  }
  close(): Promise<void> { return this.inner.close(); }
}

let app: Booted;
let browser: Browser;
let room: Page;
const espeak = new EspeakTts();
const voice = new RecordingVoice(espeak);
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureClientBuilt();
  await espeak.init();
  app = await boot({}, { tts: voice });
  browser = await launchChromium();
  room = await browser.newPage({ viewport: { width: 960, height: 600 } });
  room.on("pageerror", (e) => pageErrors.push(e.message));
  await room.goto(app.parley.url);
  await waitForDebug(room, (d) => d.connected && Object.keys(d.characters).length === 3, 20_000, "the room with three characters");
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const card = v3Card("Lumi", { parley: { voice: { provider: "espeak", voice: "en-gb+f2", speed: 1, pitch: 55 }, avatar: "lena.vrm" } }, {
  first_mes: "*waves from the doorway* Hello, everyone! I am Lumi, and I am very glad to sit with you tonight.",
  group_only_greetings: [],
});

describe("a card dropped on the room", () => {
  let id = "";

  it("imports the character, who sits down and greets aloud with a moving mouth; the action is shown, not spoken", async () => {
    await room.evaluate((json) => {
      const dt = new DataTransfer();
      dt.items.add(new File([json], "lumi.json", { type: "application/json" }));
      document.querySelector(".app")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, JSON.stringify(card));
    const seated = await waitForDebug(room, (d) => Object.values(d.characters).some((c) => c.name === "Lumi"), 15_000, "Lumi at the table");
    id = Object.entries(seated.characters).find(([, c]) => c.name === "Lumi")![0];
    await waitForDebug(room, (d) => d.characters[id]?.avatar.loaded === true, 20_000, "Lumi's avatar loaded");
    await waitForDebug(room, (d) => {
      const lumi = d.characters[id];
      return !!lumi && d.audio.playing.includes(id) && Object.values(lumi.visemes).some((w) => w > 0.05);
    }, 20_000, "Lumi greeting with her mouth open");
    // the mouth moves over time, not one stuck shape
    const mouth: number[] = [];
    for (let i = 0; i < 40; i++) {
      const d = await readDebug(room);
      mouth.push(Object.values(d.characters[id]!.visemes).reduce((a, b) => a + b, 0));
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(Math.max(...mouth) - Math.min(...mouth)).toBeGreaterThan(0.1);
    const done = await waitForDebug(room, (d) => d.transcript.some((l) => l.speaker === "Lumi" && l.text.endsWith("tonight.")) && !d.audio.playing.includes(id), 30_000, "the greeting done");
    expect(done.transcript.find((l) => l.speaker === "Lumi")!.text).toBe(card.data.first_mes);
    // the page shows the action styled, apart from the words
    await expect(room.locator(".transcript .aside", { hasText: "*waves from the doorway*" }).count()).resolves.toBe(1);
    const spoken = voice.said.filter((s) => "voice" in s.voice && s.voice.voice === "en-gb+f2").map((s) => s.text).join(" ");
    expect(spoken).toContain("I am Lumi");
    expect(spoken).not.toMatch(/waves|doorway|\*/);
  });

  it("the studio changes her voice, and her next line speaks with it", async () => {
    const studio = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    studio.on("pageerror", (e) => pageErrors.push(e.message));
    await studio.goto(`${app.parley.url}/studio`);
    await studio.getByRole("button", { name: /Lumi/ }).click();
    await studio.getByRole("form", { name: "Editing Lumi" }).waitFor({ timeout: 10_000 });
    const variant = studio.getByRole("combobox", { name: "Variant" });
    await expect(variant.inputValue()).resolves.toBe("+f2");
    await variant.selectOption("+m3");
    await studio.getByRole("button", { name: "Save" }).click();
    await studio.getByText("Lumi is saved.").waitFor({ timeout: 10_000 });
    await studio.close();
    const before = voice.said.length;
    const box = room.getByRole("textbox", { name: "Message" });
    await box.fill("Lumi, how are you tonight?");
    await box.press("Enter");
    await waitForDebug(room, (d) => d.characters[id]?.state === "speaking" && d.audio.playing.includes(id), 30_000, "Lumi answering");
    const lines = voice.said.slice(before).filter((s) => s.voice.provider === "espeak" && s.voice.voice.startsWith("en-gb"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((s) => "voice" in s.voice && s.voice.voice === "en-gb+m3")).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

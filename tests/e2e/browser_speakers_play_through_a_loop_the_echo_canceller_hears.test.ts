import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";

/**
 * Chrome cancels the echo only of what plays out of WebRTC: the page sends its
 * whole output (characters and friends) through a local RTCPeerConnection pair
 * into an <audio> element. Lips and playback reports follow the delay it adds.
 */
let app: Booted;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureClientBuilt();
  app = await boot();
  // Chromium's own fake microphone (a beep, not speech): the loop runs while the microphone is on
  browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]);
  page = await browser.newPage({ viewport: { width: 960, height: 600 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(app.parley.url);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("speakers in Chromium", () => {
  it("play a character's voice through the local WebRTC loop while the microphone is on, with lips on the delayed sound", async () => {
    await waitForDebug(page, (v) => v.connected && v.llm.ready, 20_000, "connected");
    expect((await readDebug(page)).audio.loopback.state).toBe("off");
    await page.getByRole("button", { name: "Mic off" }).click();
    await waitForDebug(page, (v) => v.voice.mic === "on" && v.audio.loopback.state === "on", 20_000, "the loop on with the microphone");
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Hello, Ada!");
    await box.press("Enter");
    await waitForDebug(page, (v) => v.characters.ada?.state === "speaking" && v.audio.playing.includes("ada"), 20_000, "Ada speaking");
    // her voice comes out of the loop into the element, and the loop's delay is measured
    const heard = await waitForDebug(page, (v) => v.audio.loopback.energy > 0 && v.audio.loopback.measured > 0, 10_000, "a sound timed through the loop");
    // timed on the audio clock going in and coming out; the receiver's own reckoning agrees roughly
    expect(heard.audio.loopback.delayMs).toBeGreaterThan(0);
    expect(heard.audio.loopback.delayMs).toBeLessThan(400);
    console.log(`loop delay ${heard.audio.loopback.delayMs} ms measured, ${heard.audio.loopback.statsDelayMs} ms by the receiver's stats`);
    const done = await waitForDebug(page, (v) => v.characters.ada?.state === "idle" && v.audio.playing.length === 0, 30_000, "Ada done");
    // the mouth followed the sound as it leaves the loop, as closely as without it (the lips test's bound)
    const offsets = done.lipsync.ada ?? [];
    expect(offsets.length).toBeGreaterThanOrEqual(3);
    expect(Math.abs(median(offsets))).toBeLessThan(Math.max(100, 2.5 * (1000 / Math.max(1, done.fps))));
  });

  it("can be turned off (headphones), and then plays straight to the speakers", async () => {
    await page.getByRole("checkbox", { name: "Cancel my speakers' echo" }).uncheck();
    const off = await waitForDebug(page, (v) => v.audio.loopback.state === "off", 5000, "the loop off");
    expect(off.audio.loopback.delayMs).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("parley.speakerEcho"))).toBe("off");
    const before = off.audio.output.filter((m) => m.audible).length;
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Theo, one more thing?");
    await box.press("Enter");
    // the output still sounds (observed on the audio graph) without the loop
    await waitForDebug(page, (v) => v.audio.output.filter((m) => m.audible).length > before && v.audio.loopback.energy === 0, 20_000, "output without the loop");
    await waitForDebug(page, (v) => Object.values(v.characters).every((c) => c.state === "idle") && v.audio.playing.length === 0, 30_000, "all idle");
    await page.getByRole("checkbox", { name: "Cancel my speakers' echo" }).check();
    await waitForDebug(page, (v) => v.audio.loopback.state === "on", 10_000, "the loop on again");
    // and off with the microphone
    await page.getByRole("button", { name: "Mic on" }).click();
    await waitForDebug(page, (v) => v.voice.mic === "off" && v.audio.loopback.state === "off", 10_000, "the loop off with the microphone");
    expect(pageErrors).toEqual([]);
  });
});

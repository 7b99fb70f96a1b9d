import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import type { ParleyDebug } from "../support/debugTypes.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";

let app: Booted;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const debug = (): Promise<ParleyDebug> => readDebug(page);


beforeAll(async () => {
  ensureClientBuilt();
  app = await boot();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 960, height: 600 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(app.parley.url);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the room in Chromium", () => {
  it("shows three seated avatars, the demo banner and the chat box", async () => {
    const d = await waitForDebug(page, (v) => v.connected && Object.keys(v.characters).length === 3 && v.llm.ready, 20_000, "connected room");
    expect(d.roomId).toBeTruthy();
    expect(d.sessionId).toBeTruthy();
    expect(d.llm.provider).toBe("node-llama-cpp");
    expect(Object.values(d.characters).map((c) => c.name).sort()).toEqual(["Ada", "Juno", "Theo"]);
    await expect(page.getByRole("textbox", { name: "Message" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Demo model:").isVisible()).resolves.toBe(true);
    // avatars render: frames are being drawn
    await waitForDebug(page, (v) => v.fps > 1, 10_000, "frames");
  });

  it("makes Ada speak with moving lips while her audio plays, then go idle", async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Hello, Ada!");
    await box.press("Enter");
    await expect(box.inputValue()).resolves.toBe("");
    const speaking = await waitForDebug(page, (v) => {
      const ada = v.characters.ada;
      return !!ada && ada.state === "speaking" && v.audio.playing.includes("ada") && Object.values(ada.visemes).some((w) => w > 0.05);
    }, 20_000, "Ada speaking with open mouth");
    expect(speaking.audio.contextState).toBe("running");
    // lips move over time, not a stuck shape
    const samples: number[] = [];
    // about 2.5 s of speech: even at a few frames per second the mouth must change shape
    for (let i = 0; i < 60; i++) {
      const v = await debug();
      const ada = v.characters.ada!;
      samples.push(Object.values(ada.visemes).reduce((a, b) => a + b, 0));
      const open = Object.values(ada.visemes).filter((w) => w > 0.01).length;
      expect(open).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(Math.max(...samples) - Math.min(...samples)).toBeGreaterThan(0.1);
    // then silence: idle, nothing playing, and the mouth closes
    const done = await waitForDebug(page, (v) => v.characters.ada?.state === "idle" && v.audio.playing.length === 0
      && Object.values(v.characters.ada.visemes).every((w) => w < 0.05), 30_000, "Ada idle with her mouth closed");
    // the mouth followed the audio clock: each new shape showed within a couple of frames of its sound
    const offsets = done.lipsync.ada ?? [];
    expect(offsets.length).toBeGreaterThanOrEqual(3);
    const median = [...offsets].sort((a, b) => a - b)[Math.floor(offsets.length / 2)]!;
    const frameMs = 1000 / Math.max(1, done.fps);
    expect(Math.abs(median)).toBeLessThan(Math.max(100, 2.5 * frameMs));
    const lines = done.transcript;
    expect(lines.at(-2)).toMatchObject({ speaker: expect.any(String), text: "Hello, Ada!" });
    expect(lines.at(-1)!.speaker).toBe("Ada");
    expect(lines.at(-1)!.text.length).toBeGreaterThan(10);
    // the reply is on the page too
    await expect(page.getByText(lines.at(-1)!.text.slice(0, 20)).first().isVisible()).resolves.toBe(true);
  });

  it("renders hostile text as text", async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill('<img src=x onerror="window.__pwned=1"> hi Theo');
    await box.press("Enter");
    await waitForDebug(page, (v) => v.transcript.some((l) => l.text.startsWith("<img")), 10_000, "hostile line");
    expect(await page.evaluate(() => document.querySelectorAll(".transcript img").length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await waitForDebug(page, (v) => v.characters.theo?.state === "idle" && v.audio.playing.length === 0 && v.transcript.at(-1)?.speaker === "Theo" && v.transcript.at(-1)!.text.length > 10, 30_000, "Theo done");
  });

  it("keeps parleyDebug read-only and raises no page errors", async () => {
    const changed = await page.evaluate(() => {
      const w = window as unknown as { parleyDebug: { connected: boolean } };
      try { w.parleyDebug.connected = false; } catch { /* frozen or setter-less */ }
      try { (w as { parleyDebug: unknown }).parleyDebug = null; } catch { /* non-writable */ }
      return w.parleyDebug?.connected;
    });
    expect(changed).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { writeFakeMic } from "../support/fakeMic.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import type { ParleyDebug } from "../support/debugTypes.js";

const dir = mkdtempSync(join(tmpdir(), "parley-people-"));
let app: Booted;
let browser: Browser;
let a: Page;
let b: Page;

const VIEW = { width: 360, height: 260 };

beforeAll(async () => {
  ensureClientBuilt();
  // both people "talk" through the same looping fake microphone: speech, pauses, speech
  const mic = await writeFakeMic(join(dir, "mic.wav"), { parts: [{ silenceS: 0.6, text: "Hello there, how are you doing today?" }, { silenceS: 0.8, text: "I would like some tea, please." }], tailS: 0.8 });
  // the recognizer hears nothing worth answering: this test is about faces, not replies
  app = await boot({}, { asr: new FakeAsr({ script: [""], msPerWord: 100 }) });
  browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${mic.path}`]);
  [a, b] = await Promise.all([browser.newPage({ viewport: VIEW }), browser.newPage({ viewport: VIEW })]);
  for (const page of [a, b]) await page.goto(`${app.parley.url}/?quality=low`);
  await Promise.all([a, b].map((p) => waitForDebug(p, (d) => d.connected && Object.keys(d.people).length === 2, 20_000, "both people in the room")));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function other(d: ParleyDebug): ParleyDebug["people"][string] {
  const found = Object.entries(d.people).find(([id]) => id !== d.sessionId);
  if (!found) throw new Error(`the other person is not at the table on this page: ${JSON.stringify(d.people)}`);
  return found[1];
}
/** A point where the room's canvas itself is under the pointer (banners and panels cover parts of a small page). */
async function bareCanvasPoint(page: Page): Promise<{ x: number; y: number }> {
  const p = await page.evaluate(() => {
    for (let y = 0.95; y > 0.05; y -= 0.03) for (let x = 0.02; x < 0.98; x += 0.03) {
      const px = x * innerWidth;
      const py = y * innerHeight;
      if (document.elementFromPoint(px, py)?.tagName === "CANVAS") return { x: px, y: py };
    }
    return null;
  });
  if (!p) throw new Error("no bare spot on the canvas to drag");
  return p;
}
const openness = (d: ParleyDebug): number => Math.max(...Object.values(other(d).visemes));

describe("people at the table, in two browsers", () => {
  it("see each other seated in their own places with their avatars", async () => {
    for (const page of [a, b]) {
      const d = await waitForDebug(page, (v) => other(v).avatar.loaded, 30_000, "the other person's avatar");
      expect(new Set(Object.values(d.people).map((p) => p.seat)).size).toBe(2);
      expect(other(d).avatarUrl).toMatch(/^\/avatars\/cast\/[a-z]+\.vrm$/);
    }
    const [da, db] = [await readDebug(a), await readDebug(b)];
    // both pages agree on who sits where
    expect(da.people).toEqual(expect.objectContaining({ [db.sessionId]: expect.objectContaining({ seat: db.people[db.sessionId]!.seat }) }));
  });

  it("see the other's mouth move while they talk, and close in the pauses", async () => {
    for (const page of [a, b]) await page.getByRole("button", { name: "Mic off" }).click();
    for (const page of [a, b]) {
      // several different mouth shapes over time, and a shut mouth in between
      const seen = new Set<string>();
      let shut = false;
      await waitForDebug(page, (d) => {
        const w = other(d).visemes;
        const open = openness(d);
        if (open > 0.15) seen.add(Object.entries(w).sort((x, y) => y[1] - x[1])[0]![0] + Math.round(open * 4));
        if (open < 0.02 && seen.size > 0) shut = true;
        return seen.size >= 3 && shut;
      }, 45_000, "a moving mouth on the other person's avatar", 40);
    }
  });

  it("see where the other looks: dragging on one page turns that person's head on the other", async () => {
    const before = other(await readDebug(b)).head.yaw;
    const start = await bareCanvasPoint(a);
    await a.mouse.move(start.x, start.y);
    await a.mouse.down();
    for (let i = 1; i <= 8; i++) await a.mouse.move(start.x + i * 8, start.y - i * 2);
    await a.mouse.up();
    const d = await waitForDebug(b, (v) => other(v).head.yaw > before + 0.3, 10_000, "the other person's head turned");
    expect(other(d).head.pitch).toBeGreaterThan(-1);
    // when the head stops, both pages agree on where it points
    await waitForDebug(a, (mine) => mine.people[mine.sessionId]!.head.yaw > before + 0.3, 5000, "my own head as the room knows it");
    const t0 = Date.now();
    for (;;) {
      const [mine, seen] = [await readDebug(a), await readDebug(b)];
      if (Math.abs(mine.people[mine.sessionId]!.head.yaw - other(seen).head.yaw) < 1e-3) break;
      if (Date.now() - t0 > 5000) throw new Error(`the pages disagree: ${mine.people[mine.sessionId]!.head.yaw} vs ${other(seen).head.yaw}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

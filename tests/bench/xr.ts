/**
 * xr.*: the real built client in an emulated immersive-vr session (Meta's
 * Immersive Web Emulator as a Quest 3, both eyes at the Quest 3's per-eye
 * resolution), headless Chromium on SwiftShader: the session's frame intervals
 * at the empty table and with four avatars, their ratio, and the draw calls of
 * one headset frame (both eyes) with four avatars.
 */
import { rmSync } from "node:fs";
import type { Page } from "playwright-core";
import { boot } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { castDir } from "../support/cast.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { installXrEmulator, setHead } from "../support/xrEmulator.js";
import { headPose } from "../support/xrAim.js";
import { percentile, round, summary, type Section } from "./stats.js";

/** Quest 3: 2064 x 2208 pixels per eye; the emulator draws both eyes side by side into the page's canvas */
const EYE = { width: 2064, height: 2208 };
const VIEWPORT = { width: EYE.width * 2, height: EYE.height };
/** a seated head at the reference space's origin */
const SEATED: [number, number, number] = [0, 1.2, 0];

/**
 * The intervals between the session's next `frames` frames, ms, measured with the
 * session's own requestAnimationFrame. The code is a string: tsx would otherwise
 * wrap the function with helpers the page lacks.
 */
function sessionFrameIntervals(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const s = window.__xr.activeSession;
    const t = [];
    const tick = () => {
      t.push(performance.now());
      if (t.length <= ${frames}) s.requestAnimationFrame(tick);
      else resolve(t.slice(1).map((x, i) => x - t[i]));
    };
    s.requestAnimationFrame(tick);
  })`) as Promise<number[]>;
}

export async function benchXr(runs: number): Promise<Section> {
  ensureClientBuilt();
  const cast = castDir(["mira"]);
  const app = await boot({ PARLEY_CHARACTERS_DIR: cast });
  const browser = await launchChromium();
  const frames = Math.max(15, Math.min(40, runs * 2));
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await installXrEmulator(page);
    const session = async (query: string, avatars: number): Promise<{ intervals: number[]; calls: number }> => {
      await page.goto(`${app.parley.url}/${query}`);
      await waitForDebug(page, (d) => d.connected && d.xr.supported.vr && Object.values(d.characters).filter((c) => c.avatar.loaded).length === avatars, 120_000, `room with ${avatars} avatars`, 200);
      await setHead(page, headPose(SEATED, 0));
      await page.getByRole("button", { name: "Enter VR" }).click();
      await waitForDebug(page, (d) => d.xr.mode === "vr" && d.render.calls > 0, 60_000, "in VR", 200);
      // settle: shaders compiled, the frame budget has had its first look
      await sessionFrameIntervals(page, 5);
      const intervals = await sessionFrameIntervals(page, frames);
      const calls = (await readDebug(page)).render.calls;
      await page.evaluate("window.__xr.activeSession.end()");
      await waitForDebug(page, (d) => d.xr.mode === "none", 30_000, "out of VR", 200);
      return { intervals, calls };
    };
    const empty: number[] = [];
    const full: number[] = [];
    let callsEmpty = 0;
    let callsFull = 0;
    const rounds = 2;
    for (let i = 0; i < rounds; i++) {
      const e = await session("?avatars=off&quality=low", 0);
      empty.push(...e.intervals);
      callsEmpty = e.calls;
      const f = await session("?quality=low", 4);
      full.push(...f.intervals);
      callsFull = f.calls;
    }
    const e50 = percentile(empty, 0.5);
    const f50 = percentile(full, 0.5);
    return {
      figures: {
        "xr.frame_ms": summary(full),
        "xr.frame_ms_empty": summary(empty),
        "xr.frame_ms_ratio": round(f50 / e50, 3),
        "xr.draw_calls": callsFull,
        "xr.draw_calls_empty": callsEmpty,
      },
      notes: [
        `xr.*: an immersive-vr session of Meta's Immersive Web Emulator (iwer, Quest 3) in headless Chromium on SwiftShader (software WebGL, no GPU), both eyes at ${EYE.width}x${EYE.height}, the headset profile on (no outlines, 30 Hz spring bones); frame_ms is the interval between session frames (p50/p95 over ${rounds} rounds of ${frames} frames), with four avatars; frame_ms_ratio is four avatars / the empty table (p50); draw_calls counts one headset frame, both eyes`,
      ],
    };
  } finally {
    await browser.close();
    await app.stop();
    rmSync(cast, { recursive: true, force: true });
  }
}

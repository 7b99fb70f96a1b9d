/**
 * render.* and lipsync.client_*: the real built client in headless Chromium
 * (SwiftShader, no GPU), the same run measuring the room without avatars and with
 * four, and how closely the applied mouth shapes follow the audio clock.
 */
import { rmSync } from "node:fs";
import type { Page } from "playwright-core";
import { boot } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { castDir } from "../support/cast.js";
import type { ParleyDebug } from "../support/debugTypes.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { percentile, round, type Section } from "./stats.js";

const VIEWPORT = { width: 1280, height: 720 };
const LIPSYNC_VIEWPORT = { width: 320, height: 180 };
const WINDOW_MS = 4000;

const debug = readDebug;
const waitFor = (page: Page, ok: (d: ParleyDebug) => boolean, timeoutMs: number, what: string): Promise<ParleyDebug> => waitForDebug(page, ok, timeoutMs, what, 100);

/**
 * Frames actually presented over a window, counted in the page. The code is a
 * string: tsx would otherwise wrap the function with helpers the page lacks.
 */
function measureFps(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    let n = 0;
    const t0 = performance.now();
    const tick = () => {
      n++;
      if (performance.now() - t0 < ${WINDOW_MS}) requestAnimationFrame(tick);
      else resolve((n * 1000) / (performance.now() - t0));
    };
    requestAnimationFrame(tick);
  })`) as Promise<number>;
}

export async function benchRender(runs: number): Promise<Section> {
  ensureClientBuilt();
  const cast = castDir(["mira"]);
  const app = await boot({ PARLEY_CHARACTERS_DIR: cast });
  const browser = await launchChromium();
  try {
    // one page, one scene at a time: a second page would keep rendering and share the CPU
    const page = await browser.newPage({ viewport: VIEWPORT });
    const open = async (query: string, avatars: number): Promise<void> => {
      await page.goto(`${app.parley.url}/${query}`);
      await waitFor(page, (d) => d.connected && d.render.calls > 0 && Object.values(d.characters).filter((c) => c.avatar.loaded).length === avatars, 60_000, `room with ${avatars} avatars`);
      await new Promise((r) => setTimeout(r, 2500));
    };
    const fpsEmpty: number[] = [];
    const fpsFull: number[] = [];
    let callsEmpty = 0;
    let callsFull = 0;
    const rounds = Math.max(3, Math.min(5, Math.round(runs / 4)));
    for (let i = 0; i < rounds; i++) {
      await open("?avatars=off", 0);
      fpsEmpty.push(await measureFps(page));
      callsEmpty = (await debug(page)).render.calls;
      await open("", 4);
      fpsFull.push(await measureFps(page));
      callsFull = (await debug(page)).render.calls;
    }
    await page.close();

    // lip-sync lag while characters really speak, on a small view so frames come often
    const full = await browser.newPage({ viewport: LIPSYNC_VIEWPORT });
    await full.goto(`${app.parley.url}/?quality=low`);
    await waitFor(full, (d) => d.connected && Object.values(d.characters).filter((c) => c.avatar.loaded).length === 4, 60_000, "four avatars");
    const box = full.getByRole("textbox", { name: "Message" });
    for (const name of ["Ada", "Theo", "Mira"]) {
      await box.fill(`Hello, ${name}!`);
      await box.press("Enter");
      await waitFor(full, (d) => d.characters[name.toLowerCase()]?.state === "speaking", 30_000, `${name} speaking`);
      await waitFor(full, (d) => d.audio.playing.length === 0 && Object.values(d.characters).every((c) => c.state === "idle"), 60_000, `${name} done`);
    }
    const lipFps = (await debug(full)).fps;
    const lip = await debug(full);
    // a shape that never got halfway counts as a miss at the whole time it had
    const missed = Object.values(lip.lipsyncMisses).flat();
    const offsets = [...Object.values(lip.lipsync).flat(), ...missed];
    const misses = missed.length;
    const e = percentile(fpsEmpty, 0.5);
    const f = percentile(fpsFull, 0.5);
    const abs = offsets.map((x) => Math.abs(x));
    return {
      figures: {
        "render.fps_empty": round(e),
        "render.fps_4_avatars": round(f),
        "render.frame_ms_ratio": round(e / f, 3),
        "render.draw_calls_per_avatar": round((callsFull - callsEmpty) / 4),
        "lipsync.client_offset_ms_p95": round(percentile(abs, 0.95)),
        "lipsync.client_offset_ms_p50": round(percentile(offsets, 0.5)),
        "lipsync.client_offset_n": offsets.length,
        "lipsync.client_misses": misses,
        "lipsync.client_fps": round(lipFps),
      },
      notes: [
        `render.*: headless Chromium on SwiftShader (software WebGL), ${VIEWPORT.width}x${VIEWPORT.height}, frames counted over ${WINDOW_MS / 1000} s windows, ${rounds} rounds; the browser caps at 60 fps`,
        `lipsync.client_offset: for each new mouth shape on the audio playback clock, the time until the applied weight reached half its target (p95 of |lag|; negative = anticipation); a shape replaced (or cut off) before it got halfway counts as a miss with the whole time it had (${misses} of ${offsets.length}); measured at ${LIPSYNC_VIEWPORT.width}x${LIPSYNC_VIEWPORT.height} so software rendering gives frames often; frame time bounds it from below`,
      ],
    };
  } finally {
    await browser.close();
    await app.stop();
    rmSync(cast, { recursive: true, force: true });
  }
}

/**
 * Meta's Immersive Web Emulator (iwer) in a test page, loaded before the page's
 * own scripts: an emulated Quest 3 with its controllers, installed over the
 * navigator.xr Chromium already exposes (forceInstall). For AR, a tiny synthetic
 * environment answers hit tests against one horizontal plane built here (no
 * room scene is fetched). The page gets `window.__xr` (the XRDevice) to move
 * the head and controllers and to press buttons.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);

export interface EmulatorOptions {
  /** a horizontal surface for hit tests: its height above the floor and half its size, m */
  plane?: { y: number; halfX: number; halfZ: number };
}

/** The emulator's own build (UMD: it defines window.IWER). */
function iwerBundle(): string {
  return readFileSync(require.resolve("iwer/build/iwer.min.js"), "utf8");
}

/**
 * A minimal synthetic environment: one plane, y up, centred on the origin.
 * computeHitTestResults gets the ray as a column-major 4x4 (origin in the last
 * column, pointing along -z) and returns hit poses the same way.
 */
function semSource(plane: NonNullable<EmulatorOptions["plane"]>): string {
  return `class PlaneSEM {
    constructor() {
      this.version = "parley-test";
      this.planesVisible = false; this.boundingBoxesVisible = false; this.meshesVisible = false;
      this._canvas = document.createElement("canvas");
      this._planes = new Set(); this._meshes = new Set();
      this.hits = 0;
    }
    render() {}
    loadEnvironment() {}
    loadDefaultEnvironment() {}
    deleteAll() {}
    get environmentCanvas() { return this._canvas; }
    get trackedPlanes() { return this._planes; }
    get trackedMeshes() { return this._meshes; }
    computeDepthBuffer() { return null; }
    computeHitTestResults(m) {
      const o = [m[12], m[13], m[14]];
      const d = [-m[8], -m[9], -m[10]];
      if (Math.abs(d[1]) < 1e-6) return [];
      const t = (${plane.y} - o[1]) / d[1];
      if (t <= 0) return [];
      const p = [o[0] + t * d[0], ${plane.y}, o[2] + t * d[2]];
      if (Math.abs(p[0]) > ${plane.halfX} || Math.abs(p[2]) > ${plane.halfZ}) return [];
      this.hits++;
      return [new Float32Array([1,0,0,0, 0,1,0,0, 0,0,1,0, p[0],p[1],p[2],1])];
    }
  }`;
}

/** Installs the emulator into every page of `page`'s context before its scripts run. */
export async function installXrEmulator(page: Page, opts: EmulatorOptions = {}): Promise<void> {
  const sem = opts.plane ? `${semSource(opts.plane)}; device.installSEM(PlaneSEM);` : "";
  await page.addInitScript({
    content: `${iwerBundle()};
      (() => {
        const device = new IWER.XRDevice(IWER.metaQuest3, { stereoEnabled: true });
        device.installRuntime({ forceInstall: true });
        ${sem}
        window.__xr = device;
      })();`,
  });
}

/** A pose for the emulated headset or a controller, in the session's reference space (m, quaternion). */
export interface DevicePose { position: [number, number, number]; quaternion: [number, number, number, number] }

/** Moves the emulated head (and keeps it there). */
export async function setHead(page: Page, pose: DevicePose): Promise<void> {
  await page.evaluate(`(() => {
    window.__xr.position.set(${pose.position.join(",")});
    window.__xr.quaternion.set(${pose.quaternion.join(",")});
  })()`);
}

/** Moves a controller; its ray points along its -z. */
export async function setController(page: Page, hand: "left" | "right", pose: DevicePose): Promise<void> {
  await page.evaluate(`(() => {
    const c = window.__xr.controllers[${JSON.stringify(hand)}];
    c.position.set(${pose.position.join(",")});
    c.quaternion.set(${pose.quaternion.join(",")});
  })()`);
}

/**
 * Presses (1) or releases (0) a controller button ("trigger" selects, "squeeze"
 * squeezes) and waits until a session frame has taken it: the emulator applies
 * button changes at the next frame, where it fires the select events, so a press
 * and a release set back to back would cancel out unseen.
 */
export async function setButton(page: Page, hand: "left" | "right", button: "trigger" | "squeeze", value: 0 | 1): Promise<void> {
  // the xr-standard gamepad mapping: trigger is button 0, squeeze button 1
  const index = button === "trigger" ? 0 : 1;
  await page.evaluate(`window.__xr.controllers[${JSON.stringify(hand)}].updateButtonValue(${JSON.stringify(button)}, ${value})`);
  // (a press that ends the session leaves no frame to take the release)
  await page.waitForFunction(`!window.__xr.activeSession || window.__xr.controllers[${JSON.stringify(hand)}].inputSource.gamepad.buttons[${index}].value === ${value}`, undefined, { timeout: 10_000 });
}

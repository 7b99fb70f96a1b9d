import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Vector3 } from "three";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { installXrEmulator, setButton, setController, setHead } from "../support/xrEmulator.js";
import { aimFrom, headPose } from "../support/xrAim.js";
import { seatPose, TABLE } from "../../client/src/scene/layout.js";
import { anchoredOrigin, anchorYaw, toRoom } from "../../client/src/xr/origin.js";

let app: Booted;
let browser: Browser;
let page: Page;
/** a real table top in the emulated room: 0.74 m high, 1.2 m square, under the reference space's origin */
const SURFACE = { y: 0.74, halfX: 0.6, halfZ: 0.6 };

beforeAll(async () => {
  ensureClientBuilt();
  app = await boot();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 320, height: 200 } });
  await installXrEmulator(page, { plane: SURFACE });
  await page.goto(`${app.parley.url}/?quality=low`);
  await waitForDebug(page, (d) => d.connected && d.xr.supported.ar && Object.values(d.characters).every((c) => c.avatar.loaded), 30_000, "the room");
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("AR with an emulated Quest 3", () => {
  it("places the table where I point on a surface, anchored, with my place toward me", async () => {
    const head: [number, number, number] = [0, 1.25, 0.9];
    await setHead(page, headPose(head, 0, -0.5));
    await page.getByRole("button", { name: "Enter AR" }).click();
    await waitForDebug(page, (d) => d.xr.mode === "ar", 20_000, "in AR");
    expect((await readDebug(page)).xr.anchored).toBe(false);

    // point at the table top a little left of its middle, and pull the trigger
    const spot = new Vector3(-0.15, SURFACE.y, 0.1);
    await setController(page, "right", aimFrom(new Vector3(0.2, 1.0, 0.6), spot));
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.evaluate("window.__xr.sem.hits")).toBeGreaterThan(0);
    await setButton(page, "right", "trigger", 1);
    await setButton(page, "right", "trigger", 0);
    const d = await waitForDebug(page, (v) => v.xr.anchored, 10_000, "the table anchored");

    // the surface point is the table's middle at the table's height; my place lies between it and me
    const seat = seatPose(d.people[d.sessionId]!.seat);
    const origin = anchoredOrigin(spot, { x: 0, y: TABLE.height, z: 0 }, anchorYaw(spot, { x: head[0], z: head[2] }, seat));
    const expected = toRoom(origin, { x: head[0], y: head[1], z: head[2] });
    expect(Math.hypot(d.xr.head.x - expected.x, d.xr.head.y - expected.y, d.xr.head.z - expected.z)).toBeLessThan(0.01);
    // seen from above, I am on my place's side of the table
    expect(Math.atan2(d.xr.head.x, d.xr.head.z)).toBeCloseTo(Math.atan2(seat.x, seat.z), 3);
  });
});

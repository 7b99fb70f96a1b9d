import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Vector3 } from "three";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { writeFakeMic } from "../support/fakeMic.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { installXrEmulator, setButton, setController, setHead } from "../support/xrEmulator.js";
import { aimFrom, headPose, toReference } from "../support/xrAim.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { seatPose } from "../../client/src/scene/layout.js";
import { eyePoint, seatedOrigin, toRoom, type OriginPose } from "../../client/src/xr/origin.js";
import { buttonUv, panelPointInRoom } from "../../client/src/xr/panelLayout.js";
import type { ParleyDebug } from "../support/debugTypes.js";

const dir = mkdtempSync(join(tmpdir(), "parley-vr-"));
let app: Booted;
let browser: Browser;
let vr: Page;
let desk: Page;
let asr: FakeAsr;
const requested: string[] = [];
/** the built chunks that hold @react-three/xr (found by a message only its code has) */
let xrChunks: string[] = [];
/** the origin the session set at its start (the head stood at the reference space's origin, facing -z) */
let origin: OriginPose;
const START_HEAD: [number, number, number] = [0, 1.2, 0];

beforeAll(async () => {
  const dist = ensureClientBuilt();
  xrChunks = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js") && readFileSync(join(dist, "assets", f), "utf8").includes("XR features can only be used inside the <XR> component"));
  const mic = await writeFakeMic(join(dir, "mic.wav"), { parts: [{ silenceS: 0.3, text: "Tell me a story about the sea, please." }], tailS: 0.3 });
  asr = new FakeAsr({ script: ["Tell me a story about the sea, please."], msPerWord: 60 });
  app = await boot({}, { asr });
  browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${mic.path}`]);
  vr = await browser.newPage({ viewport: { width: 320, height: 200 } });
  vr.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await installXrEmulator(vr);
  desk = await browser.newPage({ viewport: { width: 320, height: 200 } });
  for (const page of [vr, desk]) await page.goto(`${app.parley.url}/?quality=low`);
  await Promise.all([vr, desk].map((p) => waitForDebug(p, (d) => d.connected && Object.keys(d.people).length === 2 && Object.values(d.characters).every((c) => c.avatar.loaded), 30_000, "the room")));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const me = (d: ParleyDebug): number => d.people[d.sessionId]!.seat;
const seen = (d: ParleyDebug, id: string): ParleyDebug["people"][string] => d.people[id]!;
const dist = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }): number => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);

describe("a headset at the table (emulated Quest 3)", () => {
  it("loads the XR code only when VR is asked for, and seats my head at my own place", async () => {
    expect(xrChunks.length).toBeGreaterThan(0);
    const before = await readDebug(vr);
    expect(before.xr).toMatchObject({ supported: { vr: true, ar: true }, mode: "none" });
    expect(requested.filter((p) => xrChunks.some((c) => p.endsWith(c)))).toEqual([]);

    await setHead(vr, headPose(START_HEAD, 0));
    await vr.getByRole("button", { name: "Enter VR" }).click();
    const d = await waitForDebug(vr, (v) => v.xr.mode === "vr" && v.xr.head.y > 1, 20_000, "in VR");
    expect(requested.filter((p) => xrChunks.some((c) => p.endsWith(c))).length).toBeGreaterThan(0);
    const seat = me(d);
    expect(d.xr.seat).toBe(seat);
    const eye = eyePoint(seatPose(seat));
    // at my place, at my own (seated) eye height, facing the table
    expect(Math.hypot(d.xr.head.x - eye.x, d.xr.head.z - eye.z)).toBeLessThan(0.01);
    expect(d.xr.head.y).toBeCloseTo(START_HEAD[1], 2);
    expect(Math.abs(d.xr.head.yaw)).toBeLessThan(0.01);
    origin = seatedOrigin(seatPose(seat), { x: START_HEAD[0], z: START_HEAD[2], yaw: 0 });
  });

  it("talks while the trigger is held; the characters look at my head as it moves, and the others see it turn", async () => {
    const id = (await readDebug(vr)).sessionId;
    // pointing down at the floor beside me: not at a character, not at the panel
    await setController(vr, "right", aimFrom(new Vector3(0.3, 0.9, -0.1), new Vector3(0.9, 0, 0.6)));
    await new Promise((r) => setTimeout(r, 300));
    await setButton(vr, "right", "trigger", 1);
    // the microphone was off: the trigger starts it in push-to-talk (loading the voice detector takes a while under load)
    await waitForDebug(vr, (v) => v.voice.mic === "on" && v.voice.mode === "ptt" && v.voice.speaking, 60_000, "push-to-talk on the trigger");
    const looking = await waitForDebug(vr, (v) => Object.values(v.characters).every((c) => c.lookAt === id), 10_000, "the characters looking at me");
    expect(Object.values(looking.characters).every((c) => dist(c.lookPoint, looking.xr.head) < 0.05)).toBe(true);

    // I lean to my left and turn my head: their eyes follow my head, the other page sees it turn
    const moved = toRoom(origin, { x: -0.25, y: 1.15, z: -0.1 });
    await setHead(vr, headPose([-0.25, 1.15, -0.1], 0.5, -0.2));
    const after = await waitForDebug(vr, (v) => dist(v.xr.head, moved) < 0.01 && Object.values(v.characters).every((c) => dist(c.lookPoint, moved) < 0.05), 10_000, "their eyes on my new head");
    expect(after.xr.head.yaw).toBeCloseTo(0.5, 2);
    expect(after.xr.head.pitch).toBeCloseTo(-0.2, 2);
    await waitForDebug(desk, (v) => Math.abs(seen(v, id).head.yaw - 0.5) < 0.02 && Math.abs(seen(v, id).head.pitch + 0.2) < 0.02, 10_000, "my head turned on the other page");

    // letting go ends the speech: it reaches the table as my line
    const onsets = (await readDebug(vr)).voice.onsets.length;
    await new Promise((r) => setTimeout(r, 1500));
    await setButton(vr, "right", "trigger", 0);
    await waitForDebug(vr, (v) => !v.voice.speaking, 5000, "push-to-talk released");
    await waitForDebug(desk, (v) => v.transcript.some((l) => l.text === "Tell me a story about the sea, please."), 20_000, "my words in the transcript");
    // one press, one utterance
    expect((await readDebug(vr)).voice.onsets.length).toBe(onsets);
    expect(asr.streams.length).toBe(1);
  });

  it("gives the turn to the character I point at when I pull the trigger", async () => {
    await setHead(vr, headPose(START_HEAD, 0));
    // someone may be answering my words: point at a character who has not spoken and is not about to
    const d = await readDebug(desk);
    const [pickedId, picked] = Object.entries(d.characters).find(([, c]) => c.state !== "thinking" && c.state !== "speaking" && !d.transcript.some((l) => l.speaker === c.name))!;
    const target = toReference(origin, { ...seatPose(picked.seat), y: 1.15 });
    await setController(vr, "right", aimFrom(new Vector3(0.2, 1.0, -0.2), target));
    await new Promise((r) => setTimeout(r, 300));
    await setButton(vr, "right", "trigger", 1);
    await setButton(vr, "right", "trigger", 0);
    await waitForDebug(desk, (v) => v.characters[pickedId]!.state === "thinking" || v.characters[pickedId]!.state === "speaking", 20_000, `${picked.name} given the turn`);
    // a pull at a character is not push-to-talk
    expect((await readDebug(vr)).voice.speaking).toBe(false);
  });

  it("leaves VR from the panel's Leave button and comes back to the desktop view", async () => {
    const seat = me(await readDebug(vr));
    const { u, v } = buttonUv("leave");
    const target = toReference(origin, panelPointInRoom(seatPose(seat), u, v));
    await setController(vr, "right", aimFrom(new Vector3(0.15, 1.0, -0.1), target));
    await new Promise((r) => setTimeout(r, 300));
    await setButton(vr, "right", "trigger", 1);
    await setButton(vr, "right", "trigger", 0);
    const d = await waitForDebug(vr, (x) => x.xr.mode === "none", 10_000, "out of VR");
    expect(d.xr.seat).toBe(-1);
    // the page's own camera again: its canvas back in the page, rendering
    expect(await vr.evaluate(() => document.querySelector(".stage canvas") !== null)).toBe(true);
    expect(await vr.evaluate(() => document.querySelector("[data-webxr_runtime] canvas") === null)).toBe(true);
    expect(await vr.getByRole("button", { name: "Enter VR" }).isEnabled()).toBe(true);
  });
});

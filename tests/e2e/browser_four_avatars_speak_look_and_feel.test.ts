import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { rmSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { castDir } from "../support/cast.js";
import type { ParleyDebug } from "../support/debugTypes.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toVrm0 } from "../support/vrm0.js";
import { REPO_ROOT } from "../../server/src/config.js";

let app: Booted;
let browser: Browser;
let page: Page;
const cast = castDir(["mira"]);

const debug = (): Promise<ParleyDebug> => readDebug(page);

beforeAll(async () => {
  ensureClientBuilt();
  app = await boot({ PARLEY_CHARACTERS_DIR: cast });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 960, height: 600 } });
  await page.goto(app.parley.url);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(cast, { recursive: true, force: true });
});

describe("four seated avatars", () => {
  it("all load, and while one speaks it looks at me and the others look at it, lips and face moving", async () => {
    const ready = await waitForDebug(page, (v) => v.connected && Object.keys(v.characters).length === 4 && v.render.calls > 20, 30_000, "four avatars drawn");
    expect(Object.keys(ready.characters).sort()).toEqual(["ada", "juno", "mira", "theo"]);
    await page.getByRole("textbox", { name: "Message" }).fill("Mira, tell me a story.");
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    const seen = { mouth: 0, face: new Set<string>(), me: false, listeners: false };
    await waitForDebug(page, (v) => {
      const mira = v.characters.mira!;
      if (mira.state === "speaking") {
        if (Object.values(mira.visemes).some((w) => w > 0.1)) seen.mouth++;
        seen.face.add(mira.emotion);
        if (mira.lookAt === v.sessionId) seen.me = true;
        if (["ada", "theo", "juno"].every((id) => v.characters[id]!.lookAt === "mira")) seen.listeners = true;
      }
      return seen.mouth >= 5 && seen.me && seen.listeners;
    }, 30_000, "Mira speaking to me, watched by the others");
    expect([...seen.face]).toContain("happy");
    // the listeners' lips stay closed while Mira talks
    const d = await debug();
    for (const id of ["ada", "theo", "juno"]) expect(Object.values(d.characters[id]!.visemes).every((w) => w < 0.05)).toBe(true);
    await waitForDebug(page, (v) => v.characters.mira?.state === "idle" && v.audio.playing.length === 0, 40_000, "Mira done");
    // after she finishes, gaze wanders again among the table
    const after = await waitForDebug(page, (v) => Object.values(v.characters).every((c) => c.lookAt !== ""), 10_000, "idle gaze");
    expect(Object.values(after.characters).every((c) => c.lookAt !== c.name.toLowerCase())).toBe(true);
  });

  it("seats a VRM 0.x avatar a person uploads from a character's card, and it talks", async () => {
    const before = (await debug()).characters.juno!.avatar.url;
    await page.getByRole("button", { name: "Juno's card" }).click();
    const vrm0 = Buffer.from(toVrm0(new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", "kenji.vrm")))));
    await page.getByLabel("Juno's avatar file").setInputFiles({ name: "my-avatar.vrm", mimeType: "model/gltf-binary", buffer: vrm0 });
    await waitForDebug(page, (v) => v.characters.juno!.avatar.url !== before && v.characters.juno!.avatar.loaded, 30_000, "new avatar loaded");
    await page.getByRole("textbox", { name: "Message" }).fill("Juno, say something!");
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    await waitForDebug(page, (v) => v.characters.juno!.state === "speaking" && Object.values(v.characters.juno!.visemes).some((w) => w > 0.1), 30_000, "Juno talking with her new face");
  });
});

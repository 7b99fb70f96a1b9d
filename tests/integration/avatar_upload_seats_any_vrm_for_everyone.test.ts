import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot, type Booted } from "../support/boot.js";
import { until, view } from "../support/messages.js";
import { toVrm0, readGlb, writeGlb } from "../support/vrm0.js";
import { REPO_ROOT } from "../../server/src/config.js";

const dataDir = mkdtempSync(join(tmpdir(), "parley-avatars-"));
const castDir = mkdtempSync(join(tmpdir(), "parley-cast-path-"));
afterAll(() => { rmSync(dataDir, { recursive: true, force: true }); rmSync(castDir, { recursive: true, force: true }); });

const asset = (name: string): Uint8Array => new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", name)));
const bytesOf = async (url: string): Promise<Uint8Array> => new Uint8Array(await (await fetch(url)).arrayBuffer());

describe("avatars people bring", () => {
  it("a VRM 0.x upload replaces a character's avatar for everyone, persists, and can be undone", async () => {
    let app: Booted = await boot({ PARLEY_DATA_DIR: dataDir });
    try {
      const a = await app.join("Sam");
      const b = await app.join("Kim");
      const before = view(a).characters.ada!.avatarUrl;
      expect(before).toMatch(/^\/avatars\/character\/ada\?v=\d+/);
      expect(Buffer.compare(Buffer.from(await bytesOf(app.parley.url + before)), Buffer.from(asset("ada.vrm")))).toBe(0);

      const mine = Buffer.from(toVrm0(asset("juno.vrm")));
      const res = await fetch(`${app.parley.url}/api/avatars/ada`, { method: "PUT", body: mine, headers: { "content-type": "model/gltf-binary" } });
      expect(res.status).toBe(200);
      await until(() => view(a).characters.ada!.avatarUrl !== before && view(b).characters.ada!.avatarUrl !== before, 3000, "new avatar url for everyone");
      expect(Buffer.compare(Buffer.from(await bytesOf(app.parley.url + view(b).characters.ada!.avatarUrl)), Buffer.from(mine))).toBe(0);

      // not a VRM, a plain glTF, an unknown character
      const bad = await fetch(`${app.parley.url}/api/avatars/ada`, { method: "PUT", body: new Uint8Array(64).fill(7) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/not a VRM file/);
      const g = readGlb(asset("theo.vrm"));
      delete (g.json.extensions as Record<string, unknown>).VRMC_vrm;
      const plain = await fetch(`${app.parley.url}/api/avatars/ada`, { method: "PUT", body: Buffer.from(writeGlb(g)) });
      expect(plain.status).toBe(400);
      expect(((await plain.json()) as { error: string }).error).toMatch(/without VRM data/);
      expect((await fetch(`${app.parley.url}/api/avatars/nobody`, { method: "PUT", body: mine })).status).toBe(404);
    } finally {
      await app.stop();
    }

    // a restart keeps the upload; DELETE goes back to the original
    app = await boot({ PARLEY_DATA_DIR: dataDir });
    try {
      const a = await app.join("Sam");
      const url = view(a).characters.ada!.avatarUrl;
      expect(Buffer.compare(Buffer.from(await bytesOf(app.parley.url + url)), Buffer.from(toVrm0(asset("juno.vrm"))))).toBe(0);
      expect((await fetch(`${app.parley.url}/api/avatars/ada`, { method: "DELETE" })).status).toBe(200);
      await until(() => view(a).characters.ada!.avatarUrl !== url, 3000, "original avatar url");
      expect(Buffer.compare(Buffer.from(await bytesOf(app.parley.url + view(a).characters.ada!.avatarUrl)), Buffer.from(asset("ada.vrm")))).toBe(0);
    } finally {
      await app.stop();
    }
  });

  it("a character's config can point at a VRM file anywhere on disk", async () => {
    const file = join(castDir, "my-vroid-avatar.vrm");
    writeFileSync(file, toVrm0(asset("lena.vrm")));
    const ada = JSON.parse(readFileSync(join(REPO_ROOT, "characters", "ada.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(castDir, "ada.json"), JSON.stringify({ ...ada, avatar: file }));
    const app = await boot({ PARLEY_CHARACTERS_DIR: castDir });
    try {
      const a = await app.join("Sam");
      const got = await bytesOf(app.parley.url + view(a).characters.ada!.avatarUrl);
      expect(Buffer.compare(Buffer.from(got), readFileSync(file))).toBe(0);
    } finally {
      await app.stop();
    }
  });
});

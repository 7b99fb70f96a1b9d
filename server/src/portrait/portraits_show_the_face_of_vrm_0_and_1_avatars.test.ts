import { describe, it, expect, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config.js";
import { toVrm0 } from "../../../tests/support/vrm0.js";
import { renderPortrait, PORTRAIT } from "./renderPortrait.js";
import { decodePng } from "./pngDecode.js";
import { Portraits } from "./Portraits.js";

const asset = (name: string): Uint8Array => new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", name)));
/** the skin colour the generated avatars' "skin" material has, in sRGB */
const skinOf = (vrm: Uint8Array): [number, number, number] => {
  const len = new DataView(vrm.buffer, vrm.byteOffset).getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(vrm.subarray(20, 20 + len))) as { materials: { name: string; pbrMetallicRoughness: { baseColorFactor: number[] } }[] };
  const f = json.materials.find((m) => m.name === "skin")!.pbrMetallicRoughness.baseColorFactor;
  return f.slice(0, 3).map((c) => Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055))) as [number, number, number];
};

/** share of pixels in the middle of the picture (where a face is) close to the skin colour */
function skinShare(png: Uint8Array, skin: readonly number[]): number {
  const img = decodePng(png);
  let near = 0, all = 0;
  for (let y = Math.floor(img.height * 0.3); y < img.height * 0.55; y++) {
    for (let x = Math.floor(img.width * 0.35); x < img.width * 0.65; x++) {
      const k = (y * img.width + x) * 4;
      all++;
      if (Math.abs(img.rgba[k]! - skin[0]!) + Math.abs(img.rgba[k + 1]! - skin[1]!) + Math.abs(img.rgba[k + 2]! - skin[2]!) < 60) near++;
    }
  }
  return near / all;
}

const portraits = new Portraits();
afterAll(async () => { await portraits.close(); });

describe("a portrait of an avatar", () => {
  it("shows the face of a VRM 1.0 avatar from the front, the same every time", () => {
    const vrm = asset("kenji.vrm");
    const png = renderPortrait(vrm, "#4f9ad9");
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([PORTRAIT.width, PORTRAIT.height]);
    expect(skinShare(png, skinOf(vrm))).toBeGreaterThan(0.3);
    expect(Buffer.compare(Buffer.from(renderPortrait(vrm, "#4f9ad9")), Buffer.from(png))).toBe(0);
  });

  it("shows the face of a VRM 0.x avatar (facing -z) too", () => {
    const vrm1 = asset("mira.vrm");
    const png = renderPortrait(toVrm0(vrm1), "#d98f3f");
    expect(skinShare(png, skinOf(vrm1))).toBeGreaterThan(0.3);
  });

  it("is drawn in a worker, kept, and small for lists", async () => {
    const file = join(REPO_ROOT, "assets", "avatars", "ravi.vrm");
    const first = await portraits.of(file, "#123456", "small");
    expect(await portraits.of(file, "#123456", "small")).toBe(first);
    const img = decodePng(first);
    expect([img.width, img.height]).toEqual([80, 120]);
  });
});

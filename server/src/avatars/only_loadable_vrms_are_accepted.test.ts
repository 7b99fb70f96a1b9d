import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config.js";
import { checkVrm } from "./checkVrm.js";
import { toVrm0, readGlb, writeGlb } from "../../../tests/support/vrm0.js";

const asset = (name: string): Uint8Array => new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", name)));
type Json = ReturnType<typeof readGlb>["json"] & Record<string, unknown>;
const edit = (bytes: Uint8Array, fn: (json: Json) => void): Uint8Array => { const g = readGlb(bytes); fn(g.json as Json); return writeGlb(g); };

/** A glTF binary holding only this JSON. */
function jsonOnly(json: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json).padEnd(Math.ceil(JSON.stringify(json).length / 4) * 4, " "));
  const out = new Uint8Array(20 + text.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x46546c67, true); v.setUint32(4, 2, true); v.setUint32(8, out.length, true);
  v.setUint32(12, text.length, true); v.setUint32(16, 0x4e4f534a, true); out.set(text, 20);
  return out;
}

describe("an avatar upload", () => {
  it("accepts every generated avatar and its VRM 0.x version", () => {
    for (const f of readdirSync(join(REPO_ROOT, "assets", "avatars")).filter((x) => x.endsWith(".vrm"))) {
      expect(checkVrm(asset(f)), f).toBe("1");
      expect(checkVrm(toVrm0(asset(f))), f).toBe("0");
    }
  });

  it("refuses a file that only claims to be a VRM", () => {
    expect(() => checkVrm(jsonOnly({ extensions: { VRM: {} } }))).toThrow(/not a loadable VRM/);
    expect(() => checkVrm(jsonOnly({ asset: { version: "2.0" }, extensions: { VRMC_vrm: {} }, nodes: [{}], scenes: [{ nodes: [0] }] }))).toThrow(/buffer/);
  });

  it("refuses broken structure: cut short, views and accessors out of bounds, no mesh, missing bones", () => {
    const good = asset("ada.vrm");
    expect(() => checkVrm(good.subarray(0, good.length - 1000))).toThrow(/cut short/);
    expect(() => checkVrm(edit(good, (j) => { (j.bufferViews as { byteLength: number }[])[0]!.byteLength = 1e9; }))).toThrow(/buffer view 0/);
    expect(() => checkVrm(edit(good, (j) => { (j.accessors as { count: number }[])[0]!.count = 1e8; }))).toThrow(/accessor 0/);
    expect(() => checkVrm(edit(good, (j) => { j.meshes = []; }))).toThrow(/no mesh/);
    expect(() => checkVrm(edit(good, (j) => { j.scenes = [{ nodes: [99999] }]; }))).toThrow(/scene/);
    expect(() => checkVrm(edit(good, (j) => { delete (j.extensions as { VRMC_vrm: { humanoid: { humanBones: Record<string, unknown> } } }).VRMC_vrm.humanoid.humanBones.head; }))).toThrow(/lacks head/);
    expect(() => checkVrm(edit(good, (j) => { (j.buffers as { uri?: string }[])[0]!.uri = "http://example.com/x.bin"; }))).toThrow(/inside the file/);
  });
});

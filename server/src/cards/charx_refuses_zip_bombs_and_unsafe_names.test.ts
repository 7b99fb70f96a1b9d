import { describe, it, expect } from "vitest";
import { zipSync, strToU8 } from "fflate";
import { readCharx, safeEntryName, writeCharx, CHARX_LIMITS } from "./charx.js";
import { CardError } from "./CardError.js";

const card = strToU8(JSON.stringify({ spec: "chara_card_v3", data: { name: "Eve" } }));
const fails = (zip: Uint8Array): CardError => { try { readCharx(zip); } catch (err) { return err as CardError; } throw new Error("it did not fail"); };

/** a zip whose headers say an entry is tiny though it unpacks to 80 MiB */
function lyingBomb(): Uint8Array {
  const zip = zipSync({ "card.json": card, "assets/x.vrm": new Uint8Array(80 * 2 ** 20) }, { level: 1 });
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = 0; at + 30 < zip.length; at++) {
    const sig = v.getUint32(at, true);
    // local header: uncompressed size at +22; central directory: at +24
    if (sig === 0x04034b50 && v.getUint32(at + 22, true) === 80 * 2 ** 20) v.setUint32(at + 22, 1000, true);
    if (sig === 0x02014b50 && v.getUint32(at + 24, true) === 80 * 2 ** 20) v.setUint32(at + 24, 1000, true);
  }
  return zip;
}

describe("reading a CHARX", () => {
  it("keeps card.json and the assets Parley reads", () => {
    const r = readCharx(writeCharx('{"spec":"chara_card_v3","data":{"name":"Вера"}}', new Map([["assets/icon/images/main.png", new Uint8Array([1, 2, 3])]])));
    expect(JSON.parse(r.card).data.name).toBe("Вера");
    expect([...r.assets.keys()]).toEqual(["assets/icon/images/main.png"]);
  });

  it("stops a zip bomb at the cap, even when its headers lie about the size", () => {
    const e = fails(lyingBomb());
    expect(e.status).toBe(413);
    expect(e.message).toMatch(/assets\/x\.vrm unpacks to more than 64 MiB \(a zip bomb\?\)/);
  });

  it("counts every entry and the total", () => {
    const many = Object.fromEntries(Array.from({ length: CHARX_LIMITS.entries + 1 }, (_, i) => [`f${i}.txt`, new Uint8Array(1)]));
    expect(fails(zipSync({ "card.json": card, ...many })).message).toMatch(/more than 256 entries/);
    const parts = Object.fromEntries(Array.from({ length: 2 }, (_, i) => [`assets/p${i}.png`, new Uint8Array(50 * 2 ** 20)]));
    expect(fails(zipSync({ "card.json": card, ...parts }, { level: 1 })).message).toMatch(/the archive unpacks to more than 96 MiB/);
  });

  it("refuses entry names that leave the archive", () => {
    for (const bad of ["../x.vrm", "/etc/passwd", "a/../../b.png", "C:/x.png", "a\\..\\b.png", "a/./b.png"]) expect(safeEntryName(bad)).toBe(false);
    for (const good of ["card.json", "assets/icon/images/main.png", "assets/other/3d/Вера.vrm"]) expect(safeEntryName(good)).toBe(true);
    expect(fails(zipSync({ "card.json": card, "../../evil.png": new Uint8Array(4) })).status).toBe(422);
  });

  it("says what is wrong with what is not a CHARX", () => {
    expect(fails(zipSync({ "readme.txt": strToU8("hi") })).message).toMatch(/no card\.json at its root/);
    expect(fails(new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9])).status).toBeGreaterThanOrEqual(400);
  });
});

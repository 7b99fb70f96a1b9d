import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { boot, type Booted } from "../support/boot.js";
import { pngWithText, v2Card, v3Card, charx } from "../support/cards.js";

const dataDir = mkdtempSync(join(tmpdir(), "parley-badcards-"));
let app: Booted;
beforeAll(async () => { app = await boot({ PARLEY_DATA_DIR: dataDir }); });
afterAll(async () => { await app?.stop(); rmSync(dataDir, { recursive: true, force: true }); });

/** every file under the data dir with a hash of its bytes */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, snapshot(p, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = createHash("sha1").update(readFileSync(p)).digest("hex");
  }
  return out;
}

const post = async (body: Uint8Array | string, type: string): Promise<{ status: number; error: string }> => {
  const res = await fetch(`${app.parley.url}/api/characters/import`, { method: "POST", headers: { "content-type": type }, body: typeof body === "string" ? body : Buffer.from(body) });
  return { status: res.status, error: ((await res.json()) as { error: string }).error };
};

const markup = '<img src=x onerror="window.__pwned=1">';
const BAD: [string, () => Uint8Array | string, string, number, RegExp][] = [
  ["broken base64", () => pngWithText([["ccv3", "eyJzcGVjIjo@@@not-base64!!"]]), "image/png", 422, /ccv3 chunk is not valid base64/],
  ["a PNG with no card chunk", () => pngWithText([["Comment", "just a picture"]]), "image/png", 422, /holds no character card/],
  ["invalid JSON", () => '{"spec":"chara_card_v2","data":{"name":"Eve",', "application/json", 400, /not valid JSON/],
  ["invalid JSON in a PNG chunk", () => pngWithText([["chara", Buffer.from("{name: Eve}").toString("base64")]]), "image/png", 400, /chara chunk is not valid JSON/],
  ["a zip bomb", () => zipSync({ "card.json": strToU8(JSON.stringify(v3Card("Bomb"))), "assets/other/3d/body.vrm": new Uint8Array(70 * 2 ** 20) }, { level: 1 }), "application/zip", 413, /unpacks to more than \d+ MiB \(a zip bomb\?\)/],
  ["a card.json bomb", () => zipSync({ "card.json": new Uint8Array(40 * 2 ** 20).fill(0x20) }, { level: 9 }), "application/zip", 413, /card\.json unpacks to more than 16 MiB/],
  ["a path out of the archive", () => zipSync({ "card.json": strToU8(JSON.stringify(v3Card("Eve"))), "../../evil.vrm": new Uint8Array(10) }), "application/zip", 422, /unsafe entry name: "\.\.\/\.\.\/evil\.vrm"/],
  ["a CHARX whose VRM does not load", () => charx(v3Card("Eve"), { "assets/other/3d/eve.vrm": new Uint8Array(64).fill(7) }), "application/zip", 422, /avatar assets\/other\/3d\/eve\.vrm is not usable: not a VRM file/],
  ["a 50 MB description", () => JSON.stringify({ ...v2Card("Eve"), data: { ...v2Card("Eve").data, description: "x".repeat(50 * 2 ** 20) } }), "application/json", 413, /data\.description: too long: 52,428,800 characters \(at most 20,000\)/],
  ["markup in every field", () => JSON.stringify({ spec: "chara_card_v2", data: Object.fromEntries(["name", "description", "personality", "scenario", "first_mes", "mes_example", "creator_notes"].map((k) => [k, markup])) }), "application/json", 422, /data\.name holds active markup \(<img src=x onerror=\)/],
  ["markup in a name", () => JSON.stringify(v2Card("<b>Eve</b>")), "application/json", 422, /data\.name holds markup/],
  ["a name of the wrong type", () => JSON.stringify({ spec: "chara_card_v3", data: { ...v3Card("x").data, name: 42 } }), "application/json", 422, /data\.name: expected text, got number/],
  ["greetings of the wrong type", () => JSON.stringify({ spec: "chara_card_v2", data: { ...v2Card("Eve").data, alternate_greetings: "hi" } }), "application/json", 422, /data\.alternate_greetings: expected array, got string/],
  ["a lorebook entry of the wrong type", () => JSON.stringify({ spec: "chara_card_v2", data: { ...v2Card("Eve").data, character_book: { entries: [{ keys: "oolong", content: 5 }] } } }), "application/json", 422, /data\.character_book\.entries\[0\]\.keys: expected array, got string/],
  ["Parley's fields of the wrong type", () => JSON.stringify(v3Card("Eve", { parley: { voice: { provider: "espeak", speed: "fast" } } })), "application/json", 422, /data\.extensions\.parley\.voice\.speed: expected number, got string/],
  ["an unknown spec", () => JSON.stringify({ spec: "chara_card_v9", data: { name: "Eve" } }), "application/json", 422, /spec: "chara_card_v9" is not a character card spec/],
  ["not a card at all", () => new Uint8Array([1, 2, 3, 4, 5]), "application/octet-stream", 415, /not a character card: send a PNG card/],
  ["an empty file", () => "", "application/json", 400, /empty|send the card file/],
];

describe("bad cards", () => {
  it("each gets a clear 4xx error naming the problem, and nothing is stored", async () => {
    // every file is made first, so the requests follow each other without idle keep-alive connections
    const bodies = BAD.map(([, make]) => make());
    const before = snapshot(dataDir);
    for (const [i, [what, , type, status, error]] of BAD.entries()) {
      const r = await post(bodies[i]!, type);
      expect({ what, status: r.status, error: r.error }).toEqual({ what, status, error: expect.stringMatching(error) });
    }
    expect(snapshot(dataDir)).toEqual(before);
    const list = (await (await fetch(`${app.parley.url}/api/characters`)).json()) as { characters: unknown[] };
    expect(list.characters).toHaveLength(3);
  });

  it("a card with inert markup in its texts is kept as plain text", async () => {
    const card = v2Card("Eve");
    const r = await post(JSON.stringify({ ...card, data: { ...card.data, creator_notes: "<b>bold</b> <START>", description: "Eve writes <i>poems</i>." } }), "application/json");
    expect(r.status).toBe(201);
    const eve = (await (await fetch(`${app.parley.url}/api/characters/eve`)).json()) as { persona: string; card: { creatorNotes: string } };
    expect(eve.persona).toBe("Eve writes <i>poems</i>.");
    expect(eve.card.creatorNotes).toBe("<b>bold</b> <START>");
  });
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import type { CharacterConfig } from "../../shared/src/index.js";
import { boot, type Booted } from "../support/boot.js";
import { pngWithText, b64, v1Card, v2Card, v3Card, charx } from "../support/cards.js";
import { REPO_ROOT } from "../../server/src/config.js";
import { readTextChunks } from "../../server/src/cards/png.js";
import { decodePng } from "../../server/src/portrait/pngDecode.js";

let app: Booted;
beforeAll(async () => { app = await boot(); });
afterAll(async () => { await app?.stop(); });

async function importCard(body: Uint8Array | string, type: string): Promise<{ status: number; json: CharacterConfig & { error?: string }; headers: Headers }> {
  const res = await fetch(`${app.parley.url}/api/characters/import`, { method: "POST", headers: { "content-type": type }, body: typeof body === "string" ? body : Buffer.from(body) });
  return { status: res.status, json: (await res.json()) as CharacterConfig & { error?: string }, headers: res.headers };
}
const exported = async (id: string, format: string): Promise<Response> => fetch(`${app.parley.url}/api/characters/${id}/export?format=${format}`);
const bytes = async (r: Response): Promise<Uint8Array> => new Uint8Array(await r.arrayBuffer());
/** a character as a card would carry it: everything but the id Parley gave it */
const fields = (c: CharacterConfig): Omit<CharacterConfig, "id"> => { const { id: _id, ...rest } = c; return rest; };

describe("character cards of every version and container", () => {
  it("imports V1 flat JSON, with a Cyrillic name and talkativeness", async () => {
    const r = await importCard(JSON.stringify(v1Card("Алиса")), "application/json");
    expect(r.status).toBe(201);
    expect(r.headers.get("x-parley-card")).toBe("v1 json");
    expect(r.json).toMatchObject({ name: "Алиса", persona: "Алиса keeps the lighthouse.", personality: "quiet, kind", scenario: "A stormy night.", greeting: "*lights a lamp* Welcome, {{user}}.", examples: "<START>\n{{user}}: Hi\n{{char}}: Hello.", talkativeness: 0.7 });
    expect(r.json.id).toMatch(/^card-[0-9a-f]{6}$/);
  });

  it("imports V2 JSON and V2 PNG (chara chunk), with a Chinese name, the lorebook and every V2 field", async () => {
    const json = await importCard(JSON.stringify(v2Card("小龙")), "application/json");
    const png = await importCard(pngWithText([["chara", b64(v2Card("小龙"))]]), "image/png");
    for (const r of [json, png]) {
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({
        name: "小龙", talkativeness: 0.3, systemPrompt: "You are {{char}}, a host.", postHistory: "Stay in character.",
        alternateGreetings: ["Ah, a guest!", "Come in, come in."], greeting: "*bows* Welcome to my tea house!",
        card: { creator: "tests", version: "1.2", tags: ["tea", "茶"], creatorNotes: "Made for tests.", extensions: { depth_prompt: { prompt: "Mind the kettle.", depth: 4 }, "other_app/mood": { level: 2 } } },
      });
      expect(r.json.lorebook?.entries[0]).toMatchObject({ keys: ["oolong"], content: "Oolong is half-oxidized.", comment: "tea", extensions: { "st/probability": 100 } });
    }
    expect(png.headers.get("x-parley-card")).toBe("v2 png");
  });

  it("reads a V3 PNG's ccv3 chunk before its chara chunk", async () => {
    const r = await importCard(pngWithText([["chara", b64(v2Card("Old Name"))], ["ccv3", b64(v3Card("Вера"))]]), "image/png");
    expect(r.status).toBe(201);
    expect(r.headers.get("x-parley-card")).toBe("v3 png");
    expect(r.json).toMatchObject({ name: "Вера", nickname: "Ве", groupGreetings: ["Hello, everyone at this table."], interruptiveness: 0.9, color: "#123456", temperature: 0.5, voice: { provider: "espeak", voice: "ru+f3", speed: 1.1, pitch: 60 } });
    expect(r.json.nicknames).toContain("Ве");
    expect(r.json.card).toMatchObject({ source: ["https://example.invalid/card"], created: 1_700_000_000, extensions: { "x_unknown/thing": [1, 2, 3] } });
  });

  it("imports a CHARX with its VRM, which becomes the character's avatar", async () => {
    const vrm = new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", "noa.vrm")));
    const r = await importCard(charx(v3Card("诺亚"), { "assets/other/3d/noa.vrm": vrm }), "application/zip");
    expect(r.status).toBe(201);
    expect(r.json.name).toBe("诺亚");
    expect(r.json.avatar).toBe(`./${r.json.id}.own.vrm`);
    const served = await bytes(await fetch(`${app.parley.url}/avatars/character/${r.json.id}`));
    expect(Buffer.compare(Buffer.from(served), Buffer.from(vrm))).toBe(0);
  });

  it("exports a V3 PNG whose picture is a portrait and whose chunks hold the card; re-importing gives the same character", async () => {
    const first = (await importCard(pngWithText([["ccv3", b64(v3Card("Вера", { "yet_another/key": { deep: ["x", { y: 1 }] } }, { character_book: v2Card("x").data.character_book }))]]), "image/png")).json;
    const res = await exported(first.id, "png");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = await bytes(res);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([400, 600]);
    // a portrait, not a blank: many colours in the face region
    const colours = new Set<number>();
    for (let y = 150; y < 350; y += 4) for (let x = 120; x < 280; x += 4) { const k = (y * 400 + x) * 4; colours.add((image.rgba[k]! << 16) | (image.rgba[k + 1]! << 8) | image.rgba[k + 2]!); }
    expect(colours.size).toBeGreaterThan(20);
    const chunks = readTextChunks(png);
    const v3 = JSON.parse(Buffer.from(chunks.get("ccv3")!, "base64").toString("utf8"));
    const v2 = JSON.parse(Buffer.from(chunks.get("chara")!, "base64").toString("utf8"));
    expect(v3).toMatchObject({ spec: "chara_card_v3", spec_version: "3.0", data: { name: "Вера", nickname: "Ве", extensions: { "x_unknown/thing": [1, 2, 3], "yet_another/key": { deep: ["x", { y: 1 }] }, talkativeness: first.talkativeness, parley: { voice: first.voice, color: "#123456" } } } });
    expect(v2).toMatchObject({ spec: "chara_card_v2", name: "Вера", data: { name: "Вера", extensions: { "x_unknown/thing": [1, 2, 3] } } });
    const again = await importCard(png, "image/png");
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(first.id);
    expect(fields(again.json)).toEqual(fields(first));
  });

  it("exports JSON and CHARX (with the VRM) that re-import as the same character", async () => {
    const first = (await importCard(JSON.stringify(v2Card("小龙")), "application/json")).json;
    const json = await exported(first.id, "json");
    expect(json.headers.get("content-disposition")).toContain("filename*=UTF-8''%E5%B0%8F%E9%BE%99.json");
    const fromJson = await importCard(await bytes(json), "application/json");
    expect(fields(fromJson.json)).toEqual(fields(first));
    const zip = await bytes(await exported(first.id, "charx"));
    const files = unzipSync(zip);
    const card = JSON.parse(strFromU8(files["card.json"]!));
    expect(card.data.assets).toEqual(expect.arrayContaining([expect.objectContaining({ type: "icon", name: "main", uri: "embeded://assets/icon/images/main.png" })]));
    const vrmPath = (card.data.assets as { uri: string; ext: string }[]).find((a) => a.ext === "vrm")!.uri.slice("embeded://".length);
    const original = readFileSync(join(REPO_ROOT, "assets", "avatars", first.avatar));
    expect(Buffer.compare(Buffer.from(files[vrmPath]!), original)).toBe(0);
    const fromCharx = await importCard(zip, "application/zip");
    expect(fields(fromCharx.json)).toEqual(fields(first));
  });

  it("lists, reads and deletes imported characters; bundled ones stay", async () => {
    const list = (await (await fetch(`${app.parley.url}/api/characters`)).json()) as { characters: { character: CharacterConfig; bundled: boolean; seated: boolean }[] };
    expect(list.characters.filter((e) => e.bundled).map((e) => e.character.id).sort()).toEqual(["ada", "juno", "theo"]);
    expect(list.characters.find((e) => e.character.id === "ada")?.seated).toBe(true);
    const mine = list.characters.find((e) => !e.bundled)!.character;
    expect((await (await fetch(`${app.parley.url}/api/characters/${mine.id}`)).json())).toEqual(mine);
    expect((await fetch(`${app.parley.url}/api/characters/${mine.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await fetch(`${app.parley.url}/api/characters/${mine.id}`)).status).toBe(404);
    const ada = await fetch(`${app.parley.url}/api/characters/ada`, { method: "DELETE" });
    expect(ada.status).toBe(409);
    expect(((await ada.json()) as { error: string }).error).toMatch(/comes with Parley/);
  });
});

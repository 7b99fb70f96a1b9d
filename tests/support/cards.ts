/**
 * Character cards written by the tests, to the published specs (Character Card
 * V1, V2 and V3; PNG tEXt chunks; CHARX zips), not copied from anyone's card and
 * not made with Parley's own writers: a PNG here is built chunk by chunk from
 * the PNG spec, a CHARX with fflate's zip writer.
 */
import { deflateSync } from "node:zlib";
import { zipSync, strToU8 } from "fflate";

/** CRC-32 (ISO 3309), bit by bit: slow and obviously right, for test files. */
function crc(bytes: Uint8Array): number {
  let c = ~0 >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, tail]);
}

/** A 2x2 PNG with the given tEXt chunks (keyword, Latin-1 text). */
export function pngWithText(chunks: readonly (readonly [string, string])[]): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const pixels = Buffer.from([0, 200, 80, 60, 200, 80, 60, 0, 60, 80, 200, 60, 80, 200]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    ...chunks.map(([k, t]) => pngChunk("tEXt", Buffer.from(`${k}\0${t}`, "latin1"))),
    pngChunk("IDAT", deflateSync(pixels)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

export const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o), "utf8").toString("base64");

/** V1: the flat TavernAI/SillyTavern shape. */
export const v1Card = (name: string, extra: Record<string, unknown> = {}) => ({
  name, description: `${name} keeps the lighthouse.`, personality: "quiet, kind", scenario: "A stormy night.",
  first_mes: "*lights a lamp* Welcome, {{user}}.", mes_example: "<START>\n{{user}}: Hi\n{{char}}: Hello.", talkativeness: "0.7", ...extra,
});

/** V2: `chara_card_v2` with its data object and a lorebook. */
export const v2Card = (name: string, extensions: Record<string, unknown> = {}) => ({
  spec: "chara_card_v2", spec_version: "2.0",
  data: {
    name, description: `${name} runs a tea house.`, personality: "cheerful", scenario: "Morning rush.",
    first_mes: "*bows* Welcome to my tea house!", mes_example: "", creator_notes: "Made for tests.",
    system_prompt: "You are {{char}}, a host.", post_history_instructions: "Stay in character.",
    alternate_greetings: ["Ah, a guest!", "Come in, come in."], tags: ["tea", "茶"], creator: "tests", character_version: "1.2",
    character_book: { name: "Tea lore", scan_depth: 3, token_budget: 200, extensions: {}, entries: [
      { keys: ["oolong"], content: "Oolong is half-oxidized.", extensions: { "st/probability": 100 }, enabled: true, insertion_order: 10, case_sensitive: false, selective: false, constant: false, id: 1, comment: "tea" },
    ] },
    extensions: { talkativeness: 0.3, depth_prompt: { prompt: "Mind the kettle.", depth: 4 }, "other_app/mood": { level: 2 }, ...extensions },
  },
});

/** V3: `chara_card_v3` with nickname, group-only greetings and Parley's own fields. */
export const v3Card = (name: string, extensions: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
  spec: "chara_card_v3", spec_version: "3.0",
  data: {
    name, nickname: `${name.slice(0, 2)}`, description: `${name} is a cartographer.`, personality: "precise", scenario: "", first_mes: "Hello, {{user}}. I am {{char}}.",
    mes_example: "", creator_notes: "", system_prompt: "", post_history_instructions: "", alternate_greetings: [], group_only_greetings: ["Hello, everyone at this table."],
    tags: [], creator: "tests", character_version: "3", creation_date: 1_700_000_000, modification_date: 1_700_000_100, source: ["https://example.invalid/card"],
    extensions: { "x_unknown/thing": [1, 2, 3], parley: { interruptiveness: 0.9, color: "#123456", temperature: 0.5, voice: { provider: "espeak", voice: "ru+f3", speed: 1.1, pitch: 60 } }, ...extensions },
    ...data,
  },
});

/** A CHARX: card.json and the given assets, with the card's `assets` pointing at them. */
export function charx(card: { data: Record<string, unknown> }, files: Record<string, Uint8Array>): Uint8Array {
  const assets = Object.keys(files).map((path) => ({ type: path.endsWith(".vrm") ? "x_model" : "icon", uri: `embeded://${path}`, name: path.endsWith(".vrm") ? "body" : "main", ext: path.split(".").pop()! }));
  return zipSync({ "card.json": strToU8(JSON.stringify({ ...card, data: { ...card.data, assets } })), ...files });
}
